import Corpus
import Foundation
import Testing
import TestSupport
import Vectors
@testable import Cluster

@Suite struct ClustererTests {
    private static func article(_ id: String, _ title: String, _ body: String, at hour: Int64?, quality: Double? = nil) -> Article {
        Article(id: id, title: title, body: body, published: hour.map { 1_600_000_000 + $0 * 3_600 }, quality: quality, source: SourceLocation(file: "t", record: 1))
    }

    private func run(_ corpus: Corpus, threshold: Float = 0.3, duplicate: Float = 0.8) -> Clustering {
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: threshold)).pairs(model.matrix, published: corpus.articles.map(\.published))
        return Clusterer(options: ClusterOptions(threshold: threshold, duplicateThreshold: duplicate)).cluster(corpus, model: model, pairs: pairs)
    }

    static let storm = "Hurricane Delta makes landfall in Louisiana with winds of 100 mph, forcing thousands to evacuate coastal towns"
    static let quake = "A magnitude 6.1 earthquake struck central Italy near Perugia, damaging churches and old buildings"

    @Test func copiesRewritesAndOtherStoriesGetTheirRelations() throws {
        let corpus = Corpus(articles: [
            Self.article("late", "Delta hits Louisiana", Self.storm + " overnight", at: 5),
            Self.article("first", "Hurricane Delta hits Louisiana", Self.storm, at: 1),
            Self.article("copy", "Hurricane Delta hits Louisiana", Self.storm, at: 3),
            Self.article("quake", "Earthquake in Italy", Self.quake, at: 2),
        ])
        let result = run(corpus)
        let byID = Dictionary(uniqueKeysWithValues: result.records.enumerated().map { ($1.id, $0) })
        func membership(_ id: String) -> Membership { result.memberships[byID[id]!] }

        #expect(membership("first").relation == .canonical)
        #expect(membership("copy").relation == .exactText)
        #expect(membership("copy").duplicateOf == byID["first"])
        #expect(membership("late").relation == .nearDuplicate)
        #expect(membership("late").duplicateOf == byID["first"])
        #expect(membership("quake").relation == .singleton)
        #expect(membership("first").cluster == membership("late").cluster)
        #expect(membership("quake").cluster != membership("first").cluster)
        #expect(membership("first").similarity == 1)
        #expect(membership("late").similarity > 0.8 && membership("late").similarity < 1)

        let storm = result.clusters[membership("first").cluster]
        #expect(storm.members.first == byID["first"])
        #expect(storm.id == StableHash.id("c", "first", length: 12))
        #expect(try #require(storm.minSimilarity) > 0.8)
        #expect(try #require(storm.meanSimilarity) <= 1)
        #expect(storm.topTerms.contains("delta"))
        #expect(result.clusters[0].members.count == 3, "largest cluster first")
    }

    @Test func exactCopiesAreDuplicatesEvenWhenNeverCompared() {
        // Two identical articles with no time overlap would not be scored inside a small window;
        // here no pairs are passed at all and they still end up together.
        let corpus = Corpus(articles: [
            Self.article("a", "Storm", Self.storm, at: 1),
            Self.article("b", "Storm", Self.storm, at: 500),
        ])
        let model = Vectorizer().fit(corpus.articles)
        let result = Clusterer(options: ClusterOptions(threshold: 0.3, duplicateThreshold: 0.8)).cluster(corpus, model: model, pairs: [])
        #expect(result.memberships[1].relation == .exactText)
        #expect(result.memberships[0].cluster == result.memberships[1].cluster)
    }

    @Test func urlDuplicatesJoinTheirOriginal() {
        let original = Self.article("o", "Storm", Self.storm, at: 1)
        var seenAgain = original
        seenAgain.id = "o2"
        let corpus = Corpus(articles: [original], urlDuplicates: [URLDuplicate(article: seenAgain, originalID: "o")])
        let result = run(corpus)
        #expect(result.records.count == 2)
        #expect(result.memberships[0].relation == .canonical)
        #expect(result.memberships[1].relation == .exactURL)
        #expect(result.memberships[1].duplicateOf == 0)
        #expect(result.clusters.count == 1)
        #expect(result.clusters[0].minSimilarity == 1)
    }

    @Test func canonicalIsEarliestThenBestQualityThenLongestThenID() {
        let early = Self.article("z", "t", "short", at: 1)
        let late = Self.article("a", "t", "a much longer text than the other", at: 2, quality: 99)
        #expect(CanonicalPolicy.precedes(early, late))
        let highQuality = Self.article("z", "t", "short", at: 1, quality: 80)
        let lowQuality = Self.article("a", "t", "a much longer text", at: 1, quality: 10)
        #expect(CanonicalPolicy.precedes(highQuality, lowQuality))
        let long = Self.article("z", "t", "a much longer text", at: 1)
        let short = Self.article("a", "t", "short", at: 1)
        #expect(CanonicalPolicy.precedes(long, short))
        let b = Self.article("b", "t", "same", at: 1), a = Self.article("a", "t", "same", at: 1)
        #expect(CanonicalPolicy.precedes(a, b))
        let undated = Self.article("a", "t", "x", at: nil)
        #expect(CanonicalPolicy.precedes(b, undated))
    }
}

