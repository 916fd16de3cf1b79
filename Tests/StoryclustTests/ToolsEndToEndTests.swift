import Foundation
import Testing

/// `evaluate`, `tune` and `explain`, run as a user runs them.
@Suite(.serialized) struct ToolsEndToEndTests {
    /// Four stories, two of them look-alikes (two storms) that merge at a low threshold, one
    /// article worded apart from its story, and one article without a label: the clusters are
    /// imperfect and change with the threshold.
    static let labelled = """
        {"id": "s1", "story": "storm-coast", "title": "Storm batters the east coast", "body": "A powerful storm battered the east coast on Monday, flooding harbor towns and cutting power to thousands.", "published": "2024-03-04T08:00:00Z"}
        {"id": "s2", "story": "storm-coast", "title": "East coast storm floods harbor towns", "body": "Harbor towns on the east coast were flooded as the storm cut power to thousands of homes on Monday.", "published": "2024-03-04T10:00:00Z"}
        {"id": "s3", "story": "storm-coast", "title": "Thousands without power after storm", "body": "The storm left thousands of homes without power and closed roads in towns.", "published": "2024-03-04T12:00:00Z"}
        {"id": "s4", "story": "storm-inland", "title": "Storm cuts power in inland towns", "body": "A powerful storm cut power to thousands of homes in inland towns on Tuesday and closed roads.", "published": "2024-03-05T09:00:00Z"}
        {"id": "s5", "story": "storm-inland", "title": "Inland snow storm closes mountain roads", "body": "Mountain roads and schools closed as the storm dropped snow across inland valleys.", "published": "2024-03-05T11:00:00Z"}
        {"id": "b1", "story": "budget", "title": "Senate delays budget vote", "body": "The senate delayed its vote on the budget after a dispute over defense spending.", "published": "2024-03-04T09:00:00Z"}
        {"id": "b2", "story": "budget", "title": "Budget vote postponed in the senate", "body": "A dispute over defense spending postponed the senate budget vote until next week.", "published": "2024-03-04T13:00:00Z"}
        {"id": "b3", "story": "budget", "title": "Lawmakers clash over military costs", "body": "Lawmakers clashed over military costs, and the spending plan stalled.", "published": "2024-03-04T15:00:00Z"}
        {"id": "f1", "story": 7, "title": "City wins the cup final", "body": "City won the cup final two goals to one after extra time at the national stadium.", "published": "2024-03-03T20:00:00Z"}
        {"id": "f2", "story": 7, "title": "Extra time goal gives City the cup", "body": "An extra time goal at the national stadium gave City the cup final, two goals to one.", "published": "2024-03-03T22:00:00Z"}
        {"id": "u1", "title": "Museum opens new wing", "body": "The city museum opened a new wing for modern art on Saturday.", "published": "2024-03-02T10:00:00Z"}

        """

