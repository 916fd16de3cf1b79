public import Corpus
public import Vectors

/// Groups a corpus into story clusters with duplicate groups inside them.
///
/// 1. Exact copies (same normalized title and text) start in one group: they are duplicates at any
///    threshold, even when the time window kept them from being compared.
/// 2. Average-link clustering (``AverageLinkage``) over the scored pairs forms the stories.
/// 3. `exact_url` duplicates join their original's cluster.
/// 4. Inside each cluster, in canonical-policy order, an article whose best cosine to an earlier
///    original reaches the duplicate threshold becomes that original's near-duplicate; otherwise
///    it is an original itself. `duplicate_of` therefore always names an earlier article that the
///    copy really resembles, never a link in a chain.
public struct Clusterer: Sendable {
    public var options: ClusterOptions

    public init(options: ClusterOptions) {
        self.options = options
    }

    /// Clusters `corpus`, whose articles are the rows of `model.matrix`.
    ///
    /// - Parameter pairs: the engine's pairs at or above ``ClusterOptions/pairFloor``.
    public func cluster(_ corpus: Corpus, model: TFIDFModel, pairs: [ScoredPair]) -> Clustering {
        let articles = corpus.articles
        let n = articles.count
        precondition(model.matrix.rowCount == n, "one matrix row per article")
        let matrix = model.matrix
        let records = articles + corpus.urlDuplicates.map(\.article)

        // 1. Exact text groups, each led by its first article in policy order.
        let rank = Self.policyRanks(articles)
        let textKeys = ExactText.keys(articles)
        var textOriginal = Array(0..<n)
        var byKey: [String: Int] = [:]
        for index in (0..<n).sorted(by: { rank[$0] < rank[$1] }) {
            guard let key = textKeys[index] else { continue }
            if let original = byKey[key] { textOriginal[index] = original } else { byKey[key] = index }
        }

        // 2. Stories.
        var edges: [AverageLinkage.Edge] = []
        edges.reserveCapacity(pairs.count)
        for pair in pairs {
            let a = Int(pair.first), b = Int(pair.second)
            let weight = options.linkWeight(cosine: pair.cosine, articles[a].published, articles[b].published)
            // A pair the decay takes below the floor counts as zero, like one never scored.
            if weight >= options.pairFloor { edges.append(AverageLinkage.Edge(a, b, weight)) }
        }
        let label = AverageLinkage(threshold: options.threshold).groups(nodeCount: n, initial: textOriginal, edges: edges)

        var cosine: [PairKey: Float] = [:]
        cosine.reserveCapacity(pairs.count)
        for pair in pairs { cosine[PairKey(Int(pair.first), Int(pair.second))] = pair.cosine }

        var membersOf: [Int: [Int]] = [:]
        for index in 0..<n { membersOf[label[index], default: []].append(index) }
        var originalIndex: [String: Int] = [:]
        for index in 0..<n { originalIndex[articles[index].id] = index }
        var urlCopies: [Int: [Int]] = [:]
        // The matrix row a record is scored with: an exact_url copy uses its original's.
        var vectorRow = Array(0..<n)
        for (offset, duplicate) in corpus.urlDuplicates.enumerated() {
            let original = originalIndex[duplicate.originalID]!
            urlCopies[original, default: []].append(n + offset)
            vectorRow.append(original)
        }

        var memberships = [Membership?](repeating: nil, count: records.count)
        var clusters: [StoryCluster] = []
        for (_, group) in membersOf {
            let ordered = group.sorted { rank[$0] < rank[$1] }
            let canonical = ordered[0]
            let clusterIndex = clusters.count
            var members: [Int] = []
            var originals: [Int] = []
            for article in ordered {
                let similarity = article == canonical ? 1 : matrix.dot(article, canonical)
                let relation: Relation
                var duplicateOf: Int?
                if article == canonical {
                    relation = ordered.count == 1 && urlCopies[article] == nil ? .singleton : .canonical
                    originals.append(article)
                } else if textOriginal[article] != article {
                    relation = .exactText
                    duplicateOf = textOriginal[article]
                } else if let leader = Self.bestOriginal(for: article, among: originals, cosine: cosine, atLeast: options.duplicateThreshold) {
                    relation = .nearDuplicate
                    duplicateOf = leader
                } else {
                    relation = .sameStory
                    originals.append(article)
                }
                memberships[article] = Membership(cluster: clusterIndex, relation: relation, duplicateOf: duplicateOf, similarity: similarity)
                members.append(article)
                for copy in urlCopies[article] ?? [] {
                    memberships[copy] = Membership(cluster: clusterIndex, relation: .exactURL, duplicateOf: article, similarity: similarity)
                    members.append(copy)
                }
            }
            let cohesion = Self.cohesion(members, vectorRow: vectorRow, matrix: matrix, cosine: cosine, textOriginal: textOriginal)
            clusters.append(StoryCluster(
                id: StableHash.id("c", articles[canonical].id, length: 12),
                canonical: canonical,
                members: members,
                minSimilarity: cohesion.min,
                meanSimilarity: cohesion.mean,
                topTerms: Self.topTerms(members.filter { $0 < n }, model: model, count: 5)
            ))
        }

        // Largest stories first, then the earliest, then by id, for readers and for stable bytes.
        let firstPublished = clusters.map { cluster in cluster.members.compactMap { records[$0].published }.min() }
        let order = clusters.indices.sorted { a, b in
            let x = clusters[a], y = clusters[b]
            if x.members.count != y.members.count { return x.members.count > y.members.count }
            switch (firstPublished[a], firstPublished[b]) {
            case let (p?, q?) where p != q: return p < q
            case (.some, nil): return true
            case (nil, .some): return false
            default: return x.id < y.id
            }
        }
        var newIndex = [Int](repeating: 0, count: clusters.count)
        for (position, old) in order.enumerated() { newIndex[old] = position }
        let sortedClusters = order.map { clusters[$0] }
        let finalMemberships = memberships.map { membership -> Membership in
            var m = membership!
            m.cluster = newIndex[m.cluster]
            return m
        }
        return Clustering(
            records: records,
            memberships: finalMemberships,
            clusters: sortedClusters,
            pairs: pairs.filter { $0.cosine >= options.threshold },
            scoredPairs: pairs
        )
    }

