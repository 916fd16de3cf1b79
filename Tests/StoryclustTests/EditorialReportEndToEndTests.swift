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

    @Test func everyRunWritesTheSeedStoryOnOneCardAndHTMLNoneSkipsThePage() throws {
        let work = try CLI.temporaryDirectory()
        let seeds = CLI.repositoryRoot.appendingPathComponent("data/seeds").path
        #expect(try CLI.run(["cluster", seeds, "--out", "reports", "--quiet"], in: work).status == 0)
        let page = try String(contentsOf: work.appendingPathComponent("reports/report.html"), encoding: .utf8)
        let clusters = try CLI.table(work.appendingPathComponent("reports/clusters.csv"))
        #expect(page.components(separatedBy: "<article class=\"story\"").count - 1 == clusters.count)
        // The largest story's card names each of its outlets.
        let largest = try #require(clusters.first)
        let card = try #require(page.components(separatedBy: "<article class=\"story\"").dropFirst().first)
        for outlet in largest["outlet_names"]!.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            #expect(card.contains("<span class=\"outlet\">\(outlet)</span>"), "\(outlet)")
        }
        #expect(largest["outlets"] == "5")

        #expect(try CLI.run(["cluster", seeds, "--out", "reports", "--quiet", "--html", "none"], in: work).status == 0)
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("reports/report.html").path))
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("reports/publishers.csv").path))
    }

    @Test func reportRendersTheSamePageAgainFromTheDirectoryAndFollowsAFilteredClustersJSON() throws {
        let out = try cluster(Self.lines, extra: ["--html-stories", "2"])
        let page = out.appendingPathComponent("report.html")
        let written = try Data(contentsOf: page)
        try FileManager.default.removeItem(at: page)
        let again = try CLI.run(["report", out.path, "--html-stories", "2"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: page) == written, "the same bytes as the run wrote")

        // A notebook drops the volcano story from clusters.json: the page follows.
        let json = out.appendingPathComponent("clusters.json")
        let lines = try String(contentsOf: json, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var kept = lines.filter { !$0.contains("Volcano") }
        kept[kept.count - 3] = kept[kept.count - 3].hasSuffix(",") ? kept[kept.count - 3].dropLast() : kept[kept.count - 3]
        try kept.joined(separator: "\n").write(to: json, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["report", out.path]).status == 0)
        let filtered = try String(contentsOf: page, encoding: .utf8)
        #expect(!filtered.contains("Volcano") && filtered.contains("Central bank raises interest rates"))
    }

    @Test func reportOnADirectoryWithoutReportsNamesTheMissingFile() throws {
        let empty = try CLI.temporaryDirectory()
        let outcome = try CLI.run(["report", empty.path])
        #expect(outcome.status == 74)
        #expect(outcome.stderr.contains("clusters.json") && outcome.stderr.contains("no such file"), "\(outcome.stderr)")
        try Data("{\"clusters\":[\n{\"cluster_id\":1}\n],\"tool\":\"storyclust\"}\n".utf8).write(to: empty.appendingPathComponent("clusters.json"))
        let malformed = try CLI.run(["report", empty.path])
        #expect(malformed.status == 65)
        #expect(malformed.stderr.contains("clusters.json") && malformed.stderr.contains("line 2"), "\(malformed.stderr)")
    }
}