    static func labelledInput() throws -> URL {
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("labelled.jsonl")
        try labelled.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The true label of each id in the fixture; `nil` for the unlabelled one.
    static func truth() throws -> [String: String?] {
        var labels: [String: String?] = [:]
        for line in labelled.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            labels.updateValue(object["story"].map { "\($0)" }, forKey: object["id"] as! String)
        }
        return labels
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    /// The scores of a prediction computed the slow, obvious way: over every item and every pair.
    static func bruteForceScores(truth: [String: String?], cluster: [String: String]) -> [String: Double] {
        let ids = truth.keys.sorted()
        // An unlabelled article is a story of its own.
        let story = Dictionary(uniqueKeysWithValues: ids.map { ($0, truth[$0]! ?? "alone:\($0)") })
        let n = Double(ids.count)
        var precision = 0.0, recall = 0.0
        for id in ids {
            let sameCluster = ids.filter { cluster[$0] == cluster[id] }
            let sameStory = ids.filter { story[$0] == story[id] }
            let both = sameCluster.filter { story[$0] == story[id] }.count
            precision += Double(both) / Double(sameCluster.count)
            recall += Double(both) / Double(sameStory.count)
        }
        var both = 0.0, together = 0.0, sameStory = 0.0, pairs = 0.0
        for i in ids.indices {
            for j in ids.indices where j > i {
                let p = cluster[ids[i]] == cluster[ids[j]], t = story[ids[i]] == story[ids[j]]
                pairs += 1
                if p { together += 1 }
                if t { sameStory += 1 }
                if p && t { both += 1 }
            }
        }
        let expected = sameStory * together / pairs
        var joint: [String: Double] = [:], stories: [String: Double] = [:], clusters: [String: Double] = [:]
        for id in ids {
            joint[story[id]! + "\u{0}" + cluster[id]!, default: 0] += 1
            stories[story[id]!, default: 0] += 1
            clusters[cluster[id]!, default: 0] += 1
        }
        var mutual = 0.0
        for (key, count) in joint {
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            mutual += count / n * log(count * n / (stories[parts[0]]! * clusters[parts[1]]!))
        }
        func entropy(_ sizes: [String: Double]) -> Double { -sizes.values.reduce(0) { $0 + $1 / n * log($1 / n) } }
        let bP = precision / n, bR = recall / n
        let pP = together > 0 ? both / together : 1, pR = sameStory > 0 ? both / sameStory : 1
        return [
            "bcubed_precision": bP, "bcubed_recall": bR, "bcubed_f1": 2 * bP * bR / (bP + bR),
            "pairwise_precision": pP, "pairwise_recall": pR, "pairwise_f1": pP + pR > 0 ? 2 * pP * pR / (pP + pR) : 0,
            "ari": (both - expected) / ((sameStory + together) / 2 - expected),
            "nmi": mutual / ((entropy(stories) + entropy(clusters)) / 2),
        ]
    }

    @Test func evaluateMatchesScoresComputedIndependentlyFromTheReportsItWrote() throws {
        let input = try Self.labelledInput(), out = try CLI.temporaryDirectory()
        let outcome = try CLI.run(["evaluate", input.path, "--label-field", "story", "--json", "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let scores = try Self.json(outcome.stdout)
        #expect(outcome.stderr.contains("1 of 11 articles have no 'story' label"), "\(outcome.stderr)")

        let rows = try CLI.table(out.appendingPathComponent("articles.csv"))
        let cluster = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"]!, $0["cluster_id"]!) })
        let truth = try Self.truth()
        #expect(Set(cluster.keys) == Set(truth.keys))
        let expected = Self.bruteForceScores(truth: truth, cluster: cluster)
        for (key, value) in expected {
            let got = try #require(scores[key] as? Double, "no \(key) in \(scores)")
            #expect(abs(got - value) < 1e-9, "\(key): evaluate \(got), brute force \(value)")
        }
        #expect(expected["bcubed_f1"]! < 1 && expected["bcubed_f1"]! > 0.5, "the fixture clusters imperfectly: \(expected)")
        #expect(scores["articles"] as? Int == 11)
        #expect(scores["unlabelled"] as? Int == 1)
        #expect(scores["true_stories"] as? Int == 5, "four stories and the unlabelled article alone")
        #expect(scores["predicted_clusters"] as? Int == Set(cluster.values).count)

        // The text form prints the same numbers, rounded.
        let text = try CLI.run(["evaluate", input.path, "--quiet"])
        #expect(text.status == 0)
        #expect(text.stdout.contains(String(format: "F1 %.4f", expected["bcubed_f1"]!)), "\(text.stdout)")
        #expect(text.stdout.contains("(1 unlabelled)"))
    }

    @Test func evaluatingTheReportsOfARunGivesTheSameScoresAndCountsWhatIsMissing() throws {
        let input = try Self.labelledInput(), out = try CLI.temporaryDirectory()
        let run = try CLI.run(["evaluate", input.path, "--json", "--out", out.path, "--quiet"])
        let fromReports = try CLI.run(["evaluate", input.path, "--json", "--reports", out.path, "--quiet"])
        #expect(fromReports.status == 0, "\(fromReports.stderr)")
        let a = try Self.json(run.stdout), b = try Self.json(fromReports.stdout)
        for key in ["bcubed_f1", "pairwise_f1", "ari", "nmi", "articles", "predicted_clusters"] {
            #expect("\(a[key]!)" == "\(b[key]!)", "\(key)")
        }

        // Drop s2 from articles.csv and add an id the input does not have.
        let path = out.appendingPathComponent("articles.csv")
        var lines = try String(contentsOf: path, encoding: .utf8).components(separatedBy: "\r\n")
        lines.removeAll { $0.hasPrefix("s2,") }
        lines.insert("zz9,c000000000000,,singleton,1.000000,true,Extra,,,,,x,,,1,,und", at: 1)
        try lines.joined(separator: "\r\n").write(to: path, atomically: true, encoding: .utf8)
        let edited = try CLI.run(["evaluate", input.path, "--json", "--reports", out.path])
        #expect(edited.status == 0, "\(edited.stderr)")
        let scores = try Self.json(edited.stdout)
        #expect(scores["missing_from_prediction"] as? Int == 1)
        #expect(scores["extra_predicted_ids"] as? Int == 1)
        #expect(scores["articles"] as? Int == 11, "a missing article is still scored, as its own cluster")
        #expect(edited.stderr.contains("missing from \(out.path)/articles.csv") && edited.stderr.contains("s2"), "\(edited.stderr)")
        #expect(edited.stderr.contains("zz9"))

        var rows = try CLI.table(path)
        rows.append(["id": "s2", "cluster_id": "alone-s2"])
        let expected = Self.bruteForceScores(truth: try Self.truth(), cluster: Dictionary(uniqueKeysWithValues: rows.filter { $0["id"] != "zz9" }.map { ($0["id"]!, $0["cluster_id"]!) }))
        #expect(abs((scores["bcubed_f1"] as! Double) - expected["bcubed_f1"]!) < 1e-9)
    }

    @Test func evaluateRefusesInputWithoutAnyLabel() throws {
        let input = try Self.labelledInput()
        let outcome = try CLI.run(["evaluate", input.path, "--label-field", "topic", "--quiet"])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.contains("'topic'") && outcome.stderr.contains("--label-field"), "\(outcome.stderr)")
        let both = try CLI.run(["evaluate", input.path, "--reports", "r", "--out", "o"])
        #expect(both.status == 64)
    }

    @Test func tuneWritesOneRowPerSettingAndMarksTheBestOne() throws {
        let input = try Self.labelledInput(), dir = try CLI.temporaryDirectory()
        let csv = dir.appendingPathComponent("tune.csv")
        let arguments = ["tune", input.path, "--thresholds", "0.1,0.18,0.3", "--time-decays", "0,0.5", "--name-weights", "1,2",
                         "--out", csv.path, "--quiet"]
        let outcome = try CLI.run(arguments)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try CLI.table(csv)
        #expect(rows.count == 12)
        let settings = rows.map { [$0["name_weight"]!, $0["time_decay"]!, $0["threshold"]!] }
        #expect(Set(settings.map { $0.joined(separator: "/") }).count == 12)
        #expect(settings.first == ["1.00", "0.00", "0.100"] && settings.last == ["2.00", "0.50", "0.300"])
        #expect(rows.first { $0["threshold"] == "0.180" }?["pair_floor"] == "0.1200")

        #expect(Set(rows.map { $0["bcubed_f1"]! }).count > 1, "the threshold changes the clusters of the fixture")
        let best = rows.filter { $0["best"] == "true" }
        try #require(best.count == 1)
        let top = rows.map { Double($0["bcubed_f1"]!)! }.max()!
        #expect(Double(best[0]["bcubed_f1"]!) == top)
        #expect(outcome.stdout.contains("best by B-cubed F1: --name-weight \(TuneOutput.short(best[0]["name_weight"]!))"), "\(outcome.stdout)")

        // Each row is what evaluate (and so cluster) gives for that setting.
        for (nameWeight, decay, threshold) in [("2", "0.5", "0.18"), ("1", "0", "0.3")] {
            let evaluated = try Self.json(try CLI.run(["evaluate", input.path, "--name-weight", nameWeight, "--time-decay", decay,
                                                       "--threshold", threshold, "--json", "--quiet"]).stdout)
            let row = try #require(rows.first {
                TuneOutput.short($0["name_weight"]!) == nameWeight && TuneOutput.short($0["time_decay"]!) == decay
                    && TuneOutput.short($0["threshold"]!) == threshold
            })
            for key in ["bcubed_precision", "bcubed_recall", "bcubed_f1", "pairwise_f1", "ari", "nmi"] {
                #expect(row[key] == String(format: "%.6f", evaluated[key] as! Double), "\(key) at \(nameWeight)/\(decay)/\(threshold)")
            }
            #expect(row["clusters"] == "\(evaluated["predicted_clusters"]!)")
        }

        // Same input, same table.
        let first = try Data(contentsOf: csv)
        #expect(try CLI.run(arguments + ["--threads", "1"]).status == 0)
        #expect(try Data(contentsOf: csv) == first)
    }

