import Foundation
import Testing

/// Feeds, compressed dumps, standard input and JSON envelopes, run through the executable.
@Suite(.serialized) struct InputsEndToEndTests {
    static let gzipDump = CLI.repositoryRoot.appendingPathComponent("Tests/CorpusTests/Fixtures/compressed/articles.jsonl.gz")

    static func summaryInputs(_ out: URL) throws -> [[String: Any]] {
        let data = try Data(contentsOf: out.appendingPathComponent("summary.json"))
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(summary["inputs"] as? [[String: Any]])
    }

    @Test func anRSSFeedIsClusteredWithTheChannelTitleAsPublisher() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        try """
            <?xml version="1.0"?>
            <rss version="2.0"><channel><title>Coast Gazette</title>
            <item><title>Storm floods the coast road</title><description>&lt;p&gt;A storm flooded the coast road on Monday, closing it for hours.&lt;/p&gt;</description>
              <link>https://gazette.example/storm</link><pubDate>Mon, 04 Mar 2024 10:00:00 +0000</pubDate></item>
            <item><title>Coast road flooded by storm</title><description>The coast road was flooded by a storm on Monday and closed for hours.</description>
              <link>https://gazette.example/storm-2</link><pubDate>Mon, 04 Mar 2024 12:00:00 +0000</pubDate></item>
            </channel></rss>
            """.write(to: input.appendingPathComponent("gazette.xml"), atomically: true, encoding: .utf8)
        let outcome = try CLI.run(["cluster", input.path, "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try CLI.table(out.appendingPathComponent("articles.csv"))
        #expect(rows.map { $0["publisher"] } == ["Coast Gazette", "Coast Gazette"])
        #expect(Set(rows.map { $0["cluster_id"] }).count == 1, "the two items are one story")
        #expect(try CLI.table(out.appendingPathComponent("rejects.csv")).isEmpty)
        #expect(try Self.summaryInputs(out).first?["format"] as? String == "feed")
    }

    @Test func aGzipDumpIsReadAndTheManifestDescribesTheCompressedFile() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        let bytes = try Data(contentsOf: Self.gzipDump)
        try bytes.write(to: input.appendingPathComponent("dump.jsonl.gz"))
        let outcome = try CLI.run(["cluster", input.path, "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try CLI.table(out.appendingPathComponent("articles.csv")).count == 200)
        let manifest = try #require(try Self.summaryInputs(out).first)
        #expect(manifest["format"] as? String == "jsonl+gzip")
        #expect(manifest["bytes"] as? Int == bytes.count)
    }

    @Test func zcatIntoStandardInputWorksAndMixesWithPaths() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        try "id,title,body\nc1,Lighthouse keeper retires,The last lighthouse keeper retired after forty years.\n"
            .write(to: input.appendingPathComponent("extra.csv"), atomically: true, encoding: .utf8)
        // Compressed bytes on standard input, as from `cat dump.jsonl.gz |`.
        let outcome = try CLI.run(["cluster", "-", input.path, "--out", out.path, "--quiet"], stdin: try Data(contentsOf: Self.gzipDump))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try CLI.table(out.appendingPathComponent("articles.csv"))
        #expect(rows.count == 201)
        #expect(rows.filter { $0["source"]?.hasPrefix("-:") == true }.count == 200, "stdin records are located in file '-'")
        #expect(try Self.summaryInputs(out).map { $0["path"] as? String }.first == "-")
    }

    @Test func plainJSONLinesOnStandardInputIsDetectedAndCSVNeedsFormat() throws {
        let out = try CLI.temporaryDirectory()
        let lines = Data("{\"title\": \"Ferry strike ends\"}\n{\"title\": \"Bridge reopens\"}\n".utf8)
        let detected = try CLI.run(["cluster", "-", "--out", out.path, "--quiet"], stdin: lines)
        #expect(detected.status == 0, "\(detected.stderr)")
        #expect(try CLI.table(out.appendingPathComponent("articles.csv")).count == 2)

        let csv = Data("title,body\nFerry strike ends,Crews return to work.\n".utf8)
        let undetected = try CLI.run(["cluster", "-", "--out", out.path, "--quiet"], stdin: csv)
        let rejects = try CLI.table(out.appendingPathComponent("rejects.csv"))
        #expect(undetected.status == 0)
        #expect(rejects.first?["file"] == "-")
        #expect(rejects.first?["reason"]?.contains("give --format") == true)

        let named = try CLI.run(["cluster", "-", "--format", "csv", "--out", out.path, "--quiet"], stdin: csv)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try CLI.table(out.appendingPathComponent("articles.csv")).map { $0["title"] } == ["Ferry strike ends"])

        let bad = try CLI.run(["cluster", "-", "--format", "docx", "--out", out.path, "--quiet"], stdin: csv)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--format must be one of"))
    }

    @Test func aNewsAPIEnvelopeIsReadAndRecordsPicksAmongSeveralArrays() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        try #"{"status": "ok", "articles": [{"title": "Harbour reopens"}, {"title": "Mayor resigns"}], "results": [{"title": "not news"}]}"#
            .write(to: input.appendingPathComponent("api.json"), atomically: true, encoding: .utf8)
        let ambiguous = try CLI.run(["cluster", input.path, "--out", out.path, "--quiet"])
        #expect(ambiguous.status == 0)
        #expect(try CLI.table(out.appendingPathComponent("rejects.csv")).first?["reason"]?.contains("several arrays of records (articles, results)") == true)

        let picked = try CLI.run(["cluster", input.path, "--records", "articles", "--out", out.path, "--quiet"])
        #expect(picked.status == 0, "\(picked.stderr)")
        #expect(try CLI.table(out.appendingPathComponent("articles.csv")).compactMap { $0["title"] }.sorted() == ["Harbour reopens", "Mayor resigns"])
    }
}
