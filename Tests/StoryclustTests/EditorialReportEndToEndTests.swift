import Foundation
import Testing

/// `publishers.csv`, `report.html` and `storyclust report`, on small corpora whose answers the
/// tests work out themselves.
@Suite struct EditorialReportEndToEndTests {
    /// Three stories told by four outlets at known times: copies of every kind, one story
    /// first reported by an outlet that is late on another, and a single article.
    static let lines: [String] = {
        func record(_ id: String, _ title: String, _ body: String, _ publisher: String, hour: Int, url: String) -> String {
            #"{"id": "\#(id)", "title": "\#(title)", "body": "\#(body)", "publisher": "\#(publisher)", "url": "\#(url)", "published": "2024-05-01T\#(String(format: "%02d", hour)):00:00Z"}"#
        }
        let volcano = "the volcano erupted overnight sending lava flows toward the village and forcing evacuations of farms"
        let bank = "the central bank raised interest rates again citing inflation and a strong labour market in its statement"
        return [
            record("v1", "Volcano erupts near village", volcano, "Alpha", hour: 1, url: "https://alpha.test/volcano"),
            record("v2", "Volcano erupts near village", volcano, "Beta", hour: 3, url: "https://beta.test/volcano"),
            record("v3", "Volcano erupts near village", volcano + " overnight", "Gamma", hour: 6, url: "https://gamma.test/volcano"),
            record("v4", "Lava reaches village after volcano eruption", "lava from the volcano reached the village farms after the eruption evacuations continue", "Delta", hour: 4, url: "https://delta.test/lava"),
            record("v5", "Volcano erupts near village", volcano, "Alpha", hour: 1, url: "https://alpha.test/volcano?utm_source=feed"),
            record("b1", "Central bank raises interest rates", bank, "Beta", hour: 2, url: "https://beta.test/rates"),
            record("b2", "Bank lifts rates as inflation persists", "the central bank lifted interest rates as inflation persists economists said labour market", "Alpha", hour: 5, url: "https://alpha.test/rates"),
            record("b3", "Central bank raises interest rates", bank, "Gamma", hour: 11, url: "https://gamma.test/rates"),
            record("f1", "Football club wins the cup final", "the football club won the cup final in extra time before a full stadium", "Delta", hour: 7, url: "https://delta.test/cup"),
        ]
    }()

    private func cluster(_ lines: [String], extra: [String] = []) throws -> URL {
        let directory = try CLI.temporaryDirectory()
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("in.jsonl"), atomically: true, encoding: .utf8)
        let outcome = try CLI.run(["cluster", "in.jsonl", "--out", "reports", "--quiet"] + extra, in: directory)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return directory.appendingPathComponent("reports")
    }

    /// What `publishers.csv` must say, worked out from the articles and their clusters.
    private func expectedPublishers(_ articles: [[String: String]]) -> [[String: String]] {
        let time: (String) -> Date? = { ISO8601DateFormatter().date(from: $0) }
        var rows: [String: [String: Int]] = [:]
        var lags: [String: [Double]] = [:]
        for (cluster, members) in Dictionary(grouping: articles, by: { $0["cluster_id"]! }) {
            _ = cluster
            let canonical = members.first { $0["is_canonical"] == "true" }!
            let start = members.compactMap { time($0["published"]!) }.min()
            let firstOutlet = time(canonical["published"]!) == nil ? nil : canonical["publisher"]!
            for member in members {
                let outlet = member["publisher"]!
                rows[outlet, default: [:]]["articles", default: 0] += 1
                switch member["relation"]! {
                case "exact_url", "exact_text": rows[outlet]!["exact_copies", default: 0] += 1
                case "near_duplicate": rows[outlet]!["near_duplicates", default: 0] += 1
                default: rows[outlet]!["originals", default: 0] += 1
                }
            }
            for (outlet, own) in Dictionary(grouping: members, by: { $0["publisher"]! }) {
                rows[outlet]!["stories", default: 0] += 1
                if outlet == firstOutlet {
                    rows[outlet]!["first_reports", default: 0] += 1
                } else if let start, let earliest = own.compactMap({ time($0["published"]!) }).min() {
                    lags[outlet, default: []].append(earliest.timeIntervalSince(start) / 3_600)
                }
            }
        }
        return rows.map { outlet, counts in
            var row = ["publisher": outlet, "median_hours_behind": ""]
            for column in ["articles", "originals", "exact_copies", "near_duplicates", "stories", "first_reports"] {
                row[column] = String(counts[column] ?? 0)
            }
            if let hours = lags[outlet]?.sorted(), !hours.isEmpty {
                let median = hours.count % 2 == 1 ? hours[hours.count / 2] : (hours[hours.count / 2 - 1] + hours[hours.count / 2]) / 2
                row["median_hours_behind"] = String(format: "%.2f", median)
            }
            return row
        }.sorted { ($0["articles"].flatMap(Int.init)!, $1["publisher"]!) > ($1["articles"].flatMap(Int.init)!, $0["publisher"]!) }
    }

    @Test func publishersCountWhatEachOutletWroteCopiedAndReportedFirst() throws {
        let out = try cluster(Self.lines)
        let articles = try CLI.table(out.appendingPathComponent("articles.csv"))
        // The corpus is what the test means it to be: three stories, copies of every kind.
        #expect(Set(articles.map { $0["cluster_id"]! }).count == 3)
        #expect(Set(articles.map { $0["relation"]! }).isSuperset(of: ["exact_url", "exact_text", "canonical", "singleton"]))
        let publishers = try CLI.table(out.appendingPathComponent("publishers.csv"))
        #expect(publishers == expectedPublishers(articles))
        #expect(publishers.reduce(0) { $0 + Int($1["articles"]!)! } == articles.count, "every article counts once")
        // Beta broke the rates story and was two hours behind Alpha on the volcano.
        let beta = try #require(publishers.first { $0["publisher"] == "Beta" })
        #expect(beta["first_reports"] == "1" && beta["median_hours_behind"] == "2.00")
    }
}
