import Cluster
public import Report
public import Corpus
import Vectors

/// What an update's window holds besides its articles: which are new, and the stored stories.
public struct WindowSeed: Sendable {
    /// Per article of the window: whether its pairs with older articles are searched (the new
    /// and updated articles, and stored ones as recent as the earliest new one).
    public var scanned: [Bool]
    /// Per article: the index of the first article of its stored story in the window (itself
    /// for a new article), the groups the linkage starts from.
    public var group: [Int]

    public init(scanned: [Bool], group: [Int]) {
        self.scanned = scanned
        self.group = group
    }
}

extension Pipeline {
    /// Every stage after reading for an update's window: like ``run(_:)``, but the stored
    /// stories are the linkage's starting groups and only the pairs it can still use are scored.
    ///
    /// The stored stories were linked by an earlier run; a new article can only join them or
    /// bring two together. So the engine searches the pairs of each scanned article with the
    /// articles before it (times negated: "later" in its order is older), and inside each stored
    /// story the pairs of its unscanned members are scored one by one, for the duplicates and
    /// cohesion of the reports. The pairs among stored articles of two different stories, which
    /// the earlier run already found too weak to link them, are not scored again.
    public mutating func run(_ corpus: Corpus, seed: WindowSeed) -> RunResult {
        let n = corpus.articles.count
        precondition(seed.scanned.count == n && seed.group.count == n, "one flag and one group per article")
        let model = vectorize(corpus)
        var clusterOptions = settings.clusterOptions()
        let copies = copyGroups(corpus, model: model)
        var short = shortTexts(model)
        let floor = clusterOptions.pairFloor * (short?.floorFactor ?? 1)

        let engine = engine(floor: floor)
        let articles = corpus.articles
        let reversed = articles.map { $0.published.map { -$0 } }
        var found = engine.search(model.matrix, published: reversed, copyGroups: copies, rank: Self.idRank(articles), scanned: seed.scanned,
                                  progress: progress.counter("similarity", unit: "row chunks"))
        scanWork = scanWork + found.work
        let inside = Self.pairsInsideStories(seed, matrix: model.matrix, published: articles.map(\.published),
                                             window: settings.windowSeconds, floor: floor, threads: settings.threads)
        found.pairs.append(contentsOf: inside)
        found.pairs.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        lap("similarity")
        progress.stage("similarity: \(found.pairs.count) pairs (\(inside.count) inside stored stories)")

        // The story time scale as a batch run measures it, on this window's pairs.
        return cluster(corpus, model: model, found: consume found, copies: copies, shortTexts: &short, options: &clusterOptions, seed: seed.group)
    }

    /// The pairs at or above `floor` (and inside the comparison window) of the unscanned
    /// members of each stored story, each a full sparse dot product, in story order and then
    /// member order; each member's pairs with the later members are one job for the workers.
    ///
    /// - Complexity: O(Σ u² · nnz) for u unscanned members per story, over `threads`.
    static func pairsInsideStories(
        _ seed: WindowSeed, matrix: SparseMatrix, published: [Int64?], window: Int64?, floor: Float, threads: Int = 1
    ) -> [ScoredPair] {
        var members: [Int: [Int]] = [:]
        for index in seed.group.indices where !seed.scanned[index] { members[seed.group[index], default: []].append(index) }
        let lists = members.keys.sorted().map { members[$0]! }.filter { $0.count > 1 }
        // Job k: member `x` of story `list`, against the members after it.
        let jobs = lists.indices.flatMap { list in (0..<(lists[list].count - 1)).map { (list: list, x: $0) } }
        let found = Parallel.map(jobs.count, threads: threads, grain: 8) { k -> [ScoredPair] in
            let list = lists[jobs[k].list], x = jobs[k].x
            var pairs: [ScoredPair] = []
            for y in (x + 1)..<list.count {
                let a = list[x], b = list[y]
                if let window, let p = published[a], let q = published[b], abs(p - q) > window { continue }
                let cosine = matrix.dot(a, b)
                if cosine >= floor { pairs.append(ScoredPair(first: Int32(min(a, b)), second: Int32(max(a, b)), cosine: cosine)) }
            }
            return pairs
        }
        return found.flatMap { $0 }
    }
}
