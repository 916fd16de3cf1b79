import Cluster
import Corpus
import Report
import StoryPipeline
import Testing

/// The story time scale in a whole run: an aggregator-style feed whose stories' items are
/// seconds apart, with a second story on the same person six hours later.
@Suite struct StoryTimeScalePipelineTests {
    static let start: Int64 = 1_600_000_000

    /// Twelve headlines of one story, 7 s apart from `start`: the story's words and two of its own.
    static func story(_ key: String, start: Int64, extras: [String]) -> [Article] {
        (0..<12).map { k in
            let title = (["Ada", "Lovell", "Instagram"] + [extras[k], extras[(k + 5) % 12]]).joined(separator: " ")
            return Article(id: "\(key)\(k)", title: title, body: "", published: start + Int64(k) * 7,
                           publisher: "Outlet \(k)", source: SourceLocation(file: "feed", record: k))
        }
    }

    /// Two stories on one person six hours apart, among 48 unrelated headlines over a day.
    static let corpus: Corpus = {
        let topics = ["oil", "bank", "rates", "court", "storm", "vote", "trade", "film", "game", "team", "river", "city", "school", "port", "rail", "tax"]
        let background = (0..<48).map { i in
            Article(id: "z\(i)", title: "\(topics[i % 16]) \(topics[(i * 5 + 3) % 16]) w\(i)x v\(i)y", body: "",
                    published: start - 40_000 + Int64(i) * 1_700, publisher: "Other", source: SourceLocation(file: "feed", record: 100 + i))
        }
        return Corpus(articles:
            story("a", start: start, extras: ["selfie", "makeup", "free", "debut", "account", "photo", "first", "fans", "stunning", "bare", "new", "app"])
            + story("b", start: start + 6 * 3_600, extras: ["sexy", "interview", "magazine", "cover", "crush", "talks", "reveals", "calls", "star", "host", "show", "says"])
            + background)
    }()

    /// A run of ``corpus`` or, with `asUpdate`, an update's run of it as a first window (every
    /// article new and alone).
    static func run(_ rule: StoryTimeScale?, asUpdate: Bool = false) -> RunResult {
        var settings = PipelineSettings()
        settings.threads = 2
        settings.storyTimeScale = rule
        var pipeline = Pipeline(settings: settings, fieldMap: .standard, progress: ProgressLines(enabled: false), warn: { _ in })
        let n = corpus.articles.count
        return asUpdate ? pipeline.run(corpus, seed: WindowSeed(scanned: Array(repeating: true, count: n), group: Array(0..<n)))
            : pipeline.run(corpus)
    }

    /// The cluster of each story's articles, as a set per story.
    static func clusters(_ result: RunResult) -> (a: Set<Int?>, b: Set<Int?>) {
        let of = Dictionary(uniqueKeysWithValues: zip(result.clustering.records.map(\.id), result.clustering.memberships.map(\.cluster)))
        return (Set((0..<12).map { of["a\($0)"]! }), Set((0..<12).map { of["b\($0)"]! }))
    }

    @Test func storiesSecondsApartAreComparedWithinTheirOwnTimeScale() throws {
        // 24 confident pairs here; the default asks for 50 before it trusts a median.
        let adapted = Self.run(StoryTimeScale(minimumPairs: 20))
        let median = try #require(adapted.parameters.storyTimeScaleSeconds)
        #expect(median > 0 && median < 84, "pairs of one story are 7 to 77 s apart")
        #expect(adapted.parameters.linkageWindowHours == Double(max(900, 100 * median)) / 3_600)
        #expect(adapted.parameters.windowHours == 84, "the setting is recorded as given")
        let (a, b) = Self.clusters(adapted)
        #expect(a.count == 1 && b.count == 1 && a != b, "two stories six hours apart")

        // With the 84-hour window the shared name joins them.
        let fixed = Self.run(nil)
        #expect(fixed.parameters.storyTimeScaleSeconds == nil && fixed.parameters.linkageWindowHours == nil)
        let (fa, fb) = Self.clusters(fixed)
        #expect(fa == fb && fa.count == 1)
    }

    @Test func anUpdateMeasuresTheTimeScaleAsABatchRunDoes() throws {
        let rule = StoryTimeScale(minimumPairs: 20)
        let batch = Self.run(rule), update = Self.run(rule, asUpdate: true)
        let median = try #require(update.parameters.storyTimeScaleSeconds)
        #expect(median == batch.parameters.storyTimeScaleSeconds)
        #expect(update.parameters.linkageWindowHours == batch.parameters.linkageWindowHours)
        let (a, b) = Self.clusters(update)
        #expect(a.count == 1 && b.count == 1 && a != b, "two stories six hours apart, as in the batch run")
    }
}