@Suite struct TimeDecayTests {
    @Test func theLinkWeightFallsLinearlyWithTimeApartUpToTheHorizon() {
        let options = ClusterOptions(threshold: 0.2, duplicateThreshold: 0.8, timeDecay: 0.5, decayHours: 72)
        let hour: Int64 = 3_600
        #expect(options.linkWeight(cosine: 0.6, 0, 0) == 0.6)
        #expect(abs(options.linkWeight(cosine: 0.6, 0, 36 * hour) - 0.45) < 1e-6)
        #expect(abs(options.linkWeight(cosine: 0.6, 72 * hour, 0) - 0.3) < 1e-6)
        #expect(abs(options.linkWeight(cosine: 0.6, 0, 500 * hour) - 0.3) < 1e-6, "no more than one horizon")
        #expect(options.linkWeight(cosine: 0.6, nil, 0) == 0.6, "undated pairs are not discounted")
        let off = ClusterOptions(threshold: 0.2, duplicateThreshold: 0.8)
        #expect(off.linkWeight(cosine: 0.6, 0, 72 * hour) == 0.6)
    }

    @Test func aLookAlikeDaysLaterStaysOutWhenDecayed() {
        let text = "Flooding closed the river road and schools in the valley after heavy rain"
        let corpus = Corpus(articles: [
            Article(id: "a", title: "Flood", body: text + " on Monday", published: 0, source: SourceLocation(file: "t", record: 1)),
            Article(id: "b", title: "Flood", body: text + " on Thursday", published: 70 * 3_600, source: SourceLocation(file: "t", record: 2)),
        ])
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.1)).pairs(model.matrix, published: [0, 70 * 3_600])
        let cosine = try! #require(pairs.first).cosine
        // Choose a threshold between the decayed and the plain cosine.
        let threshold = cosine * 0.75
        let plain = Clusterer(options: ClusterOptions(threshold: threshold, duplicateThreshold: 0.99)).cluster(corpus, model: model, pairs: pairs)
        let decayed = Clusterer(options: ClusterOptions(threshold: threshold, duplicateThreshold: 0.99, timeDecay: 0.5)).cluster(corpus, model: model, pairs: pairs)
        #expect(plain.clusters.count == 1)
        #expect(decayed.clusters.count == 2)
    }
}

@Suite struct BusyDayTests {
    @Test func densityIsTheMedianCountWithinTwelveHours() {
        let hour: Int64 = 3_600
        // Five articles in one hour, one a day later, one undated: the median dated article has
        // five within 12 hours (itself included).
        let published: [Int64?] = [0, 10 * 60, 20 * 60, 30 * 60, hour, 30 * hour, nil]
        #expect(ClusterOptions.density(published) == 5)
        #expect(ClusterOptions.density([nil, nil]) == 0)
    }

    @Test func aBusyDayRaisesTheThresholdAndAddsPhantomPairs() {
        let options = ClusterOptions(
            threshold: 0.2, duplicateThreshold: 0.85, densityReference: 1_000, densityThresholdSlope: 0.05, densityPriorPairs: 0.2)
        let quiet = options.linkage(density: 800)
        #expect(quiet.threshold == 0.2 && quiet.evidence.priorPairs == 0)
        // e² times the reference: ln = 2.
        let busy = options.linkage(density: Int((1_000 * exp(2.0)).rounded()))
        #expect(abs(busy.threshold - 0.2 * 1.1) < 1e-4)
        #expect(abs(busy.evidence.priorPairs - 0.4) < 1e-3)
        let off = ClusterOptions(threshold: 0.2, duplicateThreshold: 0.85).linkage(density: 1_000_000)
        #expect(off.threshold == 0.2 && off.evidence.priorPairs == 0)
    }
}

@Suite struct AttachLonersTests {
    private static func pair(_ a: Int32, _ b: Int32, _ cosine: Float) -> ScoredPair {
        ScoredPair(first: min(a, b), second: max(a, b), cosine: cosine)
    }

    /// Groups {0, 1, 2} and {3, 4}; nodes 5, 6, 7 and 8 alone.
    static let label = [0, 0, 0, 3, 3, 5, 6, 7, 8]
    static let pairs = [
        pair(5, 1, 0.50), pair(5, 3, 0.45),  // 5: its best pair is in group 0
        pair(6, 4, 0.42), pair(6, 0, 0.42),  // 6: a tie, the smaller label wins
        pair(7, 5, 0.90),                    // 7: only another loner: no chain through 5
        pair(8, 2, 0.30), pair(1, 3, 0.95),  // 8: below the bar; groups never move
    ]

