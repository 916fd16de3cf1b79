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
        try writer.writeReports(result)
        try writer.writeSummary(result, facts: RunFacts(stageSeconds: [("read", 0.1)], threads: 1, blas: BLAS.info))
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
