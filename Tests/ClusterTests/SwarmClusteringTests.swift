import Corpus
import Testing
import TestSupport
import Vectors
@testable import Cluster

/// Clustering from a search whose swarm rows kept only their best partners
/// (``SimilarityOptions/partnerCap``, ``Clusterer/startingGroups(textOriginal:pairs:cappedRows:threshold:)``).
@Suite struct SwarmClusteringTests {
    static let options = ClusterOptions(
        threshold: 0.3, duplicateThreshold: 0.8, timeDecay: 0.3,
        evidence: AverageLinkage.Evidence(gapDecay: 0.3, undatedSizeCaution: 0.2, smallGroupBoost: 1.2, smallGroupLimit: 4),
        comparisonWindow: 84 * 3_600, attachThreshold: 0.4)

    /// 400 near copies of one text (one word each replaced by a word of its own), a minute apart,
    /// among the stories of ``CopyClusteringTests/corpus``.
    static let corpus: Corpus = {
        var random = SplitMix64(seed: 31)
        let vocabulary = (0..<30).map { "v\($0)" }
        let body = (0..<80).map { _ in vocabulary[Int.random(in: 0..<vocabulary.count, using: &random)] }
        var articles = CopyClusteringTests.corpus.articles
        for copy in 0..<400 {
            var words = body
            words[Int.random(in: 0..<words.count, using: &random)] = "own\(copy)"
            articles.append(Article(
                id: "swarm-\(copy)", title: "Wire story", body: words.joined(separator: " "),
                published: 1_600_000_000 + Int64(copy) * 60, source: SourceLocation(file: "t", record: 1)))
        }
        articles.shuffle(using: &random)
        return Corpus(articles: articles)
    }()

    static func search(_ corpus: Corpus, cap: Int?) -> (model: TFIDFModel, search: PairSearch) {
        let model = Vectorizer().fit(corpus.articles)
        var engine = SimilarityOptions(threshold: options.pairFloor, window: options.comparisonWindow, threads: 2)
        engine.partnerCap = cap
        let rank = corpus.articles.indices.sorted { corpus.articles[$0].id < corpus.articles[$1].id }
        var rankOf = [Int32](repeating: 0, count: rank.count)
        for (place, index) in rank.enumerated() { rankOf[index] = Int32(place) }
        return (model, SimilarityEngine(options: engine).search(model.matrix, published: corpus.articles.map(\.published), rank: rankOf))
    }

    /// Story of each article, as the set of ids it shares a story with.
    static func partition(_ clustering: Clustering) -> Set<Set<String>> {
        var members: [Int: Set<String>] = [:]
        for (record, membership) in zip(clustering.records, clustering.memberships) { members[membership.cluster, default: []].insert(record.id) }
        return Set(members.values)
    }

    @Test func withoutSwarmsTheCapChangesNothing() {
        let corpus = CopyClusteringTests.corpus
        let (model, capped) = Self.search(corpus, cap: 1_000)
        let (_, every) = Self.search(corpus, cap: nil)
        #expect(capped.cappedRows.isEmpty)
        #expect(capped.pairs == every.pairs)
        let clusterer = Clusterer(options: Self.options, threads: 2)
        let result = clusterer.cluster(corpus, model: model, pairs: capped.pairs, swarms: capped)
        let reference = clusterer.cluster(corpus, model: model, pairs: every.pairs)
        #expect(result.memberships == reference.memberships && result.clusters == reference.clusters)
    }

    @Test func aCappedSwarmIsOneStoryAndTheOtherStoriesStay() {
        let (model, capped) = Self.search(Self.corpus, cap: 30)
        let (_, every) = Self.search(Self.corpus, cap: nil)
        #expect(capped.cappedRows.count > 300)
        #expect(capped.pairs.count < every.pairs.count / 4)
        let clusterer = Clusterer(options: Self.options, threads: 2)
        let result = Self.partition(clusterer.cluster(Self.corpus, model: model, pairs: capped.pairs, swarms: capped))
        let reference = Self.partition(clusterer.cluster(Self.corpus, model: model, pairs: every.pairs))
        let swarm = Set((0..<400).map { "swarm-\($0)" })
        #expect(result.contains(swarm), "the swarm is one story of its own")
        #expect(reference.contains(swarm), "as it is from every pair")
        #expect(result == reference)

        // The thinned pairs alone, as plain pairs, cut the swarm apart: the starting group is needed.
        let split = Self.partition(clusterer.cluster(Self.corpus, model: model, pairs: capped.pairs))
        #expect(!split.contains(swarm))
    }

    @Test func aLargeStorysCohesionIsThePairByPairOne() {
        // 300 near copies, 40 of them with two exact copies each: 300 units, 380 records.
        var articles = Array(Self.corpus.articles.filter { $0.id.hasPrefix("swarm-") }.prefix(300))
        for copy in 0..<80 {
            let original = articles[copy / 2 * 7]
            articles.append(Article(
                id: "\(original.id)-copy\(copy)", title: original.title, body: original.body,
                published: original.published.map { $0 + 30 }, source: SourceLocation(file: "t", record: 2)))
        }
        let corpus = Corpus(articles: articles)
        let model = Vectorizer().fit(corpus.articles)
        // Two pairs in three linked: the weakest link runs over a sparser graph than all pairs.
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.2)).pairs(model.matrix, published: corpus.articles.map(\.published))
            .enumerated().filter { $0.offset % 3 != 0 }.map(\.element)
        let n = articles.count
        let input = StoryInput(
            articles: articles, matrix: model.matrix, terms: model.terms, cosine: PairIndex(pairs, nodeCount: n),
            textOriginal: Clusterer.exactCopies(articles, threads: 1), vectorRow: Array(0..<n),
            urlCopies: [[Int]](repeating: [], count: n), duplicateThreshold: 0.8)
        var scratch = StoryScratch(articleCount: n, columnCount: model.matrix.columnCount)
        let byRecord = input.cohesion(Array(0..<n), scratch: &scratch)
        let byVector = input.cohesionByVector(Array(0..<n), scratch: &scratch)
        #expect(n <= StoryInput.memberByMemberLimit && pairs.count < n * (n - 1) / 2, "some pairs are left unlinked")
        // Pair by pair the cosines come from the story's Gram matrix (BLAS), by vector from
        // sparse dot products: the same links, summed in another order.
        #expect(abs(byVector.min - byRecord.min!) < 1e-6)
        #expect(abs(byVector.mean - byRecord.mean!) < 1e-6 && byVector.mean < 0.99)
    }
}
