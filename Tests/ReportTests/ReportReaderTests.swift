import Cluster
import Corpus
import Foundation
import Testing
import Vectors
@testable import Report

@Suite struct ReportReaderTests {
    private func writtenRun() throws -> (URL, RunResult) {
        let result = CalibrationTests.run(CalibrationTests.articles(count: 30))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-reader-\(UUID().uuidString)")
        let writer = ReportWriter(directory: out.path)
        try writer.write(result) { RunFacts(stageSeconds: [("read", 0.1)], threads: 1, blas: BLAS.info) }
        return (out, result)
    }

    @Test func articlesPairsAndSummaryReadBackAsWritten() throws {
        let (out, result) = try writtenRun()
        let reader = ReportReader(directory: out.path)
        let rows = try reader.articles()
        let clustering = result.clustering
        #expect(rows.count == clustering.records.count)
        for row in rows {
            let index = try #require(clustering.records.firstIndex { $0.id == row.id })
            let membership = clustering.memberships[index]
            #expect(row.clusterID == clustering.clusters[membership.cluster].id)
            #expect(row.relation == membership.relation.rawValue)
            #expect(row.duplicateOf == membership.duplicateOf.map { clustering.records[$0].id })
        }

        let listed = try #require(clustering.pairs.first)
        let a = clustering.records[Int(listed.first)].id, b = clustering.records[Int(listed.second)].id
        let pair = try #require(try reader.pair(b, a), "found in either order")
        #expect(pair.idA == a && pair.idB == b)
        #expect(pair.sharedTerms == PairExplanation(Int(listed.first), Int(listed.second), model: result.model).sharedTerms)
        #expect(try reader.pair(a, "no-such-id") == nil)

        let summary = try reader.summary()
        #expect(summary.parameters == result.parameters)
    }

    @Test func aFileWithoutAFinalLineBreakReadsItsLastRow() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try "id,cluster_id,duplicate_of,relation,extra\r\na,c1,,canonical,x\r\nb,c1,a,near_duplicate,\"y,\r\nz\"".write(
            to: out.appendingPathComponent("articles.csv"), atomically: true, encoding: .utf8)
        let rows = try ReportReader(directory: out.path).articles()
        #expect(rows.map(\.id) == ["a", "b"])
        #expect(rows.last?.duplicateOf == "a" && rows.first?.duplicateOf == nil)
    }

    @Test func pairsAreFoundByExactIdsWhateverTheQuotingAndInEitherOrder() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try """
            id_a,id_b,cosine,relation,shared_terms,hours_apart\r
            a12,b1,0.900000,near_duplicate,storm:0.5000,\r
            a1,b12,0.800000,same_story,a1:0.4000; b1:0.1000,1.00\r
            a1,b1,0.700000,same_story,coast:0.3000,2.00\r
            "x,1","q""2",0.600000,different_story,vote:0.2000,3.00\r
            "line\r
            break",b1,0.500000,same_story,rain:0.1000,\r

            """.write(to: out.appendingPathComponent("pairs.csv"), atomically: true, encoding: .utf8)
        let reader = ReportReader(directory: out.path)
        #expect(try reader.pair("a1", "b1")?.cosine == "0.700000", "not the rows of a12 or b12")
        #expect(try reader.pair("b1", "a1")?.sharedTerms == "coast:0.3000")
        #expect(try reader.pair("q\"2", "x,1")?.relation == "different_story")
        #expect(try reader.pair("line\r\nbreak", "b1")?.cosine == "0.500000")
        #expect(try reader.pair("a12", "b12") == nil)
        #expect(try reader.pair("zz", "b1") == nil)
    }

    @Test func aMissingFileOrColumnIsAnErrorNamingTheFile() throws {
        let (out, _) = try writtenRun()
        let reader = ReportReader(directory: out.path)
        try "id,cluster\nx,c1\n".write(to: out.appendingPathComponent("articles.csv"), atomically: true, encoding: .utf8)
        #expect {
            try reader.articles()
        } throws: { error in
            let text = "\(error)"
            return text.contains("articles.csv") && text.contains("'cluster_id'")
        }
        try FileManager.default.removeItem(at: out.appendingPathComponent("pairs.csv"))
        #expect {
            try reader.pair("a", "b")
        } throws: { error in
            "\(error)".contains("cannot read \(out.path)/pairs.csv")
        }
    }
}
