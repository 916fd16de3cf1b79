import Foundation
import Testing

@Suite(.serialized) struct EndToEndTests {
    static let seeds = CLI.repositoryRoot.appendingPathComponent("data/seeds")

    @Test func theSeedStoryIsOneClusterWithItsSyndicatedPairAndWithoutTheOtherStory() throws {
        let out = try CLI.temporaryDirectory()
        let outcome = try CLI.run(["cluster", Self.seeds.path, "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try CLI.table(out.appendingPathComponent("articles.csv"))
        #expect(rows.count == 8, "two documents and six related entries")
        func row(_ publisher: String) throws -> [String: String] {
            try #require(rows.first { $0["publisher"] == publisher }, "no row for \(publisher)")
        }
        let story = try ["ExtremeTech", "Mint", "Redmond Magazine", "Webindia 123", "Sify.com"].map { try row($0)["cluster_id"]! }
        #expect(Set(story).count == 1, "the supercomputer story is one cluster: \(story)")
        #expect(try row("TechCrunch")["cluster_id"] != story[0], "the fairer machine learning article is another story")

        let webindia = try row("Webindia 123"), sify = try row("Sify.com")
        let pair = [webindia, sify]
        #expect(pair.contains { $0["relation"] == "near_duplicate" || $0["relation"] == "exact_text" })
        #expect(pair.contains { $0["duplicate_of"] == webindia["id"] } || pair.contains { $0["duplicate_of"] == sify["id"] })
        // Related entries remember the record that listed them.
        #expect(webindia["listed_by"] == (try row("ExtremeTech"))["id"])
        // Exactly one canonical per multi-article cluster, and it is the earliest published.
        let members = rows.filter { $0["cluster_id"] == story[0] }
        let canonical = members.filter { $0["is_canonical"] == "true" }
        #expect(canonical.count == 1)
        #expect(canonical.first?["published"] == members.compactMap { $0["published"] }.min())
    }

    @Test func malformedFilesAreRejectedWithTheirReasonWhileTheRestIsClustered() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        func write(_ name: String, _ text: String) throws {
            try text.write(to: input.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("good.jsonl", """
            {"id": "g1", "title": "Storm hits the coast", "body": "A storm hit the coast on Monday.", "published": "2024-03-01T10:00:00Z"}
            {"id": "g2", "title": "Budget vote delayed", "body": "Parliament delayed the budget vote.", "published": "not a date"}
            {"id": "bad-json", "title": "broken
            [1, 2, 3]
            {"id": "empty", "title": "", "body": "   "}

            """)
        try write("rows.csv", "id,title,body\nc1,\"Quake, strong\",\"Line one\nline two\"\nc2,too,many,fields\n")
        try write("broken.md", "---\ntitle: [unclosed\n---\n")
        try write("bomb.md", """
            ---
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            title: *g
            ---

            """)
        try Data([0x2D, 0x2D, 0x2D, 0x0A, 0x00, 0xFF, 0x00, 0x01]).write(to: input.appendingPathComponent("binary.md"))
        try write("notes.pdf", "not an article")

        let outcome = try CLI.run(["cluster", input.path, "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let articles = try CLI.table(out.appendingPathComponent("articles.csv"))
        #expect(Set(articles.map { $0["id"]! }) == ["g1", "g2", "c1"])
        #expect(articles.first { $0["id"] == "c1" }?["title"] == "Quake, strong")
        #expect(articles.first { $0["id"] == "g2" }?["published"] == "", "a bad date keeps the article without it")

        let rejects = try CLI.table(out.appendingPathComponent("rejects.csv"))
        func rejected(_ file: String) -> [[String: String]] {
            rejects.filter { $0["file"]!.hasSuffix(file) && $0["severity"] == "rejected" }
        }
        #expect(rejected("good.jsonl").map { $0["line"]! }.sorted() == ["3", "4", "5"], "\(rejects)")
        #expect(rejected("rows.csv").count == 1)
        #expect(rejected("rows.csv").first?["reason"]?.contains("field") == true)
        #expect(rejected("broken.md").count == 1)
        #expect(rejected("bomb.md").first?["reason"]?.lowercased().contains("alias") == true, "\(rejected("bomb.md"))")
        #expect(rejected("binary.md").count == 1)
        #expect(rejects.contains { $0["file"]!.hasSuffix("notes.pdf") && $0["severity"] == "skipped" })
        #expect(rejects.contains { $0["severity"] == "warning" && $0["id"] == "g2" && $0["reason"]!.contains("not a date") })
        #expect(rejects.allSatisfy { !($0["reason"] ?? "").isEmpty })

        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        let counts = summary["counts"] as! [String: Any]
        #expect(counts["articles"] as? Int == 3)
        #expect(counts["rejected"] as? Int == rejects.count { $0["severity"] == "rejected" })
        #expect(counts["records_read"] as? Int == 3 + (counts["rejected"] as! Int))

        let strict = try CLI.run(["cluster", input.path, "--out", out.path, "--quiet", "--strict"])
        #expect(strict.status == 65)
    }

    @Test func reportsAreByteIdenticalAcrossRunsInputOrderAndThreads() throws {
        let input = try CLI.temporaryDirectory()
        let seedFiles = try FileManager.default.contentsOfDirectory(atPath: Self.seeds.path).sorted()
        for name in seedFiles {
            try FileManager.default.copyItem(at: Self.seeds.appendingPathComponent(name), to: input.appendingPathComponent(name))
        }
        try """
            {"id": "x1", "title": "Microsoft supercomputer for OpenAI", "body": "Microsoft built a supercomputer for OpenAI on Azure.", "published": 1589900000}
            {"id": "x2", "title": "Local team wins the cup", "body": "The local team won the cup final on Sunday.", "published": 1589900000000}

            """.write(to: input.appendingPathComponent("extra.jsonl"), atomically: true, encoding: .utf8)
        let files = try FileManager.default.contentsOfDirectory(atPath: input.path).sorted().map { input.appendingPathComponent($0).path }

        var outputs: [URL] = []
        for (arguments, index) in [(files, 0), (files.reversed(), 1), (files, 2)] {
            let out = try CLI.temporaryDirectory()
            let threads = index == 2 ? "1" : "2"
            let outcome = try CLI.run(["cluster"] + arguments + ["--out", out.path, "--quiet", "--threads", threads])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            outputs.append(out)
        }
        for name in ["articles.csv", "clusters.csv", "pairs.csv", "calibration.csv", "rejects.csv", "clusters.json"] {
            let first = try Data(contentsOf: outputs[0].appendingPathComponent(name))
            #expect(!first.isEmpty)
            for other in outputs.dropFirst() {
                #expect(try Data(contentsOf: other.appendingPathComponent(name)) == first, "\(name) differs")
            }
        }
        // summary.json differs only in its `run` object (timings, threads).
        func stable(_ url: URL) throws -> NSDictionary {
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url.appendingPathComponent("summary.json"))) as! [String: Any]
            object["run"] = nil
            return object as NSDictionary
        }
        #expect(try stable(outputs[0]) == stable(outputs[1]))
        #expect(try stable(outputs[0]) == stable(outputs[2]))
    }

    /// `--exact` scores every pair by brute force; the default search must find the same pairs
    /// and so the same clusters (cosines agree to pairs.csv's six decimals, up to rounding).
    @Test func theDefaultSearchFindsThePairsOfTheExactSearch() throws {
        let examples = CLI.repositoryRoot.appendingPathComponent("examples/ecbplus").path
        var tables: [[String: [[String: String]]]] = []
        for extra in [[], ["--exact"]] {
            let out = try CLI.temporaryDirectory()
            let outcome = try CLI.run(["cluster", Self.seeds.path, examples, "--out", out.path, "--quiet", "--threshold", "0.1"] + extra)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            tables.append([
                "pairs": try CLI.table(out.appendingPathComponent("pairs.csv")),
                "articles": try CLI.table(out.appendingPathComponent("articles.csv")),
            ])
        }
        let (fast, exact) = (tables[0], tables[1])
        #expect(exact["pairs"]!.count > 20, "the corpus must produce pairs to compare")
        #expect(fast["pairs"]!.count == exact["pairs"]!.count)
        for (a, b) in zip(fast["pairs"]!, exact["pairs"]!) {
            #expect(a["id_a"] == b["id_a"] && a["id_b"] == b["id_b"])
            #expect(abs(Double(a["cosine"]!)! - Double(b["cosine"]!)!) <= 2e-6)
        }
        #expect(fast["articles"]!.map { $0["cluster_id"] } == exact["articles"]!.map { $0["cluster_id"] })
    }

    @Test func strictFailsWhenFilesAreSkippedOrNothingIsRead() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        try Data("not an article".utf8).write(to: input.appendingPathComponent("notes.bin"))
        let skipped = try CLI.run(["cluster", input.path, "--out", out.path, "--strict", "--quiet"])
        #expect(skipped.status == 65 && skipped.stderr.contains("skipped"), "\(skipped.stderr)")
        let relaxed = try CLI.run(["cluster", input.path, "--out", out.path, "--quiet"])
        #expect(relaxed.status == 0, "\(relaxed.stderr)")
        let clean = try CLI.run(["cluster", Self.seeds.path, "--out", out.path, "--strict", "--quiet"])
        #expect(clean.status == 0, "\(clean.stderr)")
        let empty = try CLI.temporaryDirectory()
        let nothing = try CLI.run(["cluster", empty.path, "--out", out.path, "--strict", "--quiet"])
        #expect(nothing.status == 65 && nothing.stderr.contains("no article was read"), "\(nothing.stderr)")
    }

    /// Reports written inside the input are skipped on purpose: a strict rerun still passes.
    @Test func strictIgnoresItsOwnReportsInsideTheInput() throws {
        let input = try CLI.temporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.seeds.path) {
            try FileManager.default.copyItem(at: Self.seeds.appendingPathComponent(name), to: input.appendingPathComponent(name))
        }
        let out = input.appendingPathComponent("reports")
        let first = try CLI.run(["cluster", input.path, "--out", out.path, "--strict", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let again = try CLI.run(["cluster", input.path, "--out", out.path, "--strict", "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        let rejects = try CLI.table(out.appendingPathComponent("rejects.csv"))
        #expect(rejects.contains { $0["reason"]?.contains("own reports") == true })
    }

    @Test func usageAndIOErrorsHaveTheirExitCodesAndClearMessages() throws {
        let out = try CLI.temporaryDirectory()
        let badThreshold = try CLI.run(["cluster", Self.seeds.path, "--out", out.path, "--threshold", "2"])
        #expect(badThreshold.status == 64)
        #expect(badThreshold.stderr.contains("--threshold"))

        let badField = try CLI.run(["cluster", Self.seeds.path, "--out", out.path, "--field", "nonsense"])
        #expect(badField.status == 64)

        // The boost only ever raises a mean; a factor under 1 or a negative limit is a usage error.
        let weakBoost = try CLI.run(["cluster", Self.seeds.path, "--out", out.path, "--small-group-boost", "0.9"])
        #expect(weakBoost.status == 64 && weakBoost.stderr.contains("--small-group-boost"), "\(weakBoost.stderr)")
        let negativeLimit = try CLI.run(["cluster", Self.seeds.path, "--out", out.path, "--small-group-limit=-1"])
        #expect(negativeLimit.status == 64 && negativeLimit.stderr.contains("--small-group-limit"), "\(negativeLimit.stderr)")

        // A window past Int64 seconds used to trap converting Double to Int64 (SIGILL).
        let hugeWindow = try CLI.run(["cluster", Self.seeds.path, "--out", out.path, "--window", "2.6e15"])
        #expect(hugeWindow.status == 64 && hugeWindow.stderr.contains("--window"), "\(hugeWindow.stderr)")

        let missing = try CLI.run(["cluster", "/nonexistent/articles", "--out", out.path])
        #expect(missing.status == 74)
        #expect(missing.stderr.contains("/nonexistent/articles"))

        let file = out.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let unwritable = try CLI.run(["cluster", Self.seeds.path, "--out", file.appendingPathComponent("reports").path])
        #expect(unwritable.status == 74)
        #expect(unwritable.stderr.contains("plain-file"))
    }

    @Test func noArgumentsClustersDataIntoReports() throws {
        let work = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("data"), to: work.appendingPathComponent("data"))
        let outcome = try CLI.run([], in: work)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("clusters"))
        for name in ["articles.csv", "clusters.csv", "pairs.csv", "calibration.csv", "rejects.csv", "clusters.json", "publishers.csv", "report.html", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("reports/\(name)").path), "\(name)")
        }
    }
}