    @Test func tuneRejectsBadLists() throws {
        let input = try Self.labelledInput()
        let bad = try CLI.run(["tune", input.path, "--thresholds", "0.1,x"])
        #expect(bad.status == 64 && bad.stderr.contains("'x' is not a number"), "\(bad.stderr)")
        let high = try CLI.run(["tune", input.path, "--thresholds", "0.5:0.9:0.1"])
        #expect(high.status == 64 && high.stderr.contains("--duplicate-threshold"), "\(high.stderr)")
        // Above the attachment bar: a usage error, not a crash; with attachment off, a sweep.
        let aboveAttach = try CLI.run(["tune", input.path, "--thresholds", "0.3,0.45", "--quiet"])
        #expect(aboveAttach.status == 64 && aboveAttach.stderr.contains("--attach-threshold"), "\(aboveAttach.stderr)")
        let out = try CLI.temporaryDirectory().appendingPathComponent("tune.csv")
        let off = try CLI.run(["tune", input.path, "--thresholds", "0.3,0.45", "--attach-threshold", "0", "--quiet", "--out", out.path])
        #expect(off.status == 0, "\(off.stderr)")
    }

    @Test func explainAgreesWithPairsCSVOnTheSeedRun() throws {
        let out = try CLI.temporaryDirectory()
        #expect(try CLI.run(["cluster", EndToEndTests.seeds.path, "--out", out.path, "--quiet"]).status == 0)
        let pairs = try CLI.table(out.appendingPathComponent("pairs.csv"))
        try #require(pairs.count >= 3)
        let articles = try CLI.table(out.appendingPathComponent("articles.csv"))
        let clusterOf = Dictionary(uniqueKeysWithValues: articles.map { ($0["id"]!, $0["cluster_id"]!) })
        for pair in pairs {
            // From another directory: the recorded input paths are absolute here.
            let outcome = try CLI.run(["explain", pair["id_a"]!, pair["id_b"]!, "--reports", out.path, "--json", "--top", "1000"], in: out)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stderr.isEmpty, "no warning for unchanged inputs: \(outcome.stderr)")
            let explained = try Self.json(outcome.stdout)
            #expect(explained["shared_terms"] as? String == pair["shared_terms"])
            let cosine = try #require(explained["cosine"] as? Double)
            #expect(abs(cosine - Double(pair["cosine"]!)!) < 1e-5)
            let terms = try #require(explained["terms"] as? [[String: Any]])
            #expect(terms.count == explained["shared_term_count"] as? Int)
            #expect(abs(terms.map { $0["contribution"] as! Double }.reduce(0, +) - cosine) < 1e-5)
            #expect(explained["pair_relation"] as? String == pair["relation"])
            #expect(explained["same_cluster"] as? Bool == (clusterOf[pair["id_a"]!] == clusterOf[pair["id_b"]!]))
            #expect(explained["cluster_a"] as? String == clusterOf[pair["id_a"]!])
            let hours = try #require(explained["hours_apart"] as? Double)
            #expect(String(format: "%.2f", hours) == pair["hours_apart"])
        }

