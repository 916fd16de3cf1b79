import Cluster
import Corpus
import Foundation
import Report
import StoryPipeline
import Testing

/// Headlines clustered at the defaults: two of one story that share a single word join, and
/// two unrelated ones stay apart; with the adaptive threshold off (the earlier defaults) the
/// story is split.
@Suite struct ShortTextTests {
    static let background = [
        "Storm knocks out power to thousands across northern Texas", "Central bank holds interest rates steady amid slowing inflation",
        "Local council approves new budget for school repairs", "Star striker signs five-year contract with Madrid club",
        "Wildfire forces evacuation of mountain villages in Greece", "Oil prices slip as OPEC weighs output increase",
        "City marathon draws record field of forty thousand runners", "Museum returns looted bronze statues to Nigeria",
        "Airline cancels hundreds of flights after pilot strike", "New study links poor sleep to heart disease risk",
        "Parliament passes sweeping data privacy law", "Drought shrinks harvest of wheat across the plains",
        "Film festival opens with premiere of war drama", "Toyota recalls sedans over faulty airbag sensors",
        "Police arrest suspect in downtown jewelry heist", "Scientists discover new species of frog in Andes",
        "Teachers union votes to end week-long walkout", "Bitcoin jumps to two-month high on ETF hopes",
        "Hospital opens cancer research wing funded by donors", "Senate panel grills tech chief over election ads",
        "Volcano erupts on remote island, flights diverted", "Retail sales rise more than expected in March",
        "Coach fired after string of playoff defeats", "Satellite launch delayed by rocket engine fault",
    ]
    static let story = ["Apple recalls chargers over shock hazard", "iPhone adapters pulled after shock risk found"]
    static let unrelated = ["Heat wave breaks temperature records in Spain", "Zoo welcomes twin panda cubs"]

    /// Runs the pipeline on the headlines as JSON lines and returns each id's cluster index.
    static func clusters(_ settings: PipelineSettings, in directory: URL) throws -> [String: Int] {
        var lines: [String] = []
        func add(_ id: String, _ title: String, hour: Int, minute: Int) {
            let stamp = String(format: "2024-05-01T%02d:%02d:00Z", hour, minute)
            let record = ["id": id, "title": title, "publishedDateTime": stamp]
            lines.append(String(decoding: try! JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self))
        }
        for (k, title) in background.enumerated() { add("bg\(k)", title, hour: k % 20, minute: 0) }
        for (k, title) in story.enumerated() { add("s\(k)", title, hour: 10, minute: k) }
        for (k, title) in unrelated.enumerated() { add("u\(k)", title, hour: 11, minute: k) }
        let file = directory.appendingPathComponent("headlines.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        var settings = settings
        settings.paths = [file.path]
        var pipeline = Pipeline(settings: settings, fieldMap: .standard, progress: ProgressLines(enabled: false), warn: { _ in })
        let clustering = try pipeline.run().clustering
        return Dictionary(uniqueKeysWithValues: zip(clustering.records.map(\.id), clustering.memberships.map(\.cluster)))
    }

    @Test func twoHeadlinesSharingOneWordJoinAndUnrelatedOnesStayApart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("short-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let adaptive = try Self.clusters(PipelineSettings(), in: directory)
        #expect(adaptive["s0"] == adaptive["s1"])
        #expect(adaptive["u0"] != adaptive["u1"])
        #expect(adaptive["u0"] != adaptive["s0"] && adaptive["u1"] != adaptive["s0"])
        #expect(Set(adaptive.values).count == Self.background.count + 3)

        var plain = PipelineSettings()
        plain.adaptiveThreshold = nil
        let before = try Self.clusters(plain, in: directory)
        #expect(before["s0"] != before["s1"])
    }

    @Test func theDenseSignalGivesTheSameClustersOnOneThreadOrTwo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("short-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var settings = PipelineSettings()
        settings.adaptiveThreshold = AdaptiveThreshold(denseWeight: 0.5)
        settings.denseFloor = 0.2
        settings.threads = 1
        let one = try Self.clusters(settings, in: directory)
        settings.threads = 2
        #expect(try Self.clusters(settings, in: directory) == one)
    }

    @Test func aMissingTableTurnsTheDenseSignalOffWithAWarning() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("short-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("two.jsonl")
        try """
            {"id": "a", "title": "Apple recalls chargers over shock hazard"}
            {"id": "b", "title": "iPhone adapters pulled after shock risk found"}

            """.write(to: file, atomically: true, encoding: .utf8)
        var settings = PipelineSettings()
        settings.paths = [file.path]
        settings.adaptiveThreshold = AdaptiveThreshold(denseWeight: 0.5)
        settings.wordPieceTable = directory.appendingPathComponent("missing.bin").path
        let warnings = PipelineTests.Warnings()
        var pipeline = Pipeline(settings: settings, fieldMap: .standard, progress: ProgressLines(enabled: false), warn: warnings.add)
        let result = try pipeline.run()
        #expect(result.clustering.records.count == 2)
        #expect(warnings.messages == ["dense signal off: \(settings.wordPieceTable!): cannot be read"])
    }
}
