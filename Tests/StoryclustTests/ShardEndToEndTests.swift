import Foundation
import Testing

/// `plan`, `cluster --plan` and `merge` run as a job engine would run them.
@Suite(.serialized) struct ShardEndToEndTests {
    /// 30 stories of 4 articles over five days, each story with words of its own.
    static func corpus(in directory: URL) throws -> URL {
        var lines: [String] = []
        for story in 0..<30 {
            for k in 0..<4 {
                let words = "quokka\(story)x marmot\(story)y"
                lines.append("""
                    {"id":"s\(story)k\(k)","title":"\(words) report \(k)","body":"\(words) walrus\(story)z news \(k)","published":\(1_700_000_000 + story * 14_400 + k * 900)}
                    """)
            }
        }
        let url = directory.appendingPathComponent("input/articles.jsonl")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The inherited environment without any job engine's index.
    static var plainEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { !["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"].contains($0.key) }
    }

    @Test func theIndexFromTheJobEngineClustersEachShardAndTheMergeHasEveryArticleOnce() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.corpus(in: directory)
        let plan = try CLI.run(["plan", "--shards", "3", "input", "--out", "plan.json", "--window", "24"], in: directory)
        #expect(plan.status == 0, "\(plan.stderr)")
        for index in 0..<3 {
            var environment = Self.plainEnvironment
            environment["JOB_COMPLETION_INDEX"] = "\(index)"
            let shard = try CLI.run(["cluster", "--plan", "plan.json", "--out", "shard-\(index)", "--window", "24", "-q"], in: directory, environment: environment)
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merge = try CLI.run(["merge", "shard-2", "shard-0", "shard-1", "--out", "merged"], in: directory)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("merged 3 shards: 120 articles"))
        let rows = try CLI.table(directory.appendingPathComponent("merged/articles.csv"))
        #expect(rows.count == 120 && Set(rows.map { $0["id"]! }).count == 120)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("merged/report.html").path))
    }

    @Test func aShardWithoutAnIndexOrOutsideThePlanAndAnIncompleteMergeAreRefused() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.corpus(in: directory)
        #expect(try CLI.run(["plan", "--shards", "2", "input", "--out", "plan.json"], in: directory).status == 0)
        let noIndex = try CLI.run(["cluster", "--plan", "plan.json", "--out", "s"], in: directory, environment: Self.plainEnvironment)
        #expect(noIndex.status == 64 && noIndex.stderr.contains("JOB_COMPLETION_INDEX"))
        var environment = Self.plainEnvironment
        environment["SLURM_ARRAY_TASK_ID"] = "x1"
        let badVariable = try CLI.run(["cluster", "--plan", "plan.json", "--out", "s"], in: directory, environment: environment)
        #expect(badVariable.status == 64 && badVariable.stderr.contains("SLURM_ARRAY_TASK_ID=x1"))
        let outside = try CLI.run(["cluster", "--plan", "plan.json", "--shard", "2", "--out", "s"], in: directory)
        #expect(outside.status == 64 && outside.stderr.contains("shards 0 to 1"))
        let window = try CLI.run(["cluster", "--plan", "plan.json", "--shard", "0", "--out", "s", "--window", "12"], in: directory)
        #expect(window.status == 65 && window.stderr.contains("window of 84"))
        #expect(try CLI.run(["cluster", "--plan", "plan.json", "--shard", "0", "--out", "s0", "-q"], in: directory).status == 0)
        let missing = try CLI.run(["merge", "s0", "--out", "merged"], in: directory)
        #expect(missing.status == 65 && missing.stderr.contains("shard 1 of 2 missing"))
        let stdin = try CLI.run(["plan", "--shards", "2", "-", "--out", "p.json"], in: directory)
        #expect(stdin.status == 64)
    }
}
