import CSV
import Cluster
import Corpus
import Foundation
import Testing
import Vectors
@testable import Report

@Suite struct ReportWriterTests {
    static let awkward = "Storm on the coast: quote \"this\", then a comma,\nand a new line\r\nand é ü 中文"

    private func result() -> RunResult {
        let source = SourceLocation(file: "in/a,b.jsonl", line: 3, record: 3)
        let corpus = Corpus(
            articles: [
                Article(id: "a1", title: Self.awkward, body: "storm coast storm", published: 1_600_000_000, url: "https://x.test/a", publisher: "X, Inc.", source: source),
                Article(id: "a2", title: "Storm on the coast", body: "storm coast storm", published: 1_600_003_600, publisher: "Y", source: source),
                Article(id: "a3", title: "Unrelated", body: "election results", published: nil, source: source),
                Article(id: "a4", title: "Storm on the coast", body: "storm coast storm", published: 1_600_007_200, publisher: "Z", source: source),
            ],
            rejects: [Reject(source: SourceLocation(file: "bad.csv", line: 7, record: 6), severity: .rejected, reason: "row has 2 fields, the header has 3")]
        )
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.3)).pairs(model.matrix, published: corpus.articles.map(\.published))
        let clustering = Clusterer(options: ClusterOptions(threshold: 0.3, duplicateThreshold: 0.8)).cluster(corpus, model: model, pairs: pairs)
        let parameters = RunParameters(threshold: 0.3, duplicateThreshold: 0.8, pairFloor: 0.3, windowHours: nil, titleWeight: 2, bigrams: false, stopWords: "english", fieldMappings: [], tileRows: 1024)
        return RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters)
    }

    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func rows(_ url: URL) throws -> [[String]] {
        let reader = try CSVReader(string: String(contentsOf: url, encoding: .utf8), hasHeaderRow: false)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    @Test func csvFieldsWithCommasQuotesAndNewlinesRoundTrip() throws {
        let out = try directory()
        try ReportWriter(directory: out.path).writeReports(result())
        let articles = try rows(out.appendingPathComponent("articles.csv"))
        #expect(articles[0] == ReportWriter.articleColumns)
        #expect(articles.count == 5)
        let first = try #require(articles.first { $0[0] == "a1" })
        #expect(first[6] == Self.awkward)
        #expect(first[7] == "X, Inc.")
        #expect(first[11] == "in/a,b.jsonl:3")
        #expect(first[9] == "2020-09-13T12:26:40Z")
        #expect(articles.allSatisfy { $0.count == ReportWriter.articleColumns.count })

        // RFC 4180 on the bytes: CRLF after every record, quotes doubled inside quoted fields.
        let bytes = try String(contentsOf: out.appendingPathComponent("articles.csv"), encoding: .utf8)
        #expect(bytes.hasSuffix("\r\n"))
        #expect(bytes.contains("\"Storm on the coast: quote \"\"this\"\", then a comma,\nand a new line\r\nand é ü 中文\""))
    }

    @Test func theLanguageColumnIsEachArticlesDetectedLanguageLast() throws {
        let source = SourceLocation(file: "in.jsonl", line: 1, record: 1)
        let corpus = Corpus(articles: [
            Article(id: "de", title: "Sturm an der Küste", body: "Der Sturm hat die Küste und die Stadt mit dem Regen erreicht, aber nicht die Insel.", source: source),
            Article(id: "en", title: "Storm on the coast", body: "The storm has reached the coast and the town with its rain, but not the island.", source: source),
            Article(id: "und", title: "Storm coast", body: "", source: source),
        ])
        let model = Vectorizer().fit(corpus.articles)
        let clustering = Clusterer(options: ClusterOptions(threshold: 0.3, duplicateThreshold: 0.8)).cluster(corpus, model: model, pairs: [])
        let parameters = RunParameters(threshold: 0.3, duplicateThreshold: 0.8, pairFloor: 0.3, windowHours: nil, titleWeight: 2, bigrams: false, stopWords: "detected", fieldMappings: [], tileRows: 1024)
        let out = try directory()
        try ReportWriter(directory: out.path).writeReports(RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters))
        let articles = try rows(out.appendingPathComponent("articles.csv"))
        #expect(articles[0].last == "language", "added at the end: readers find columns by name")
        #expect(Dictionary(uniqueKeysWithValues: articles.dropFirst().map { ($0[0], $0.last ?? "") }) == ["de": "de", "en": "en", "und": "und"])
    }

    @Test func everyReportHasItsHeaderAndTheRejectsAreListed() throws {
        let out = try directory()
        try ReportWriter(directory: out.path).writeReports(result())
        #expect(try rows(out.appendingPathComponent("clusters.csv"))[0] == ReportWriter.clusterColumns)
        #expect(try rows(out.appendingPathComponent("pairs.csv"))[0] == ReportWriter.pairColumns)
        let rejects = try rows(out.appendingPathComponent("rejects.csv"))
        #expect(rejects == [ReportWriter.rejectColumns, ["bad.csv", "7", "6", "rejected", "", "row has 2 fields, the header has 3"]])
        let pairs = try rows(out.appendingPathComponent("pairs.csv"))
        let pair = try #require(pairs.dropFirst().first { Set([$0[0], $0[1]]) == ["a1", "a2"] })
        #expect(pair[4].hasPrefix("storm:") || pair[4].hasPrefix("coast:"), "shared terms: \(pair[4])")
        #expect(pair[5] == "1.00")
    }

    @Test func clustersJSONHasTheDocumentedShape() throws {
        let out = try directory()
        try ReportWriter(directory: out.path).writeReports(result())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("clusters.json"))) as? [String: Any])
        #expect(json["tool"] as? String == "storyclust")
        let clusters = try #require(json["clusters"] as? [[String: Any]])
        try #require(clusters.count == 2)
        let storm = clusters[0]
        for key in ["cluster_id", "size", "canonical_id", "canonical_title", "first_published", "last_published", "outlets", "outlet_names", "duplicates", "top_terms", "min_similarity", "mean_similarity", "members"] {
            #expect(storm[key] != nil, "missing \(key)")
        }
        #expect(storm["size"] as? Int == 3)
        // Named and typed as in clusters.csv: `outlets` counts, `outlet_names` lists.
        #expect(storm["outlets"] as? Int == 3)
        #expect(storm["outlet_names"] as? [String] == ["X, Inc.", "Y", "Z"])
        let members = try #require(storm["members"] as? [[String: Any]])
        try #require(members.map { $0["id"] as? String } == ["a1", "a2", "a4"])
        for member in members {
            #expect(Set(member.keys) == ["id", "relation", "duplicate_of", "similarity", "similarity_to_original", "title", "publisher", "domain", "published", "url", "source"])
        }
        #expect(members[0]["relation"] as? String == "canonical")
        #expect(members[0]["duplicate_of"] is NSNull)
        #expect(members[2]["relation"] as? String == "exact_text")
        #expect(members[2]["duplicate_of"] as? String == "a2")
        #expect(storm["duplicates"] as? Int == members.count { !($0["duplicate_of"] is NSNull) })
        #expect(members[0]["similarity_to_original"] is NSNull)
        #expect(members[2]["similarity_to_original"] as? Double == 1)
        let single = clusters[1]
        #expect(single["min_similarity"] is NSNull)
        #expect(single["first_published"] is NSNull)
    }

    /// A near-duplicate of a later original: its cosine to what it copies, not to the canonical.
    @Test func aCopyOfALaterOriginalShowsItsCosineToThatOriginal() throws {
        let source = SourceLocation(file: "in.jsonl", line: 1, record: 1)
        let corpus = Corpus(articles: [
            Article(id: "o1", title: "Storm reaches the coast", body: "storm coast wind rain residents evacuate town", published: 1_600_000_000, publisher: "A", source: source),
            Article(id: "o2", title: "Coast storm cuts power", body: "storm coast power lines down rescue crews region outage night", published: 1_600_003_600, publisher: "B", source: source),
            Article(id: "c3", title: "Coast storm cuts power", body: "storm coast power lines down rescue crews region outage evening", published: 1_600_007_200, publisher: "C", source: source),
        ])
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.05)).pairs(model.matrix, published: corpus.articles.map(\.published))
        let clustering = Clusterer(options: ClusterOptions(threshold: 0.05, duplicateThreshold: 0.8)).cluster(corpus, model: model, pairs: pairs)
        let parameters = RunParameters(threshold: 0.05, duplicateThreshold: 0.8, pairFloor: 0.05, windowHours: nil, titleWeight: 2, bigrams: false, stopWords: "english", fieldMappings: [], tileRows: 1024)
        let out = try directory()
        try ReportWriter(directory: out.path).writeReports(RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters))

        let table = try rows(out.appendingPathComponent("articles.csv"))
        let column = try #require(table[0].firstIndex(of: "similarity_to_original"))
        #expect(table[0][column - 1] == "cluster_size" && table[0].last == "language", "added at the end, before the later language column")
        let byID = Dictionary(uniqueKeysWithValues: table.dropFirst().map { ($0[0], $0) })
        let copy = try #require(byID["c3"])
        try #require(copy[2] == "o2" && copy[3] == "near_duplicate", "\(copy)")
        #expect(copy[column] == Format.decimal(model.matrix.dot(2, 1)))
        #expect(copy[4] == Format.decimal(model.matrix.dot(2, 0)), "similarity stays the cosine to the canonical")
        #expect(copy[column] != copy[4])
        #expect(byID["o1"]?[column] == "" && byID["o2"]?[column] == "", "an original copies nothing")
    }

    @Test func summaryRecordsParametersCountsAndTheRunApart() throws {
        let out = try directory()
        let writer = ReportWriter(directory: out.path)
        let run = result()
        try writer.write(run) { RunFacts(stageSeconds: [("read", 0.5), ("cluster", 0.25)], threads: 2, blas: BLAS.info) }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
        let counts = try #require(json["counts"] as? [String: Any])
        #expect(counts["articles"] as? Int == 4)
        #expect(counts["rejected"] as? Int == 1)
        #expect(counts["records_read"] as? Int == 5)
        #expect(counts["exact_text"] as? Int == 1)
        let parameters = try #require(json["parameters"] as? [String: Any])
        #expect(parameters["threshold"] as? Double == 0.3)
        #expect(parameters["window_hours"] is NSNull)
        let runFacts = try #require(json["run"] as? [String: Any])
        #expect((runFacts["seconds"] as? [String: Any])?["total"] as? Double == 0.75)
        #expect((runFacts["blas"] as? [String: Any])?["library"] as? String == "OpenBLAS")
    }

    @Test func anAtomicFileLeavesTheOldVersionUntilItCommits() throws {
        let out = try directory()
        let target = out.appendingPathComponent("report.csv")
        try Data("old\n".utf8).write(to: target)
        do {
            let file = try AtomicFile(path: target.path)
            try file.write("new, half written")
            // Dropped without commit, as after a crash: the old file stays and no temp is left.
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["report.csv"])
        let file = try AtomicFile(path: target.path)
        try file.write("new\n")
        try file.commit()
        #expect(try String(contentsOf: target, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["report.csv"])
    }

    @Test func aFileSyncedEarlyStaysHiddenAndKeepsWhatIsWrittenAfter() throws {
        let out = try directory()
        let target = out.appendingPathComponent("report.csv")
        let file = try AtomicFile(path: target.path)
        try file.write(chunk: Array("synced, ".utf8))
        try file.sync()
        #expect(!FileManager.default.fileExists(atPath: target.path), "a synced file is not in place before its commit")
        try file.write("then more\n")
        try file.commit()
        #expect(try String(contentsOf: target, encoding: .utf8) == "synced, then more\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["report.csv"])
    }
}