    /// Each article's position in canonical-policy order.
    static func policyRanks(_ articles: [Article]) -> [Int] {
        let order = CanonicalPolicy.order(articles)
        var rank = [Int](repeating: 0, count: articles.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        return rank
    }

    /// The earlier original with the highest cosine at or above `threshold`, ties to the earlier one.
    static func bestOriginal(for article: Int, among originals: [Int], cosine: [PairKey: Float], atLeast threshold: Float) -> Int? {
        var best: Int?
        var bestCosine = threshold
        for original in originals {
            guard let value = cosine[PairKey(article, original)], value >= bestCosine else { continue }
            if best == nil || value > bestCosine {
                best = original
                bestCosine = value
            }
        }
        return best
    }

    /// The weakest link of the maximum spanning tree and the mean cosine over all member pairs.
    ///
    /// An `exact_url` copy counts as its original's vector; exact text copies link at cosine 1.
    static func cohesion(
        _ members: [Int], vectorRow: [Int], matrix: SparseMatrix, cosine: [PairKey: Float], textOriginal: [Int]
    ) -> (min: Float?, mean: Float?) {
        guard members.count > 1 else { return (nil, nil) }
        let vectorRow = members.map { vectorRow[$0] }
        var sum: Double = 0
        var edges: [(Float, Int, Int)] = []
        for x in 0..<members.count {
            for y in (x + 1)..<members.count {
                let a = vectorRow[x], b = vectorRow[y]
                let value: Float = a == b ? 1 : (textOriginal[a] == textOriginal[b] ? 1 : matrix.dot(a, b))
                sum += Double(value)
                if a == b || textOriginal[a] == textOriginal[b] || cosine[PairKey(a, b)] != nil {
                    edges.append((value, x, y))
                }
            }
        }
        let mean = Float(sum / Double(members.count * (members.count - 1) / 2))
        // Kruskal on the strongest edges first; the last edge that joins two parts is the weakest link.
        edges.sort { $0.0 != $1.0 ? $0.0 > $1.0 : ($0.1, $0.2) < ($1.1, $1.2) }
        var parent = Array(0..<members.count)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var weakest: Float = 1
        var joined = 0
        for (value, x, y) in edges where joined < members.count - 1 {
            let rx = root(x), ry = root(y)
            guard rx != ry else { continue }
            parent[rx] = ry
            weakest = min(weakest, value)
            joined += 1
        }
        return (weakest, mean)
    }

    /// The `count` heaviest terms of the members' summed TF-IDF vectors.
    static func topTerms(_ articles: [Int], model: TFIDFModel, count: Int) -> [String] {
        var weight: [Int32: Float] = [:]
        for article in articles {
            for entry in model.matrix.row(article) { weight[entry.column, default: 0] += entry.value }
        }
        return weight.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(count)
            .map { model.terms[Int($0.key)] }
    }
}

/// An unordered pair of article indices.
struct PairKey: Hashable {
    let low: Int
    let high: Int
    init(_ a: Int, _ b: Int) {
        low = min(a, b)
        high = max(a, b)
    }
}

/// The key two articles share when their normalized title and text are the same.
enum ExactText {
    /// Title and text as their tokens (case, accents, punctuation and spacing folded, stop words
    /// kept); `nil` for an article with no tokens, which is never called a copy of anything.
    static func keys(_ articles: [Article]) -> [String?] {
        let tokenizer = Tokenizer(stopWords: .none)
        return articles.map { article in
            let title = tokenizer.tokens(article.title), text = tokenizer.tokens(article.text)
            if title.isEmpty && text.isEmpty { return nil }
            return title.joined(separator: " ") + "\n" + text.joined(separator: " ")
        }
    }
}
