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

    @Test func compressedBytesOnStandardInputAreInflatedAndMixWithPaths() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        try "id,title,body\nc1,Lighthouse keeper retires,The last lighthouse keeper retired after forty years.\n"
            .write(to: input.appendingPathComponent("extra.csv"), atomically: true, encoding: .utf8)
        // Compressed bytes on standard input, as from `cat dump.jsonl.gz |`.
        let outcome = try CLI.run(["cluster", "-", input.path, "--out", out.path, "--quiet"], stdin: try Data(contentsOf: Self.gzipDump))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try CLI.table(out.appendingPathComponent("articles.csv"))
        #expect(rows.count == 201)
        #expect(rows.filter { $0["source"]?.hasPrefix("<stdin>:") == true }.count == 200, "stdin records are located in file <stdin>")
        #expect(try Self.summaryInputs(out).map { $0["path"] as? String }.first == "<stdin>")
    }

    @Test func zcatPipedIntoClusterDashIsRead() throws {
        let out = try CLI.temporaryDirectory()
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "zcat \"$1\" | \"$2\" cluster - --out \"$3\" --quiet", "sh", Self.gzipDump.path, CLI.binary.path, out.path]
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        #expect(try CLI.table(out.appendingPathComponent("articles.csv")).count == 200)
        #expect(try Self.summaryInputs(out).first?["format"] as? String == "jsonl")
    }

    @Test func zcatOutputOnStandardInputIsDetectedAsJSONLinesAndCSVNeedsFormat() throws {
        let out = try CLI.temporaryDirectory()
        // What `zcat dump.jsonl.gz |` writes: plain JSON Lines.
        let lines = Data("{\"title\": \"Ferry strike ends\"}\n{\"title\": \"Bridge reopens\"}\n".utf8)
        let detected = try CLI.run(["cluster", "-", "--out", out.path, "--quiet"], stdin: lines)
        #expect(detected.status == 0, "\(detected.stderr)")
        #expect(try CLI.table(out.appendingPathComponent("articles.csv")).count == 2)

        let csv = Data("title,body\nFerry strike ends,Crews return to work.\n".utf8)
        let undetected = try CLI.run(["cluster", "-", "--out", out.path, "--quiet"], stdin: csv)
        let rejects = try CLI.table(out.appendingPathComponent("rejects.csv"))
        #expect(undetected.status == 0)
        #expect(rejects.first?["file"] == "<stdin>")
        #expect(rejects.first?["reason"]?.contains("give --format") == true)

        let named = try CLI.run(["cluster", "-", "--format", "csv", "--out", out.path, "--quiet"], stdin: csv)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try CLI.table(out.appendingPathComponent("articles.csv")).map { $0["title"] } == ["Ferry strike ends"])

        let bad = try CLI.run(["cluster", "-", "--format", "docx", "--out", out.path, "--quiet"], stdin: csv)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--format must be one of"))

        let empty = try CLI.run(["cluster", "-", "--out", out.path, "--quiet"], stdin: Data())
        #expect(empty.status == 0)
        #expect(try CLI.table(out.appendingPathComponent("rejects.csv")).first?["reason"] == "standard input is empty: nothing was piped in")

        let withoutStandardInput = try CLI.run(["cluster", out.path, "--format", "csv", "--out", out.path, "--quiet"])
        #expect(withoutStandardInput.status == 64)
        #expect(withoutStandardInput.stderr.contains("'-' is among the inputs"))
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
        let articles = try CLI.table(out.appendingPathComponent("articles.csv"))
        #expect(articles.compactMap { $0["title"] }.sorted() == ["Harbour reopens", "Mayor resigns"])
        // explain reads the inputs again as the run did: through the recorded --records.
        let ids = articles.compactMap { $0["id"] }
        try #require(ids.count == 2)
        let explained = try CLI.run(["explain", ids[0], ids[1], "--reports", out.path])
        #expect(explained.status == 0, "\(explained.stderr)")
    }

    @Test func explainSaysStandardInputCannotBeReadAgain() throws {
        let out = try CLI.temporaryDirectory()
        let lines = Data([#"{"id": "a", "title": "Harbour reopens after storm"}"#, #"{"id": "b", "title": "Harbour reopens after the storm"}"#]
            .joined(separator: "\n").utf8)
        let run = try CLI.run(["cluster", "-", "--out", out.path, "--quiet"], stdin: lines)
        #expect(run.status == 0, "\(run.stderr)")
        let explained = try CLI.run(["explain", "a", "b", "--reports", out.path])
        #expect(explained.status == 65 && explained.stderr.contains("standard input"), "\(explained.stderr)")
    }
}
