import Foundation
import Testing

/// What the reports promise whatever the input's record order, and what a hostile input or a
/// killed run cannot do to them.
@Suite struct ReportSafetyEndToEndTests {
    /// SplitMix64: a seeded shuffle that is the same on every machine.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Stories of several articles, each with near-duplicates (one word changed), exact copies
    /// under other ids, and URLs shared by several records (exact_url copies).
    static func corpusLines() -> [String] {
        let topics = [
            ["storm", "coast", "harbor", "flood", "power"], ["senate", "budget", "vote", "defense", "spending"],
            ["cup", "final", "stadium", "goal", "extra"], ["museum", "wing", "art", "opening", "gallery"],
            ["quake", "tremor", "rescue", "rubble", "aftershock"], ["election", "ballot", "turnout", "polls", "count"],
        ]
        var lines: [String] = []
        for (t, words) in topics.enumerated() {
            for k in 0..<6 {
                let body = (0..<30).map { words[($0 * (k + 2) + t) % words.count] }.joined(separator: " ") + " report \(k) desk \(t)"
                let hour = 10 + k
                lines.append(#"{"id": "t\#(t)-a\#(k)", "title": "\#(words[0]) \#(words[k % 5]) news", "body": "\#(body)", "url": "https://site\#(k).test/\#(t)/\#(k)", "published": "2024-03-0\#(t + 1)T\#(hour):00:00Z"}"#)
                // A near duplicate, an exact copy, and two records of the same URL.
                lines.append(#"{"id": "t\#(t)-n\#(k)", "title": "\#(words[0]) \#(words[k % 5]) news", "body": "\#(body) updated", "url": "https://mirror.test/\#(t)/\#(k)", "published": "2024-03-0\#(t + 1)T\#(hour):30:00Z"}"#)
                if k % 2 == 0 {
                    lines.append(#"{"id": "t\#(t)-c\#(k)", "title": "\#(words[0]) \#(words[k % 5]) news", "body": "\#(body)", "url": "https://copy.test/\#(t)/\#(k)", "published": "2024-03-0\#(t + 1)T\#(hour):45:00Z"}"#)
                    for copy in 0..<3 {
                        lines.append(#"{"id": "t\#(t)-u\#(k)-\#(copy)", "title": "\#(words[0]) \#(words[k % 5]) news", "body": "\#(body)", "url": "https://site\#(k).test/\#(t)/\#(k)?utm_source=\#(copy)", "published": "2024-03-0\#(t + 1)T\#(hour):00:00Z"}"#)
                    }
                }
            }
        }
        return lines
    }

    /// Runs `cluster` on `lines` written as `in.jsonl` in a directory of its own.
    private func cluster(_ lines: [String], extra: [String] = []) throws -> URL {
        let directory = try CLI.temporaryDirectory()
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("in.jsonl"), atomically: true, encoding: .utf8)
        let outcome = try CLI.run(["cluster", "in.jsonl", "--out", "reports", "--quiet", "--threads", "2"] + extra, in: directory)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return directory.appendingPathComponent("reports")
    }

    /// A report's bytes, with the `source` of each article (its line in the input) blanked.
    private func withoutSources(_ name: String, in out: URL) throws -> String {
        let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
        if name == "clusters.json" {
            return text.replacingOccurrences(of: #""source":"[^"]*""#, with: #""source":"""#, options: .regularExpression)
        }
        return text.replacingOccurrences(of: #",in\.jsonl:[0-9]+,"#, with: ",,", options: .regularExpression)
    }

    @Test func everyReportIsTheSameBytesForAnyOrderOfTheRecords() throws {
        let lines = Self.corpusLines()
        var generator = Seeded(state: 11)
        let shuffled = lines.shuffled(using: &generator)
        #expect(shuffled != lines)
        let first = try cluster(lines), second = try cluster(shuffled)

        let articles = try CLI.table(first.appendingPathComponent("articles.csv"))
        #expect(articles.count { $0["relation"] == "exact_url" } >= 12, "the corpus has URL copies")
        #expect(articles.count { $0["relation"] == "near_duplicate" || $0["relation"] == "exact_text" } >= 12)
        #expect(try CLI.table(first.appendingPathComponent("pairs.csv")).count > 100)

        for name in ["clusters.csv", "pairs.csv", "calibration.csv", "rejects.csv"] {
            #expect(try Data(contentsOf: first.appendingPathComponent(name)) == Data(contentsOf: second.appendingPathComponent(name)), "\(name) differs")
        }
        // An article's `source` names its line, which moved with it; nothing else may differ.
        for name in ["articles.csv", "clusters.json"] {
            #expect(try withoutSources(name, in: first) == withoutSources(name, in: second), "\(name) differs")
        }
        // summary.json: only the input's SHA-256 (other bytes) and the `run` object differ.
        func stable(_ out: URL) throws -> NSDictionary {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
            object["run"] = nil
            var inputs = try #require(object["inputs"] as? [[String: Any]])
            for k in inputs.indices { inputs[k]["sha256"] = nil }
            object["inputs"] = inputs
            return object as NSDictionary
        }
        #expect(try stable(first) == stable(second))
    }

    @Test func pairsPutTheSmallerIdFirstAndComeSortedByIds() throws {
        let out = try cluster(Self.corpusLines())
        let pairs = try CLI.table(out.appendingPathComponent("pairs.csv"))
        let keys = pairs.map { [UInt8]($0["id_a"]!.utf8) + [0] + [UInt8]($0["id_b"]!.utf8) }
        #expect(pairs.allSatisfy { $0["id_a"]!.utf8.lexicographicallyPrecedes($0["id_b"]!.utf8) })
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
    }

    @Test func aKilledRunsStagingDirectoryIsGoneAfterTheNextRunAndTheSetIsWhole() throws {
        let directory = try CLI.temporaryDirectory()
        try Self.corpusLines().joined(separator: "\n").write(to: directory.appendingPathComponent("in.jsonl"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["cluster", "in.jsonl", "--out", "reports", "--quiet"], in: directory).status == 0)
        // What `kill -9` during the next run leaves: a half-built set beside the reports.
        let leftover = directory.appendingPathComponent(".reports.storyclust-x1Y2z3")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: false)
        try Data("id,cluster_id\r\nhalf".utf8).write(to: leftover.appendingPathComponent("articles.csv"))
        #expect(try CLI.run(["cluster", "in.jsonl", "--out", "reports", "--quiet"], in: directory).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["in.jsonl", "reports"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("reports").path).sorted() == [
            "articles.csv", "calibration.csv", "clusters.csv", "clusters.json", "pairs.csv", "rejects.csv", "summary.json",
        ])
    }

    @Test func theCurrentDirectoryOrOneHoldingSubdirectoriesIsNotReplaced() throws {
        let directory = try CLI.temporaryDirectory()
        try Self.corpusLines().joined(separator: "\n").write(to: directory.appendingPathComponent("in.jsonl"), atomically: true, encoding: .utf8)
        let here = try CLI.run(["cluster", "in.jsonl", "--out", ".", "--quiet"], in: directory)
        #expect(here.status == 74)
        #expect(here.stderr.contains("current directory"), "\(here.stderr)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("reports/mine"), withIntermediateDirectories: true)
        let holding = try CLI.run(["cluster", "in.jsonl", "--out", "reports", "--quiet"], in: directory)
        #expect(holding.status == 74)
        #expect(holding.stderr.contains("'mine'"), "\(holding.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["in.jsonl", "reports"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("reports").path) == ["mine"])
    }

    @Test func formulaCellsAreNeutralizedByDefaultAndKeptOnRequest() throws {
        let lines = [
            #"{"id": "=HYPERLINK(\"http://x.test\")", "title": "@SUM(1+1)", "body": "storm coast harbor flood power towns", "publisher": "-Daily"}"#,
            #"{"id": "plain", "title": "Storm coast", "body": "storm coast harbor flood power towns", "publisher": "'Quoted"}"#,
        ]
        let neutral = try CLI.table(cluster(lines).appendingPathComponent("articles.csv"))
        #expect(Set(neutral.map { $0["id"]! }) == ["'=HYPERLINK(\"http://x.test\")", "plain"])
        #expect(Set(neutral.map { $0["title"]! }) == ["'@SUM(1+1)", "Storm coast"])
        #expect(Set(neutral.map { $0["publisher"]! }) == ["'-Daily", "''Quoted"])
        let kept = try CLI.table(cluster(lines, extra: ["--csv-formulas", "keep"]).appendingPathComponent("articles.csv"))
        #expect(Set(kept.map { $0["publisher"]! }) == ["-Daily", "'Quoted"])
        #expect(try CLI.run(["cluster", "--csv-formulas", "maybe", "x.jsonl"]).status == 64)
    }

    @Test func explainShowsControlCharactersOfTitlesInsteadOfSendingThem() throws {
        let lines = [
            #"{"id": "e1", "title": "Red \u001b[31malert\u001b[0m \u009b2J over \u202Eevil", "body": "storm coast harbor flood power towns lights", "published": "2024-03-04T08:00:00Z"}"#,
            #"{"id": "e2", "title": "Storm\nwarning", "body": "storm coast harbor flood power towns dark", "published": "2024-03-04T09:00:00Z"}"#,
        ]
        let out = try cluster(lines)
        let outcome = try CLI.run(["explain", "e1", "e2", "--reports", "reports"], in: out.deletingLastPathComponent())
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(!outcome.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x202E })
        #expect(outcome.stdout.contains(#"Red \u{1B}[31malert\u{1B}[0m \u{9B}2J over \u{202E}evil"#), "\(outcome.stdout)")
        #expect(outcome.stdout.contains(#""Storm\u{A}warning""#), "\(outcome.stdout)")
    }
}
