import Corpus
import Foundation
import Report
import StoryPipeline
import StoryShards
import Vectors

/// A small corpus of well separated stories over several days, written as JSON Lines, and the
/// steps of a sharded run on it (plan, each shard, merge), in-process.
struct ShardFixture {
    let directory: String
    let input: String
    /// Article id -> true story.
    let truth: [String: Int]

    /// `stories` stories of 3 to 6 articles each, one every `spacing` hours, their articles
    /// within a few hours of each other; every story has words of its own. `undated` articles
    /// have no time; `repeatedURLs` articles are read twice under one URL (exact_url copies).
    init(stories: Int = 40, spacing: Double = 6, undated: Int = 4, repeatedURLs: Int = 3, seed: UInt64 = 7) throws {
        directory = NSTemporaryDirectory() + "storyclust-shards-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/input", withIntermediateDirectories: true)
        input = directory + "/input/articles.jsonl"
        var random = SplitMix(seed)
        func word() -> String {
            let letters = Array("bcdfghjklmnpqrstvwxz"), vowels = Array("aeiou")
            return String((0..<3).flatMap { _ in [letters[Int(random.next() % 20)], vowels[Int(random.next() % 5)]] })
        }
        let start: Int64 = 1_700_000_000
        var lines: [String] = []
        var truth: [String: Int] = [:]
        var count = 0
        for story in 0..<stories {
            let words = (0..<8).map { _ in word() }
            let size = 3 + Int(random.next() % 4)
            let center = start + Int64(Double(story) * spacing * 3_600)
            for k in 0..<size {
                count += 1
                let id = "a\(count)"
                let title = (0..<4).map { _ in words[Int(random.next() % 8)] }.joined(separator: " ")
                let body = (0..<30).map { _ in random.next() % 4 == 0 ? word() : words[Int(random.next() % 8)] }.joined(separator: " ")
                let time = center + Int64(k) * 1_800
                let dated = !(story < undated && k == 0)
                var object: [String: Any] = ["id": id, "title": title, "body": body, "url": "https://news\(k).example/\(id)", "publisher": "Outlet \(k)"]
                if dated { object["published"] = time }
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                truth[id] = story
                if story < repeatedURLs && k == 1 {
                    // The same URL again, shorter: an exact_url copy of the record above.
                    var copy = object
                    copy["id"] = id + "b"
                    copy["body"] = String(body.prefix(40))
                    lines.append(String(decoding: try JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys]), as: UTF8.self))
                    truth[id + "b"] = story
                }
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        self.truth = truth
    }

    static func settings(window hours: Double = 12) -> PipelineSettings {
        var settings = PipelineSettings()
        settings.threads = 1
        settings.windowSeconds = Int64(hours * 3_600)
        return settings
    }

    func plan(_ cut: ShardPlanner.Cut, window hours: Double = 12) throws -> (plan: ShardPlan, sha256: String) {
        let settings = Self.settings(window: hours)
        let plan = try ShardPlanner(cut: cut, windowSeconds: settings.windowSeconds!, readOptions: settings.readOptions(fields: .standard))
            .plan(paths: [directory + "/input"])
        let path = directory + "/plan-\(UUID().uuidString).json"
        try plan.encoded().write(to: URL(fileURLWithPath: path))
        return try ShardPlan.load(path)
    }

    /// Runs shard `index` into `DIR/name` and returns the directory.
    @discardableResult
    func runShard(_ planned: (plan: ShardPlan, sha256: String), _ index: Int, into name: String, window hours: Double = 12) throws -> String {
        let out = directory + "/" + name
        var pipeline = Pipeline(settings: Self.settings(window: hours), fieldMap: .standard, progress: ProgressLines(enabled: false),
                                outputDirectories: [out], warn: { _ in })
        let (result, manifest) = try pipeline.runShard(planned.plan, planSHA256: planned.sha256, index: index)
        var writer = ReportWriter(directory: out, threads: 1)
        writer.extraFiles = [(ShardManifest.fileName, try manifest.encoded())]
        _ = try pipeline.write(result, with: writer)
        return out
    }

    /// Every shard of the plan, in `DIR/prefix-I`.
    func runShards(_ planned: (plan: ShardPlan, sha256: String), prefix: String = "shard", window hours: Double = 12) throws -> [String] {
        try planned.plan.shards.indices.map { try runShard(planned, $0, into: "\(prefix)-\($0)", window: hours) }
    }

    /// Merges `shards` into `DIR/name`.
    @discardableResult
    func merge(_ shards: [String], into name: String) throws -> String {
        let out = directory + "/" + name
        var report = try ShardMerge(directories: shards).assemble(progress: ProgressLines(enabled: false))
        _ = try ReportWriter(directory: out, threads: 1).writeAssembled(&report) {
            RunFacts(stageSeconds: [("assemble", 0)], threads: 1, blas: BLAS.info)
        }
        return out
    }

    /// The whole input clustered in one run, into `DIR/name`.
    func single(into name: String, window hours: Double = 12) throws -> String {
        let out = directory + "/" + name
        var settings = Self.settings(window: hours)
        settings.paths = [directory + "/input"]
        var pipeline = Pipeline(settings: settings, fieldMap: .standard, progress: ProgressLines(enabled: false), warn: { _ in })
        let result = try pipeline.run()
        _ = try pipeline.write(result, with: ReportWriter(directory: out, threads: 1))
        return out
    }

    /// Article id -> cluster id, from a reports directory.
    static func clusters(_ directory: String) throws -> [String: String] {
        var map: [String: String] = [:]
        for row in try ReportReader(directory: directory).articles() { map[row.id] = row.clusterID }
        return map
    }

    /// The partition of `clusters` as sets of ids, order-free.
    static func partition(_ clusters: [String: String]) -> Set<Set<String>> {
        Set(Dictionary(grouping: clusters.keys, by: { clusters[$0]! }).values.map(Set.init))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// SplitMix64: a seeded generator, the same on every machine.
struct SplitMix {
    private var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