    @Test func aLonerJoinsTheGroupOfItsMostSimilarArticle() {
        let attached = Clusterer.attachLoners(label: Self.label, pairs: Self.pairs, threshold: 0.4)
        #expect(attached == [0, 0, 0, 3, 3, 0, 0, 7, 8])
    }

    @Test func pairOrderDoesNotMatter() {
        var generator = SplitMix64(seed: 4)
        for _ in 0..<20 {
            let shuffled = Self.pairs.shuffled(using: &generator)
            #expect(Clusterer.attachLoners(label: Self.label, pairs: shuffled, threshold: 0.4) == [0, 0, 0, 3, 3, 0, 0, 7, 8])
        }
    }

    @Test func aHigherBarAttachesFewer() {
        #expect(Clusterer.attachLoners(label: Self.label, pairs: Self.pairs, threshold: 0.46) == [0, 0, 0, 3, 3, 0, 6, 7, 8])
        #expect(Clusterer.attachLoners(label: Self.label, pairs: Self.pairs, threshold: 0.96) == Self.label)
    }

    @Test func theClustererAttachesOnlyWhenAsked() {
        // Two close reports of one storm, and a third that shares a long passage with one of
        // them only: its mean over the two stays under the threshold, its best pair is far above.
        let storm = "Hurricane Delta makes landfall in Louisiana with winds of 100 mph"
        let coast = "forcing thousands to evacuate coastal towns near Lake Charles"
        let source = SourceLocation(file: "t", record: 1)
        let corpus = Corpus(articles: [
            Article(id: "a", title: "Delta", body: storm + " " + coast, published: 0, source: source),
            Article(id: "b", title: "Delta", body: storm + " and heavy rain", published: 3_600, source: source),
            Article(id: "c", title: "Evacuation", body: coast + " as shelters fill", published: 7_200, source: source),
        ])
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.01)).pairs(model.matrix, published: corpus.articles.map(\.published))
        func cosine(_ a: Int32, _ b: Int32) -> Float { pairs.first { $0.first == a && $0.second == b }?.cosine ?? 0 }
        let ab = cosine(0, 1), ac = cosine(0, 2), bc = cosine(1, 2)
        // A threshold between c's mean to {a, b} and a-b, and an attachment bar under a-c.
        let threshold = ((ac + bc) / 2 + min(ab, ac)) / 2
        try! #require(ab > ac && (ac + bc) / 2 < threshold && threshold < ac)
        func clusters(attach: Float) -> Int {
            let options = ClusterOptions(threshold: threshold, duplicateThreshold: 0.99, pairFloor: 0.01, attachThreshold: attach)
            return Clusterer(options: options).cluster(corpus, model: model, pairs: pairs).clusters.count
        }
        #expect(clusters(attach: 0) == 2)
        #expect(clusters(attach: ac) == 1)
        #expect(clusters(attach: min(ac + 0.01, 1)) == 2)
    }
}

@Suite struct SeedGroupTests {
    private static func article(_ id: String, _ title: String, _ body: String, at hour: Int64) -> Article {
        Article(id: id, title: title, body: body, published: 1_600_000_000 + hour * 3_600, source: SourceLocation(file: "t", record: 1))
    }

    /// Seed groups (an update's stored stories) are never taken apart, even when their members
    /// have no pair, and a new article still joins the group it resembles.
    @Test func seedGroupsStayTogetherAndNewArticlesJoinThem() throws {
        let corpus = Corpus(articles: [
            Self.article("storm-a", "Hurricane Delta hits Louisiana", ClustererTests.storm, at: 1),
            Self.article("quake-a", "Earthquake in Italy", ClustererTests.quake, at: 2),
            Self.article("storm-b", "Delta reaches the coast", ClustererTests.storm + " as rescuers wait", at: 3),
        ])
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.3)).pairs(model.matrix, published: corpus.articles.map(\.published))
        let clusterer = Clusterer(options: ClusterOptions(threshold: 0.3, duplicateThreshold: 0.8))
        let plain = clusterer.cluster(corpus, model: model, pairs: pairs)
        #expect(plain.memberships[0].cluster != plain.memberships[1].cluster, "unlike stories apart without a seed")
        // storm-a and quake-a one stored story (a seed), storm-b new.
        let seeded = clusterer.cluster(corpus, model: model, pairs: pairs, seed: [0, 0, 2])
        #expect(seeded.clusters.count == 1)
        #expect(Set(seeded.memberships.map(\.cluster)) == [0])
    }
}
