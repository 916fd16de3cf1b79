import Foundation
import Testing

/// `update` and `export` on a few days of a small made-up news flow: stable ids across runs,
/// idempotence, a newer version of a seen URL, settings refusal and kill -9 inside an update.
@Suite(.serialized) struct UpdateEndToEndTests {
    /// Three stories told on several days, each article with its own wording around the story's words.
    static let stories = [
        ("storm", "Hurricane Velma floods the harbour of Port Alder, fishermen evacuate boats, coast guard rescues crews"),
        ("budget", "Parliament of Esteria delays budget vote, finance minister Orlo Maren defends pension reform and taxes"),
        ("launch", "Kestrel rocket launches Nimbus weather satellite from Salto spaceport after fuel valve delay"),
    ]
    static let fillers = ["reported", "said on", "according to officials", "witnesses told", "sources confirmed", "later added"]

    /// A JSON Lines day: `count` articles per story, published on `day` (0-based) from 2024-03-01.
    static func day(_ day: Int, count: Int, stories: Range<Int> = 0..<3) -> String {
        var lines: [String] = []
        for s in stories {
            let (key, words) = Self.stories[s]
            for k in 0..<count {
                let hour = 1 + (k * 5) % 22
                let filler = fillers[(k + day) % fillers.count]
                let time = String(format: "2024-03-%02dT%02d:00:00Z", 1 + day, hour)
                lines.append("""
                    {"id": "\(key)-d\(day)-\(k)", "title": "\(words.split(separator: ",")[0]) \(filler)", \
                    "body": "\(words). Outlet \(k) \(filler) on day \(day).", "url": "https://news\(k).example/\(key)/\(day)/\(k)", \
                    "publisher": "Outlet \(k)", "published": "\(time)"}
                    """)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct Flow {
        let directory: URL
        var state: String { directory.appendingPathComponent("state.sqlite").path }

        init() throws {
            directory = try CLI.temporaryDirectory()
            for d in 0..<3 {
                try UpdateEndToEndTests.day(d, count: 4).write(to: input(d), atomically: true, encoding: .utf8)
            }
        }

        func input(_ day: Int) -> URL { directory.appendingPathComponent("day\(day).jsonl") }

        func update(_ day: Int, out: String? = nil, _ extra: [String] = []) throws -> CLI.Outcome {
            try CLI.run(["update", "--state", state, input(day).path, "--threads", "2", "--quiet"]
                + (out.map { ["--out", directory.appendingPathComponent($0).path] } ?? []) + extra)
        }

        /// `id -> cluster_id` of `export` over the whole state.
        func exported(_ name: String) throws -> [String: String] {
            let out = directory.appendingPathComponent(name)
            let outcome = try CLI.run(["export", "--state", state, "--out", out.path, "--threads", "2", "--quiet"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return Dictionary(uniqueKeysWithValues: try CLI.table(out.appendingPathComponent("articles.csv")).map { ($0["id"]!, $0["cluster_id"]!) })
        }

        func table(_ out: String, _ file: String) throws -> [[String: String]] {
            try CLI.table(directory.appendingPathComponent(out).appendingPathComponent(file))
        }
    }

    @Test func storiesKeepTheirIDsAcrossDailyUpdatesAndChangesSayWhatHappened() throws {
        let flow = try Flow()
        #expect(try flow.update(0, out: "r0").status == 0)
        let first = try flow.table("r0", "articles.csv")
        #expect(first.count == 12)
        #expect(Set(first.map { $0["cluster_id"]! }).count == 3, "three stories on day 0: \(first.map { $0["cluster_id"]! })")
        let born = try flow.table("r0", "changes.csv")
        #expect(born.map { $0["change"] } == ["born", "born", "born"])
        #expect(born.map { $0["size"] } == ["4", "4", "4"])

        #expect(try flow.update(1, out: "r1").status == 0)
        let second = try flow.table("r1", "articles.csv")
        #expect(second.count == 24, "day 0 is inside the window and clustered again")
        let before = Dictionary(uniqueKeysWithValues: first.map { ($0["id"]!, $0["cluster_id"]!) })
        for row in second where before[row["id"]!] != nil {
            #expect(row["cluster_id"] == before[row["id"]!], "\(row["id"]!) kept its story")
        }
        for row in second where row["id"]!.contains("-d1-") {
            let story = String(row["id"]!.prefix { $0 != "-" })
            #expect(row["cluster_id"] == before["\(story)-d0-0"], "day 1's \(story) joined day 0's")
        }
        let grew = try flow.table("r1", "changes.csv")
        #expect(grew.map { $0["change"] } == ["grew", "grew", "grew"])
        #expect(grew.allSatisfy { $0["articles_added"] == "4" && $0["size"] == "8" })

        // The export over the whole state gives the same ids.
        let exported = try flow.exported("export")
        #expect(exported.count == 24)
        for row in second { #expect(exported[row["id"]!] == row["cluster_id"]) }
    }

    @Test func theSameInputAgainChangesNothingAndSaysSo() throws {
        let flow = try Flow()
        #expect(try flow.update(0).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: flow.state))
        let again = try CLI.run(["update", "--state", flow.state, flow.input(0).path, "--threads", "2"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("nothing new: 12 articles already in"), "\(again.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: flow.state)) == bytes, "the state file is not written")
    }

    @Test func aNewerVersionOfASeenURLUpdatesThatArticle() throws {
        let flow = try Flow()
        #expect(try flow.update(0).status == 0)
        // The same URL under another id, later and with more text: the same article, rewritten.
        let newer = """
            {"id": "rewrite", "title": "Hurricane Velma floods the harbour of Port Alder again", \
            "body": "Hurricane Velma floods the harbour of Port Alder, fishermen evacuate boats, coast guard rescues crews. Update: more rain.", \
            "url": "https://news0.example/storm/0/0?utm_source=feed", "publisher": "Outlet 0", "published": "2024-03-01T03:00:00Z"}

            """
        let path = flow.directory.appendingPathComponent("newer.jsonl")
        try newer.write(to: path, atomically: true, encoding: .utf8)
        let outcome = try CLI.run(["update", "--state", flow.state, path.path, "--threads", "2", "--out", flow.directory.appendingPathComponent("r").path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("0 new, 1 updated"), "\(outcome.stdout)")
        let rows = try flow.table("r", "articles.csv")
        #expect(rows.count == 13, "twelve articles and the record as the updated one's exact_url copy")
        let row = try #require(rows.first { $0["id"] == "storm-d0-0" }, "the stored id is kept")
        #expect(row["title"] == "Hurricane Velma floods the harbour of Port Alder again")
        let record = try #require(rows.first { $0["id"] == "rewrite" }, "the record read is listed once")
        #expect(record["relation"] == "exact_url" && record["duplicate_of"] == "storm-d0-0")
        #expect(try flow.exported("export").count == 13)
    }

    /// A record of a stored article's URL under another id, arriving in a later update, is that
    /// article's `exact_url` copy, as it would be in one run: in the update's reports and in every
    /// export, once, in the story of its original; the same input again adds nothing.
    @Test func aLateURLCopyIsKeptBesideItsStoredOriginal() throws {
        let flow = try Flow()
        #expect(try flow.update(0).status == 0)
        // The same text under a tracking URL (with day 1's articles), and one alone in an update of its own.
        let copy = """
            {"id": "late-copy", "title": "Hurricane Velma floods the harbour of Port Alder reported", \
            "body": "Hurricane Velma floods the harbour of Port Alder, fishermen evacuate boats, coast guard rescues crews. Outlet 0 reported on day 0.", \
            "url": "https://news0.example/storm/0/0?utm_source=feed", "publisher": "Outlet 0", "published": "2024-03-01T01:05:00Z"}

            """
        let alone = copy.replacingOccurrences(of: "late-copy", with: "late-alone").replacingOccurrences(of: "news0.example/storm/0/0", with: "news1.example/budget/0/1")
        let day1 = flow.directory.appendingPathComponent("day1-with-copy.jsonl")
        try (try String(contentsOf: flow.input(1), encoding: .utf8) + copy).write(to: day1, atomically: true, encoding: .utf8)
        let outcome = try CLI.run(["update", "--state", flow.state, day1.path, "--threads", "2", "--out", flow.directory.appendingPathComponent("r1").path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let window = try flow.table("r1", "articles.csv")
        #expect(window.count == 25)
        let late = try #require(window.first { $0["id"] == "late-copy" }, "the copy is in the update's reports")
        #expect(late["relation"] == "exact_url" && late["duplicate_of"] == "storm-d0-0")
        #expect(late["cluster_id"] == window.first { $0["id"] == "storm-d0-0" }?["cluster_id"])

        let path = flow.directory.appendingPathComponent("alone.jsonl")
        try alone.write(to: path, atomically: true, encoding: .utf8)
        let second = try CLI.run(["update", "--state", flow.state, path.path, "--threads", "2"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("1 exact_url copies of stored articles"), "\(second.stdout)")

        let exported = try flow.exported("export")
        #expect(exported.count == 26, "every record once: \(exported.count)")
        #expect(exported["late-copy"] == exported["storm-d0-0"])
        #expect(exported["late-alone"] == exported["budget-d0-1"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: flow.state))
        for input in [day1, path] {
            let again = try CLI.run(["update", "--state", flow.state, input.path, "--threads", "2"])
            #expect(again.stdout.contains("nothing new"), "\(again.stdout)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: flow.state)) == bytes)
    }

    /// The same days with another thread count and each day's records in reverse order give
    /// the same stories: the export's clusters.csv byte for byte, articles.csv but for the source lines.
    @Test func updatesDoNotDependOnThreadsOrRecordOrder() throws {
        let flows = [try Flow(), try Flow()]
        for d in 0..<3 {
            let lines = try String(contentsOf: flows[1].input(d), encoding: .utf8).split(separator: "\n")
            try (lines.reversed().joined(separator: "\n") + "\n").write(to: flows[1].input(d), atomically: true, encoding: .utf8)
        }
        for (flow, threads) in zip(flows, ["1", "3"]) {
            for d in 0..<3 { #expect(try flow.update(d, ["--threads", threads]).status == 0) }
        }
        var clusters: [Data] = [], articles: [[[String: String]]] = []
        for flow in flows {
            let out = flow.directory.appendingPathComponent("export")
            #expect(try CLI.run(["export", "--state", flow.state, "--out", out.path, "--quiet", "--html", "none"]).status == 0)
            clusters.append(try Data(contentsOf: out.appendingPathComponent("clusters.csv")))
            // Every column but `source` (the input file and line, which the reversal moves).
            articles.append(try CLI.table(out.appendingPathComponent("articles.csv")).map { $0.filter { $0.key != "source" } })
        }
        #expect(clusters[0] == clusters[1])
        #expect(articles[0] == articles[1])
        #expect(articles[0].count == 36)
    }

    @Test func otherClusteringSettingsAreRefusedUnlessAllowed() throws {
        let flow = try Flow()
        #expect(try flow.update(0).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: flow.state))
        let refused = try flow.update(1, ["--threshold", "0.3"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("other clustering settings") && refused.stderr.contains("threshold: 0.18"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: flow.state)) == bytes)
        #expect(try flow.update(1, ["--threshold", "0.3", "--allow-parameter-change"]).status == 0)
        // Thread count is not a clustering setting.
        #expect(try flow.update(2, ["--threshold", "0.3", "--threads", "1"]).status == 0)
    }

    /// Killed with SIGKILL at each point of an update, the state is exactly the one before the
    /// update (or, once committed, after it), and the next update gives the uninterrupted result.
    @Test(arguments: ["before-transaction", "after-articles", "after-memberships", "after-stories", "before-commit", "after-commit"])
    func killNineLeavesTheStateBeforeOrAfter(point: String) throws {
        let flow = try Flow()
        #expect(try flow.update(0).status == 0)
        let before = try flow.exported("before")
        let reference = try Flow()
        #expect(try reference.update(0).status == 0)
        #expect(try reference.update(1).status == 0)
        let after = try reference.exported("after")

        let marker = flow.directory.appendingPathComponent("paused").path
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["update", "--state", flow.state, flow.input(1).path, "--threads", "2", "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["STORYCLUST_TEST_PAUSE_AT": point, "STORYCLUST_TEST_PAUSE_FILE": marker]) { $1 }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: marker) && process.isRunning && Date() < deadline { usleep(20_000) }
        #expect(FileManager.default.fileExists(atPath: marker), "the update reached \(point)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let killed = try flow.exported("killed")
        #expect(killed == (point == "after-commit" ? after : before))
        let next = try flow.update(1)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try flow.exported("next") == after)
    }
}
