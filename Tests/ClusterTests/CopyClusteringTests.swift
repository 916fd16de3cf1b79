import Corpus
import Testing
import TestSupport
import Vectors
@testable import Cluster

/// Clustering from collapsed pairs (exact copies scored once, large copy groups as stars) against
/// clustering from every pair, and the cohesion of stories too large to measure pair by pair.
@Suite struct CopyClusteringTests {
    private static func article(_ id: String, _ title: String, _ body: String, at seconds: Int64?) -> Article {
        Article(id: id, title: title, body: body, published: seconds.map { 1_600_000_000 + $0 }, source: SourceLocation(file: "t", record: 1))
    }

    /// Twenty stories of random words; each told by an original, 0 to 40 exact copies (some with
    /// the title in capitals), and a few one-word edits, over four days, some undated.
    static let corpus: Corpus = {
        var random = SplitMix64(seed: 21)
        let vocabulary = (0..<300).map { "w\($0)" }
        func words(_ count: Int) -> [String] { (0..<count).map { _ in vocabulary[Int.random(in: 0..<vocabulary.count, using: &random)] } }
        var articles: [Article] = []
        func time() -> Int64? { Int.random(in: 0..<10, using: &random) == 0 ? nil : Int64.random(in: 0..<(4 * 86_400), using: &random) }
        for story in 0..<20 {
            let title = words(5), body = words(40)
            let copies = story % 3 == 0 ? 40 : Int.random(in: 0...4, using: &random)
            for copy in 0...copies {
                let shown = copy % 5 == 4 ? title.joined(separator: " ").uppercased() : title.joined(separator: " ")
                articles.append(article("s\(story)-c\(copy)", shown, body.joined(separator: " "), at: time()))
            }
            for edit in 0..<Int.random(in: 0...3, using: &random) {
                var changed = body
                changed[Int.random(in: 0..<changed.count, using: &random)] = vocabulary[Int.random(in: 0..<vocabulary.count, using: &random)]
                articles.append(article("s\(story)-e\(edit)", title.joined(separator: " "), changed.joined(separator: " "), at: time()))
            }
        }
        articles.shuffle(using: &random)
        return Corpus(articles: articles)
    }()

    @Test(arguments: [1, 2])
    func collapsedPairsClusterExactlyLikeEveryPair(threads: Int) {
        let window: Int64 = 84 * 3_600
        let options = ClusterOptions(
            threshold: 0.3, duplicateThreshold: 0.8, timeDecay: 0.3,
            evidence: AverageLinkage.Evidence(gapDecay: 0.3, undatedSizeCaution: 0.2, smallGroupBoost: 1.2, smallGroupLimit: 4),
            comparisonWindow: window, attachThreshold: 0.4)
        let model = Vectorizer().fit(Self.corpus.articles)
        let published = Self.corpus.articles.map(\.published)
        var engineOptions = SimilarityOptions(threshold: options.pairFloor, window: window, threads: threads)
        engineOptions.copyStarSize = 8
        let engine = SimilarityEngine(options: engineOptions)
        let groups = Clusterer.exactCopies(Self.corpus.articles, threads: threads)
        let collapsed = engine.pairs(model.matrix, published: published, copyGroups: groups)
        let every = engine.pairs(model.matrix, published: published)
        #expect(collapsed.count < every.count / 2, "the large copy groups are stars")

        let clusterer = Clusterer(options: options, threads: threads)
        let reference = clusterer.cluster(Self.corpus, model: model, pairs: every)
        let result = clusterer.cluster(Self.corpus, model: model, pairs: collapsed, copyGroups: groups)
        #expect(result.memberships == reference.memberships)
        #expect(result.clusters == reference.clusters)
        #expect(result.clusters.count < Self.corpus.articles.count / 3)
        #expect(Set(result.clusters.flatMap(\.members)).count == Self.corpus.articles.count, "every article once")
    }

    static let storm = "Hurricane Delta makes landfall in Louisiana with winds of 100 mph, forcing thousands to evacuate coastal towns"

