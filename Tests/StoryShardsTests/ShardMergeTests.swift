import Corpus
import Foundation
import Report
import Testing
@testable import StoryShards

@Suite struct ShardMergeTests {
    static let reports = ["articles.csv", "clusters.csv", "pairs.csv", "calibration.csv", "rejects.csv", "clusters.json", "publishers.csv", "report.html"]

    @Test func theMergeIsTheSameBytesWhateverTheOrderOfTheShardDirectories() throws {
        let fixture = try ShardFixture()
        defer { fixture.remove() }
        let planned = try fixture.plan(.count(4))
        let shards = try fixture.runShards(planned)
        let a = try fixture.merge(shards, into: "a")
        let b = try fixture.merge([shards[2], shards[0], shards[3], shards[1]], into: "b")
        let c = try fixture.merge(shards.reversed(), into: "c")
        for name in Self.reports {
            let x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + name))
            #expect(!x.isEmpty)
            #expect(x == (try Data(contentsOf: URL(fileURLWithPath: b + "/" + name))), "\(name)")
            #expect(x == (try Data(contentsOf: URL(fileURLWithPath: c + "/" + name))), "\(name)")
        }
    }

    @Test(arguments: [2, 3, 5])
    func everyArticleIsInTheMergeExactlyOnce(shardCount: Int) throws {
        let fixture = try ShardFixture(stories: 30, spacing: 5, undated: 5, repeatedURLs: 4, seed: UInt64(shardCount))
        defer { fixture.remove() }
        let planned = try fixture.plan(.count(shardCount))
        let shards = try fixture.runShards(planned)
        // The overlaps make shards read articles of their neighbours...
        let read = try shards.map { try ShardFixture.clusters($0).count }.reduce(0, +)
        #expect(read > fixture.truth.count)
        // ...yet the merge lists each once, undated articles and exact_url copies too.
        let merged = try fixture.merge(shards, into: "merged")
        let rows = try ReportReader(directory: merged).articles()
        #expect(rows.count == fixture.truth.count)
        #expect(Set(rows.map(\.id)) == Set(fixture.truth.keys))
        #expect(rows.count { $0.relation == "exact_url" } == 4)
        // Every copy sits in its original's story; every pair row names two merged articles.
        let cluster = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.clusterID) })
        for row in rows { if let original = row.duplicateOf { #expect(cluster[original] == row.clusterID) } }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: merged + "/summary.json"))) as! [String: Any]
        let counts = summary["counts"] as! [String: Any]
        #expect(counts["articles"] as? Int == fixture.truth.count)
        #expect((summary["shards"] as? [Any])?.count == shardCount)
    }

    @Test func shardsGiveTheStoriesOfASingleRunWhenNoStoryCrossesABoundaryBadly() throws {
        let fixture = try ShardFixture(stories: 40, spacing: 6, undated: 0, repeatedURLs: 2)
        defer { fixture.remove() }
        let single = ShardFixture.partition(try ShardFixture.clusters(try fixture.single(into: "single")))
        // The stories are told apart by their words: one run finds them all.
        #expect(single == ShardFixture.partition(fixture.truth.mapValues(String.init)))
        for count in [3, 4] {
            let planned = try fixture.plan(.count(count))
            let merged = try fixture.merge(try fixture.runShards(planned, prefix: "s\(count)"), into: "merged-\(count)")
            #expect(ShardFixture.partition(try ShardFixture.clusters(merged)) == single, "\(count) shards")
        }
    }

    @Test func eachMergedArticleKeepsTheLanguageItsShardDetected() throws {
        let fixture = try ShardFixture(stories: 12, spacing: 6, undated: 2, repeatedURLs: 2)
        defer { fixture.remove() }
        func languages(_ directory: String) throws -> [String: String] {
            var byID: [String: String] = [:]
            try CSVRecordScanner.forEachRow(directory + "/articles.csv", columns: ["id", "language"]) { byID[$0[0]] = $0[1] }
            return byID
        }
        let single = try languages(try fixture.single(into: "single"))
        let merged = try languages(try fixture.merge(try fixture.runShards(try fixture.plan(.count(3))), into: "merged"))
        #expect(!merged.isEmpty)
        #expect(merged.values.allSatisfy { !$0.isEmpty })
        #expect(merged == single)
    }

    @Test func aStoryAcrossABoundaryIsOneStoryWithOneId() throws {
        // Stories two hours apart: with 4 shards some straddle a boundary.
        let fixture = try ShardFixture(stories: 24, spacing: 2, undated: 0, repeatedURLs: 0, seed: 11)
        defer { fixture.remove() }
        let planned = try fixture.plan(.count(4))
        let merged = try fixture.merge(try fixture.runShards(planned), into: "merged")
        let clusters = try ShardFixture.clusters(merged)
        for story in Set(fixture.truth.values) {
            let ids = fixture.truth.filter { $0.value == story }.map(\.key)
            #expect(Set(ids.map { clusters[$0]! }).count == 1, "story \(story)")
        }
        // Cluster ids follow the single run's rule: c + SHA-256 of the canonical article's id.
        let rows = try ReportReader(directory: merged).articles()
        for row in rows where row.relation == "canonical" || row.relation == "singleton" {
            #expect(row.clusterID == StableHash.id("c", row.id, length: 12))
        }
    }

    @Test func aMissingShardAShardGivenTwiceOrAnotherPlansShardIsRefused() throws {
        let fixture = try ShardFixture(stories: 10)
        defer { fixture.remove() }
        let planned = try fixture.plan(.count(3))
        let shards = try fixture.runShards(planned)
        func refusal(_ directories: [String]) -> String {
            do {
                _ = try ShardMerge(directories: directories).shards()
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal([shards[0], shards[2]]).contains("shard 1 of 3 missing"))
        #expect(refusal(shards + [shards[1]]).contains("given twice"))
        let other = try fixture.plan(.count(3), window: 24)
        let stranger = try fixture.runShard(other, 1, into: "other-1", window: 24)
        let message = refusal([shards[0], stranger, shards[2]])
        #expect(message.contains("different plans"))
        #expect(refusal([fixture.directory + "/input"]).contains("shard.json"))
    }

    @Test func anIdRepeatedFarApartIsRenamedOnceAsOneRunRenamesIt() throws {
        let fixture = try ShardFixture(stories: 12, spacing: 4, undated: 0, repeatedURLs: 0)
        defer { fixture.remove() }
        // The id a1 again, ten days later, in a file of its own: no shard reads both records.
        let late = "{\"id\":\"a1\",\"title\":\"harbour ferry strike\",\"body\":\"ferry crews strike\",\"published\":\(1_700_000_000 + 10 * 86_400)}\n"
        try late.write(toFile: fixture.directory + "/input/late.jsonl", atomically: true, encoding: .utf8)
        let single = try ReportReader(directory: try fixture.single(into: "single")).articles()
        let planned = try fixture.plan(.count(4))
        let merged = try fixture.merge(try fixture.runShards(planned), into: "merged")
        let rows = try ReportReader(directory: merged).articles()
        #expect(rows.count == fixture.truth.count + 1)
        #expect(Set(rows.map(\.id)) == Set(single.map(\.id)))
        #expect(Set(rows.map(\.id)).contains("a1~2"))
        let rejects = try String(contentsOfFile: merged + "/rejects.csv", encoding: .utf8)
        #expect(rejects.contains("renamed to 'a1~2'"))
    }

    @Test func shardsKeptCompressedMergeToTheSameBytesAsPlainOnes() throws {
        let fixture = try ShardFixture(stories: 20, spacing: 5, undated: 3, repeatedURLs: 2)
        defer { fixture.remove() }
        let planned = try fixture.plan(.count(3))
        let plain = try fixture.runShards(planned)
        let packed = try fixture.runShards(planned, prefix: "packed")
        // As `shards-parallel --compress` leaves them (zstd), and gzip for one shard.
        for (k, shard) in packed.enumerated() {
            for name in ["articles.csv", "pairs.csv", "calibration.csv", "rejects.csv", "clusters.json", "clusters.csv", "report.html"] {
                try k == 1 ? Compress.gzip(shard + "/" + name) : Compress.zstd(shard + "/" + name)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: packed[0] + "/pairs.csv"))
        let a = try fixture.merge(plain, into: "from-plain")
        let b = try fixture.merge(packed, into: "from-packed")
        for name in Self.reports {
            let x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + name))
            #expect(!x.isEmpty)
            #expect(x == (try Data(contentsOf: URL(fileURLWithPath: b + "/" + name))), "\(name)")
        }
        // The other readers of a reports directory read a compressed one too.
        for k in [0, 1] {
            let rows = try ReportReader(directory: packed[k]).articles()
            #expect(rows == (try ReportReader(directory: plain[k]).articles()))
            let pairs = try String(contentsOfFile: ReportReader(directory: plain[k]).pairsPath, encoding: .utf8).split(separator: "\r\n")
            let last = try #require(pairs.last).split(separator: ",").map(String.init)
            let found = try #require(try ReportReader(directory: packed[k]).pair(last[1], last[0]))
            #expect(found == (try ReportReader(directory: plain[k]).pair(last[0], last[1])))
        }
    }

    @Test func aDamagedCompressedShardReportIsAnErrorNamingIt() throws {
        let fixture = try ShardFixture(stories: 12, spacing: 5, undated: 0, repeatedURLs: 0)
        defer { fixture.remove() }
        let shards = try fixture.runShards(try fixture.plan(.count(2)))
        let path = shards[1] + "/pairs.csv"
        try Compress.zstd(path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path + ".zst"))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path + ".zst"))
        #expect {
            try fixture.merge(shards, into: "merged")
        } throws: { error in
            let message = "\(error)"
            return message.contains("pairs.csv.zst") && message.contains("ends early")
        }
    }
}
