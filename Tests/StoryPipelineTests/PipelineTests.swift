import Cluster
import Corpus
import Foundation
import Report
import StoryPipeline
import Testing

/// The library pipeline run in-process on the repository's `data/seeds`, without the executable.
@Suite struct PipelineTests {
    static let seeds = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data/seeds").path

    /// The five articles of the seed story (Microsoft's supercomputer for OpenAI).
    static let seedStory: Set = ["uff5ec5f4c7e5b37c", "u889632456d79f88a", "u6bba08afd1591c7f", "u9b84d35d1ab6484b", "u719080c2b8f5b183"]

    static func settings(threads: Int = 2) -> PipelineSettings {
        var settings = PipelineSettings()
        settings.paths = [seeds]
        settings.threads = threads
        return settings
    }

    static func run(_ settings: PipelineSettings, warnings: Warnings = Warnings(), outputDirectories: [String] = []) throws -> RunResult {
        var pipeline = Pipeline(settings: settings, fieldMap: .standard, progress: ProgressLines(enabled: false),
                                outputDirectories: outputDirectories, warn: warnings.add)
        return try pipeline.run()
    }

    /// The warnings a run passed on, in order.
    final class Warnings {
        private(set) var messages: [String] = []
        func add(_ message: String) { messages.append(message) }
    }

    @Test func seedStoryIsOneClusterWithTheCountsClusterReports() throws {
        let result = try Self.run(Self.settings())
        let clustering = result.clustering
        let clusterOf = Dictionary(uniqueKeysWithValues: zip(clustering.records.map(\.id), clustering.memberships.map(\.cluster)))
        let seedClusters = Set(Self.seedStory.map { clusterOf[$0] })
        #expect(seedClusters.count == 1)
        let seed = try #require(seedClusters.first.flatMap { $0 })
        #expect(clustering.clusters[seed].members.count == Self.seedStory.count)
        #expect(clustering.clusters[seed].id == "c9c452afde436")

        // What `storyclust cluster data/seeds` prints and summary.json records.
        let counts = RunCounts(result)
        #expect(counts.articles == 8)
        #expect(counts.recordsRead == 8)
        #expect(counts.clusters == 3)
        #expect(counts.storiesWithSeveralArticles == 2)
        #expect(counts.singletons == 1)
        #expect(counts.nearDuplicate == 1)
        #expect(counts.exactURL == 0 && counts.exactText == 0)
        #expect(counts.sameStory == 4)
        #expect(counts.pairs == 11)
        #expect(counts.rejected == 0 && counts.warnings == 0 && counts.skippedFiles == 0)
        // The linkage's own figures reach summary.json's parameters.
        #expect(result.parameters.linkageThreshold == clustering.linkageThreshold)
        #expect(result.parameters.pairFloor == PipelineSettings().clusterOptions().pairFloor)
    }

    @Test func threadCountDoesNotChangeTheClustering() throws {
        let one = try Self.run(Self.settings(threads: 1)).clustering
        let four = try Self.run(Self.settings(threads: 4)).clustering
        #expect(one.records.map(\.id) == four.records.map(\.id))
        #expect(one.memberships == four.memberships)
        #expect(one.clusters == four.clusters)
    }

    @Test func writeLapsTheReportStageAndWritesTheSet() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("storypipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var pipeline = Pipeline(settings: Self.settings(), fieldMap: .standard, progress: ProgressLines(enabled: false),
                                outputDirectories: [out.path], warn: { _ in })
        let result = try pipeline.run()
        let counts = try pipeline.write(result, with: ReportWriter(directory: out.path))
        #expect(counts == RunCounts(result))
        #expect(pipeline.clock.laps.map(\.stage) == ["read", "vectorize", "similarity", "cluster", "report"])

        let articles = try String(contentsOf: out.appendingPathComponent("articles.csv"), encoding: .utf8)
        #expect(articles.split(whereSeparator: \.isNewline).count == 1 + counts.articles)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
        let run = try #require(summary?["run"] as? [String: Any])
        #expect(run["stages"] as? [String] == ["read", "vectorize", "similarity", "cluster", "report"])
        #expect((summary?["counts"] as? [String: Any])?["clusters"] as? Int == counts.clusters)
    }

    @Test func ownReportsAmongTheInputsArePassedToTheWarning() throws {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("storypipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: input) }
        let out = input.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.seeds) {
            try FileManager.default.copyItem(atPath: "\(Self.seeds)/\(name)", toPath: input.appendingPathComponent(name).path)
        }
        var first = Pipeline(settings: Self.settings(), fieldMap: .standard, progress: ProgressLines(enabled: false),
                             outputDirectories: [out.path], warn: { _ in })
        _ = try first.write(try first.run(), with: ReportWriter(directory: out.path))

        // Read again with the reports inside the input and not excluded: the directory is skipped,
        // and the warning says so.
        var settings = Self.settings()
        settings.paths = [input.path]
        let warnings = Warnings()
        let result = try Self.run(settings, warnings: warnings)
        #expect(result.corpus.articles.count == 8)
        #expect(warnings.messages.count == 1)
        #expect(warnings.messages.first?.hasPrefix("\(out.path): StoryClust's own reports") == true, "\(warnings.messages)")
    }
}
