import Corpus
import Testing
import TestSupport
import Vectors
@testable import Cluster

/// The parallel and index-based parts of the clusterer against their plain definitions.
@Suite struct ClustererParallelTests {
    /// A seeded corpus of many small stories with exact copies (different case and punctuation,
    /// so the same key from different bytes), light rewrites, url duplicates and undated articles.
    static func corpus(seed: UInt64, stories: Int = 40) -> Corpus {
        var random = SplitMix64(seed: seed)
        let words = (0..<400).map { "w\($0)x" }
        func pick() -> String { words[Int(random.next() % UInt64(words.count))] }
        var articles: [Article] = []
        var urlDuplicates: [URLDuplicate] = []
        for story in 0..<stories {
            let title = (0..<5).map { _ in pick() }.joined(separator: " ")
            let body = (0..<30).map { _ in pick() }.joined(separator: " ")
            let copies = 1 + Int(random.next() % 6)
            for copy in 0..<copies {
                let id = "s\(story)c\(copy)"
                let hour: Int64? = random.next() % 7 == 0 ? nil : Int64(random.next() % 48)
                var text = body
                switch random.next() % 4 {
                case 0: text = body.uppercased() + "!"  // an exact copy by key, not by bytes
                case 1: text = body + " " + pick() + " " + pick()  // a light rewrite
                default: break
                }
                let article = Article(
                    id: id, title: copy % 2 == 0 ? title : title.uppercased(), body: text,
                    published: hour.map { 1_600_000_000 + $0 * 3_600 }, publisher: "P\(random.next() % 5)",
                    source: SourceLocation(file: "t", record: articles.count + 1))
                articles.append(article)
                if random.next() % 9 == 0 {
                    var again = article
                    again.id = id + "u"
                    urlDuplicates.append(URLDuplicate(article: again, originalID: id))
                }
            }
        }
        return Corpus(articles: articles, urlDuplicates: urlDuplicates)
    }

    static func cluster(_ corpus: Corpus, threads: Int) -> Clustering {
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.12)).pairs(model.matrix, published: corpus.articles.map(\.published))
        let options = ClusterOptions(threshold: 0.18, duplicateThreshold: 0.85, timeDecay: 0.5)
        return Clusterer(options: options, threads: threads).cluster(corpus, model: model, pairs: pairs)
    }

    @Test(arguments: [1, 2, 3])
    func theClusteringDoesNotDependOnTheThreadCount(seed: UInt64) {
        let corpus = Self.corpus(seed: seed, stories: 300)  // enough for several chunks of each parallel step
        let one = Self.cluster(corpus, threads: 1)
        let many = Self.cluster(corpus, threads: 4)
        #expect(one.memberships == many.memberships)
        #expect(one.clusters == many.clusters)
        #expect(one.clusters.count < corpus.articles.count, "the corpus should form stories")
        #expect(one.memberships.contains { $0.relation == .exactText })
        #expect(one.memberships.contains { $0.relation == .exactURL })
    }

    @Test func exactCopiesAreFoundWhenEveryHashCollides() {
        let articles = Self.corpus(seed: 7).articles
        let order = Clusterer.policyOrder(articles, threads: 1)
        let hashed = ExactText.originals(articles, order: order, threads: 2)
        // With one hash for every text, only the full comparison of keys tells texts apart.
        let collided = ExactText.originals(articles, order: order, threads: 2, hashMask: 0)
        #expect(hashed == collided)
        #expect(hashed.indices.contains { hashed[$0] != $0 }, "the corpus should hold exact copies")
        // And both agree with the keys themselves.
        for index in articles.indices {
            #expect(ExactText.key(articles[index]) == ExactText.key(articles[hashed[index]]))
        }
    }

    @Test func thePairIndexAnswersLikeADictionaryOfThePairs() {
        var random = SplitMix64(seed: 11)
        let n = 60
        var pairs: [ScoredPair] = []
        for _ in 0..<400 {
            let a = Int32(random.next() % UInt64(n)), b = Int32(random.next() % UInt64(n))
            guard a != b else { continue }
            // Either orientation, repeats included: the later cosine of a repeated pair counts.
            pairs.append(ScoredPair(first: a, second: b, cosine: Float(random.next() % 1000) / 1000))
        }
        var expected: [Set<Int32>: Float] = [:]
        for pair in pairs { expected[[pair.first, pair.second]] = pair.cosine }
        let index = PairIndex(pairs, nodeCount: n)
        for a in 0..<n {
            let row = index.row(a)
            let partners = row.map { index.neighbour[$0] }
            #expect(partners == partners.sorted() && Set(partners).count == partners.count)
            for k in row { #expect(expected[[Int32(a), index.neighbour[k]]] == index.cosine[k]) }
            for b in 0..<n where b != a {
                #expect(index.contains(a, b) == (expected[[Int32(a), Int32(b)]] != nil))
            }
        }
    }
}
