import Foundation
import Testing

/// Inputs whose copies made the reports grow with the square of the articles.
@Suite(.serialized) struct LoadEndToEndTests {
    static let body = "The regional council approved the new flood barrier on the river after a long debate, "
        + "and the mayor said work on the harbor bridge would start in the spring with money from the state"

    @Test func twoThousandSyndicatedCopiesGiveLinearPairsAndEveryArticleOnce() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        var lines: [String] = []
        for index in 0..<2_000 {
            // A minute apart: all inside the 84-hour window, so every pair of copies is compared.
            let minute = String(format: "%02d:%02d", index / 60 % 24, index % 60)
            lines.append(#"{"id": "c\#(index)", "title": "Council approves flood barrier", "body": "\#(Self.body)", "#
                + #""url": "https://site\#(index).example/news/barrier", "published": "2024-03-0\#(1 + index / 1_440)T\#(minute):00Z"}"#)
        }
        lines.append(#"{"id": "other", "title": "Quake in Italy", "body": "A magnitude 6.1 earthquake struck central Italy near Perugia.", "published": "2024-03-01T10:00:00Z"}"#)
        try (lines.joined(separator: "\n") + "\n").write(to: input.appendingPathComponent("wire.jsonl"), atomically: true, encoding: .utf8)

        let outcome = try CLI.run(["cluster", input.path, "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let articles = try CLI.table(out.appendingPathComponent("articles.csv"))
        #expect(articles.count == 2_001)
        #expect(Set(articles.compactMap { $0["id"] }).count == 2_001, "every article once")
        let copies = articles.filter { $0["id"] != "other" }
        #expect(Set(copies.compactMap { $0["cluster_id"] }).count == 1, "the copies are one story")
        #expect(copies.filter { $0["relation"] == "exact_text" }.count == 1_999)
        #expect(copies.filter { $0["relation"] == "canonical" }.map { $0["id"] } == ["c0"])

        // The copies' 1,999,000 pairs are listed as a star around the first copy.
        let pairs = try CLI.table(out.appendingPathComponent("pairs.csv"))
        #expect(pairs.count == 1_999)
        #expect(pairs.allSatisfy { $0["id_a"] == "c0" || $0["id_b"] == "c0" })
        let clusters = try CLI.table(out.appendingPathComponent("clusters.csv"))
        #expect(clusters.first?["size"] == "2000" && clusters.first?["mean_similarity"]?.hasPrefix("1") == true)
    }

    /// `count` near copies of one wire text, each with one word replaced by a word of its own, a
    /// minute apart (as `scripts/load-cases swarm`), and one unrelated article.
    static func swarm(_ count: Int) throws -> URL {
        let input = try CLI.temporaryDirectory()
        let words = "storm coast council vote budget river flood bridge school mayor police court harbor festival market".split(separator: " ")
        let body = (0..<120).map { words[($0 * 7 + $0 / 5) % words.count] }
        var lines: [String] = []
        for index in 0..<count {
            var text = body.map(String.init)
            text[index * 37 % text.count] = "w\(index)"
            let minute = String(format: "%02d:%02d", index / 60 % 24, index % 60)
            lines.append(#"{"id": "n\#(index)", "title": "Wire: storm hits the coast", "body": "\#(text.joined(separator: " "))", "#
                + #""url": "https://site\#(index).example/news/storm", "published": "2024-03-0\#(1 + index / 1_440)T\#(minute):00Z"}"#)
        }
        lines.append(#"{"id": "other", "title": "Quake in Italy", "body": "A magnitude 6.1 earthquake struck central Italy near Perugia.", "published": "2024-03-01T10:00:00Z"}"#)
        try (lines.joined(separator: "\n") + "\n").write(to: input.appendingPathComponent("swarm.jsonl"), atomically: true, encoding: .utf8)
        return input
    }

    @Test func threeThousandNearCopiesHoldLinearPairsAndAreOneStory() throws {
        let input = try Self.swarm(3_000), out = try CLI.temporaryDirectory()
        let outcome = try CLI.run(["cluster", input.path, "--out", out.path, "--progress"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // Every pair of the swarm is inside the window: 4,498,500 at full count. The search holds
        // at most 1,000 later partners per article.
        let held = outcome.stderr.components(separatedBy: "similarity: ").last.flatMap { Int($0.prefix { $0.isNumber }) }
        #expect(held.map { $0 <= 1_000 * 3_000 } == true, "pairs held: \(held.map(String.init) ?? "none")")
        #expect(outcome.stderr.contains("articles kept their best 1000"))

        let articles = try CLI.table(out.appendingPathComponent("articles.csv"))
        #expect(articles.count == 3_001)
        #expect(Set(articles.compactMap { $0["id"] }).count == 3_001, "every article once")
        let swarm = articles.filter { $0["id"] != "other" }
        #expect(Set(swarm.compactMap { $0["cluster_id"] }).count == 1, "the near copies are one story")
        #expect(swarm.filter { $0["relation"] == "canonical" }.count == 1)
        #expect(articles.first { $0["id"] == "other" }?["relation"] == "singleton")
        let pairs = try CLI.table(out.appendingPathComponent("pairs.csv"))
        #expect(pairs.count <= 100 * 3_000 && pairs.count >= 3_000 / 2)
    }

    @Test func tuneScoresCopiesOnceAsClusterDoes() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory().appendingPathComponent("tune.csv")
        var lines: [String] = []
        for index in 0..<1_500 {
            let minute = String(format: "%02d:%02d", index / 60 % 24, index % 60)
            lines.append(#"{"id": "c\#(index)", "title": "Council approves flood barrier", "body": "\#(Self.body)", "story": "wire", "#
                + #""url": "https://site\#(index).example/news/barrier", "published": "2024-03-01T\#(minute):00Z"}"#)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: input.appendingPathComponent("wire.jsonl"), atomically: true, encoding: .utf8)
        let outcome = try CLI.run([
            "tune", input.path, "--thresholds", "0.18,0.3", "--time-decays", "0.3", "--name-weights", "2", "--out", out.path, "--progress"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // 1,124,250 pairs of copies one by one; a star around the first copy when gathered.
        #expect(outcome.stderr.contains("similarity: 1499 pairs"), "\(outcome.stderr.suffix(300))")
        let rows = try CLI.table(out)
        #expect(rows.count == 2 && rows.allSatisfy { $0["bcubed_f1"] == "1.000000" }, "\(rows)")
    }
}