        let text = try CLI.run(["explain", pairs[0]["id_a"]!, pairs[0]["id_b"]!, "--reports", out.path])
        #expect(text.stdout.contains("cosine \(pairs[0]["cosine"]!)"), "\(text.stdout)")
        let firstTerm = String(pairs[0]["shared_terms"]!.prefix { $0 != ":" })
        #expect(text.stdout.contains("\n  \(firstTerm) "), "the top term is listed first: \(text.stdout)")
    }

    @Test func explainNamesAnUnknownIdAndWarnsAboutChangedInputs() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        let file = input.appendingPathComponent("labelled.jsonl")
        try Self.labelled.write(to: file, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["cluster", input.path, "--out", out.path, "--quiet"]).status == 0)

        let unknown = try CLI.run(["explain", "s1", "no-such-id", "--reports", out.path])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("'no-such-id'") && unknown.stderr.contains(out.path), "\(unknown.stderr)")

        // The same files read from elsewhere are the run's inputs: no warning.
        let moved = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(at: file, to: moved.appendingPathComponent("renamed.jsonl"))
        let elsewhere = try CLI.run(["explain", "s1", "s2", moved.path, "--reports", out.path])
        #expect(elsewhere.status == 0 && elsewhere.stderr.isEmpty, "\(elsewhere.stderr)")

        try (Self.labelled + #"{"id": "n1", "title": "Late news", "body": "Something else entirely."}"# + "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let changed = try CLI.run(["explain", "s1", "s2", "--reports", out.path])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stderr.contains("\(file.path) changed since the run"), "\(changed.stderr)")

        let missing = try CLI.run(["explain", "s1", "s2", "--reports", out.appendingPathComponent("nope").path])
        #expect(missing.status == 74)
        #expect(missing.stderr.contains("nope/articles.csv"))
    }
}

enum TuneOutput {
    /// A number of the tune table as the command line spells it: 2.00 -> 2, 0.180 -> 0.18.
    static func short(_ text: String) -> String {
        var text = text
        while text.contains(".") && text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
