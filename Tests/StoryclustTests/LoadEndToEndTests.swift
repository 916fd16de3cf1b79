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
}