    @Test func aStoryOfOverAThousandCopiesHasTheCohesionOfItsPairs() throws {
        var articles = (0..<1_001).map { Self.article("copy\($0)", "Hurricane Delta hits Louisiana", Self.storm, at: Int64($0)) }
        articles.append(Self.article("edit", "Hurricane Delta hits Louisiana", Self.storm + " overnight", at: 5_000))
        let corpus = Corpus(articles: articles)
        let model = Vectorizer().fit(corpus.articles)
        let engine = SimilarityEngine(options: SimilarityOptions(threshold: 0.2))
        let groups = Clusterer.exactCopies(corpus.articles, threads: 1)
        let pairs = engine.pairs(model.matrix, published: corpus.articles.map(\.published), copyGroups: groups)
        #expect(pairs.count < 2 * articles.count)
        let result = Clusterer(options: ClusterOptions(threshold: 0.3, duplicateThreshold: 0.8))
            .cluster(corpus, model: model, pairs: pairs, copyGroups: groups)
        #expect(result.clusters.count == 1)
        let story = result.clusters[0]
        let cosine = Double(model.matrix.dot(0, 1_001))
        #expect(cosine > 0.3 && cosine < 0.999)
        // 1,001 · 1,000 / 2 pairs of copies at 1, and 1,001 pairs with the edit at its cosine.
        let mean = (1_001.0 * 1_000 / 2 + 1_001 * cosine) / (1_002.0 * 1_001 / 2)
        #expect(abs(Double(try #require(story.meanSimilarity)) - mean) < 1e-6)
        #expect(story.minSimilarity == Float(cosine))
        #expect(result.memberships.filter { $0.relation == .exactText }.count == 1_000)
    }

    @Test func twentyThousandRecordsOfOneURLAreOneStoryAtCohesionOne() {
        let original = Self.article("o", "Storm", Self.storm, at: 1)
        let copies = (0..<20_000).map { index -> URLDuplicate in
            var again = original
            again.id = "o~\(index + 2)"
            return URLDuplicate(article: again, originalID: "o")
        }
        let corpus = Corpus(articles: [original, Self.article("q", "Quake", "A magnitude 6.1 earthquake struck central Italy", at: 2)],
                            urlDuplicates: copies)
        let model = Vectorizer().fit(corpus.articles)
        let result = Clusterer(options: ClusterOptions(threshold: 0.3, duplicateThreshold: 0.8)).cluster(corpus, model: model, pairs: [])
        #expect(result.records.count == 20_002)
        #expect(result.clusters[0].members.count == 20_001)
        #expect(result.clusters[0].minSimilarity == 1 && result.clusters[0].meanSimilarity == 1)
        #expect(result.memberships.filter { $0.relation == .exactURL }.count == 20_000)
    }

    @Test func aSwarmOfNearCopiesReportsEachArticlesBestPairsOnly() {
        let words = Self.storm.split(separator: " ").map(String.init)
        let articles = (0..<150).map { index -> Article in
            var changed = words
            changed[index % words.count] = "variant\(index)"
            return Self.article("n\(index)", "Delta hits Louisiana", changed.joined(separator: " "), at: nil)
        }
        let corpus = Corpus(articles: articles)
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.2)).pairs(model.matrix, published: corpus.articles.map(\.published))
        var options = ClusterOptions(threshold: 0.3, duplicateThreshold: 0.8)
        options.reportedPairsPerArticle = .max
        let every = Clusterer(options: options).cluster(corpus, model: model, pairs: pairs)
        options.reportedPairsPerArticle = 10
        let capped = Clusterer(options: options).cluster(corpus, model: model, pairs: pairs)

        #expect(every.pairs.count == pairs.filter { $0.cosine >= 0.3 }.count && every.pairs.count > 150 * 100 / 2)
        #expect(capped.memberships == every.memberships && capped.clusters == every.clusters, "only the report is thinned")
        #expect(capped.pairs.count <= 150 * 10 && capped.pairs.count >= 150 * 10 / 2)
        #expect(capped.pairs == capped.pairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) })
        // Each article keeps its ten best: no pair left out beats an article's tenth kept cosine.
        for article in 0..<150 {
            let mine = every.pairs.filter { Int($0.first) == article || Int($0.second) == article }.map(\.cosine).sorted(by: >)
            let kept = capped.pairs.filter { Int($0.first) == article || Int($0.second) == article }.map(\.cosine).sorted(by: >)
            #expect(kept.count >= 10 && Array(kept.prefix(10)) == Array(mine.prefix(10)))
        }
    }
}
