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
        let rank = Self.idRank(articles)
        var found = engine.search(model.matrix, published: reversed, copyGroups: copies, rank: rank, scanned: seed.scanned,
                                  progress: progress.counter("similarity", unit: "row chunks"))
        scanWork = scanWork + found.work
        let inside = Self.pairsInsideStories(seed, matrix: model.matrix, published: reversed, rank: rank, copyGroups: copies,
                                             engine: engine, threads: settings.threads)
        found.append(inside)
        found.pairs.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        lap("similarity")
        let capped = inside.cappedRows.isEmpty ? "" : "; \(inside.cappedRows.count) of their articles kept their best \(engine.options.partnerCap ?? 0)"
        progress.stage("similarity: \(found.pairs.count) pairs (\(inside.pairs.count) inside stored stories\(capped))")

        // The story time scale as a batch run measures it, on this window's pairs.
        return cluster(corpus, model: model, found: consume found, copies: copies, shortTexts: &short, options: &clusterOptions, seed: seed.group)
    }

    /// The pairs the engine would find among the unscanned members of each stored story: at or
    /// above its floor and inside its comparison window, each a full sparse dot product; inside a
    /// large group of exact copies only the star (``SimilarityEngine/starFilter(copyGroups:)``);
    /// and a member with more later partners (in the engine's order: `published` as the search
    /// was given it, ties by `rank`) than ``SimilarityOptions/partnerCap`` keeps its best, as in
    /// a search of the whole window. Each member's pairs with the later members are one job.
    ///
    /// Without the star and the cap, a stored swarm of a few thousand near copies gave an update
    /// millions of pairs that a batch run over the same days never holds.
    ///
    /// - Complexity: O(Σ u² · nnz) for u unscanned members per story, over `threads`.
    static func pairsInsideStories(
        _ seed: WindowSeed, matrix: SparseMatrix, published: [Int64?], rank: [Int32], copyGroups: [Int], engine: SimilarityEngine,
        threads: Int = 1
    ) -> PairSearch {
        var members: [Int: [Int]] = [:]
        for index in seed.group.indices where !seed.scanned[index] { members[seed.group[index], default: []].append(index) }
        // In the engine's time order: dated before undated, then by time, then by rank.
        func key(_ a: Int) -> (Int64, Int64, Int32) { (published[a] == nil ? 1 : 0, published[a] ?? 0, rank[a]) }
        let lists = members.keys.sorted().map { members[$0]!.sorted { key($0) < key($1) } }.filter { $0.count > 1 }
        let outsideStar = engine.starFilter(copyGroups: copyGroups)
        let window = engine.options.window, floor = engine.options.threshold
        // Job k: member `x` of story `list`, against the members after it.
        let jobs = lists.indices.flatMap { list in (0..<(lists[list].count - 1)).map { (list: list, x: $0) } }
        let found = Parallel.map(jobs.count, threads: threads, grain: 8) { k -> (pairs: [ScoredPair], weakest: Float?) in
            let list = lists[jobs[k].list], x = jobs[k].x
            let a = list[x]
            var pairs: [ScoredPair] = []
            for b in list[(x + 1)...] {
                if let window, let p = published[a], let q = published[b], abs(p - q) > window { continue }
                if let outsideStar, !outsideStar(a, b) { continue }
                let cosine = matrix.dot(a, b)
                if cosine >= floor { pairs.append(ScoredPair(first: Int32(min(a, b)), second: Int32(max(a, b)), cosine: cosine)) }
            }
            let weakest = engine.keepBest(&pairs, from: 0, row: Int32(a), rank: rank)
            return (pairs, weakest)
        }
        let capped = jobs.indices.compactMap { k in found[k].weakest.map { (row: Int32(lists[jobs[k].list][jobs[k].x]), weakest: $0) } }
            .sorted { $0.row < $1.row }
        return PairSearch(pairs: found.flatMap(\.pairs), cappedRows: capped.map(\.row), weakestKept: capped.map(\.weakest))
    }
}

extension PairSearch {
    /// Adds the pairs and capped rows of a search over the same rows that found none of these
    /// pairs; the pairs are sorted again by the caller.
    mutating func append(_ other: PairSearch) {
        pairs.append(contentsOf: other.pairs)
        let capped = zip(cappedRows + other.cappedRows, weakestKept + other.weakestKept).sorted { $0.0 < $1.0 }
        cappedRows = capped.map(\.0)
        weakestKept = capped.map(\.1)
        work = work + other.work
    }
}
