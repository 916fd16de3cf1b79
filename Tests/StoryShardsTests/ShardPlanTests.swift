import Corpus
import Foundation
import Testing
@testable import StoryShards

@Suite struct ShardPlanTests {
    static func file(_ path: String, _ first: Int64?, _ last: Int64?, dated: Int, undated: Int = 0) -> ShardPlan.File {
        ShardPlan.File(path: path, format: "jsonl", bytes: 1, sha256: "x", records: dated + undated,
                       first: first, last: last, dated: dated, undated: undated)
    }

    @Test func equalShardsCoverTheSpanAndReadTheWindowOnBothSides() {
        let day: Int64 = 86_400
        let files = (0..<10).map { Self.file("d\($0).jsonl", Int64($0) * day, Int64($0) * day + day - 1, dated: 100) }
        let plan = ShardPlanner.plan(files: files, skipped: [], cut: .count(4), windowSeconds: day / 2)
        #expect(plan.count == 4)
        #expect(plan.shards.first?.from == 0)
        #expect(plan.shards.last!.to >= 10 * day)
        for (a, b) in zip(plan.shards, plan.shards.dropFirst()) { #expect(a.to == b.from) }
        for shard in plan.shards {
            #expect(shard.readFrom == shard.from - day / 2 && shard.readTo == shard.to + day / 2)
            // Exactly the files whose time range meets the read range.
            let expected = files.indices.filter { files[$0].first! < shard.readTo && files[$0].last! >= shard.readFrom }
            #expect(shard.files == expected)
        }
        // Every time of the span has exactly one owner.
        for t in stride(from: Int64(0), to: 10 * day, by: 3_600) {
            #expect(plan.shards.indices.count { plan.owns($0, published: t, id: "x") } == 1)
        }
    }

    @Test func shardDaysStartAtMidnightAndCountFromTheSpan() {
        let day: Int64 = 86_400
        let files = [Self.file("a.jsonl", 3 * day + 5_000, 9 * day + 10, dated: 5)]
        let plan = ShardPlanner.plan(files: files, skipped: [], cut: .days(2), windowSeconds: 3_600)
        #expect(plan.shards.map(\.from) == [3 * day, 5 * day, 7 * day, 9 * day])
        #expect(plan.shards.allSatisfy { $0.to - $0.from == 2 * day })
    }

    @Test func undatedArticlesHaveOneOwnerAndTheirFilesAreReadByEveryShard() {
        let day: Int64 = 86_400
        let files = [
            Self.file("dated.jsonl", 0, 8 * day, dated: 50),
            Self.file("mixed.jsonl", 0, 1_000, dated: 2, undated: 3),
            Self.file("broken.jsonl", nil, nil, dated: 0),
        ]
        let plan = ShardPlanner.plan(files: files, skipped: [], cut: .count(4), windowSeconds: 3_600)
        #expect(plan.shards.allSatisfy { $0.files.contains(1) })
        // A file without articles (its rejects only) is read by the first shard alone.
        #expect(plan.shards.map { $0.files.contains(2) } == [true, false, false, false])
        var owners = [0, 0, 0, 0]
        for k in 0..<400 {
            let id = "undated-\(k)"
            let owner = ShardPlan.undatedOwner(id, count: 4)
            #expect(plan.shards.indices.filter { plan.keeps($0, published: nil, id: id) } == [owner])
            owners[owner] += 1
        }
        #expect(owners.allSatisfy { $0 > 60 })  // spread, not all in one shard
    }

    @Test func aGapInTimeGivesEmptyShardsThatRunAndMerge() throws {
        let fixture = try ShardFixture(stories: 12, spacing: 2, undated: 0, repeatedURLs: 0)
        defer { fixture.remove() }
        // A second burst nine days later: the shards between own nothing and read no file.
        let late = (0..<4).map { k in
            "{\"id\":\"late\(k)\",\"title\":\"harbour ferry strike\",\"body\":\"ferry crews strike at the harbour\",\"published\":\(1_700_000_000 + 9 * 86_400 + k * 600)}"
        }
        try (late.joined(separator: "\n") + "\n").write(toFile: fixture.directory + "/input/late.jsonl", atomically: true, encoding: .utf8)
        let planned = try fixture.plan(.count(6))
        #expect(planned.plan.shards.contains { $0.files.isEmpty })
        let shards = try fixture.runShards(planned)
        let merged = try fixture.merge(shards, into: "merged")
        let clusters = try ShardFixture.clusters(merged)
        #expect(clusters.count == fixture.truth.count + 4)
        #expect(Set((0..<4).map { clusters["late\($0)"]! }).count == 1)
    }

    @Test func anIndexOutsideThePlanIsRefused() throws {
        let fixture = try ShardFixture(stories: 6)
        defer { fixture.remove() }
        let planned = try fixture.plan(.count(3))
        #expect(throws: ShardError.self) { try fixture.runShard(planned, 3, into: "bad") }
        do {
            try fixture.runShard(planned, 7, into: "bad")
        } catch let error as ShardError {
            #expect(error.description.contains("shards 0 to 2"))
        }
    }

    @Test func aChangedInputIsRefused() throws {
        let fixture = try ShardFixture(stories: 6)
        defer { fixture.remove() }
        let planned = try fixture.plan(.count(2))
        let handle = try #require(FileHandle(forWritingAtPath: fixture.input))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\":\"new\",\"title\":\"added later\",\"published\":1700000000}\n".utf8))
        handle.closeFile()
        do {
            try fixture.runShard(planned, 0, into: "changed")
            Issue.record("a changed input was read")
        } catch let error as ShardError {
            #expect(error.description.contains(fixture.input) && error.description.contains("SHA-256"))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/changed"))
    }

    @Test func theIndexComesFromTheJobEnginesVariable() {
        #expect(ShardPlan.index(fromEnvironment: ["JOB_COMPLETION_INDEX": "3"])! == ("JOB_COMPLETION_INDEX", "3"))
        #expect(ShardPlan.index(fromEnvironment: ["SLURM_ARRAY_TASK_ID": "1", "AWS_BATCH_JOB_ARRAY_INDEX": "2"])! == ("SLURM_ARRAY_TASK_ID", "1"))
        #expect(ShardPlan.index(fromEnvironment: ["HOME": "/root"]) == nil)
    }
}
