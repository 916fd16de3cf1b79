import Vectors

extension Clusterer {
    /// The groups the linkage starts from: the exact text groups, with the articles of each
    /// near-copy swarm joined into one group.
    ///
    /// A swarm's rows keep only their best pairs (``SimilarityOptions/partnerCap``), so a mean
    /// over all its cross pairs would count the dropped ones as zero and cut it into pieces of
    /// a few times the cap. A capped row whose weakest kept pair still reaches the story
    /// `threshold` had more partners at the threshold than the cap: it sits in a dense block of
    /// near copies, and each of its kept pairs joins its two articles' groups before the
    /// linkage runs, as exact copies do. A capped row whose kept pairs reach below the threshold
    /// only had many weak pairs (a busy day's vocabulary): it joins nothing. Without capped rows
    /// (every input short of a swarm) the text groups are returned unchanged, and so is the
    /// clustering.
    ///
    /// - Parameters:
    ///   - textOriginal: each article's exact text group (its group's first article).
    ///   - swarms: the search that gave `pairs` (``PairSearch/cappedRows``).
    /// - Returns: a starting group per article, as ``AverageLinkage`` reads it (each article's
    ///   group named by one of its members); the groups do not depend on the order of the pairs.
    /// - Complexity: O(N + P α(N)) for N articles and P pairs.
    static func startingGroups(textOriginal: [Int], pairs: [ScoredPair], swarms: PairSearch?, threshold: Float) -> [Int] {
        guard let swarms, swarms.weakestKept.contains(where: { $0 >= threshold }) else { return textOriginal }
        var core = [Bool](repeating: false, count: textOriginal.count)
        for (row, weakest) in zip(swarms.cappedRows, swarms.weakestKept) where weakest >= threshold { core[Int(row)] = true }
        var sets = DisjointSets(textOriginal)
        for pair in pairs where pair.cosine >= threshold && (core[Int(pair.first)] || core[Int(pair.second)]) {
            sets.join(Int(pair.first), Int(pair.second))
        }
        return sets.roots()
    }

    /// The groups of two partitions joined: nodes together in either end up together, each
    /// labelled by the smallest node of its joined group.
    static func joined(_ a: [Int], _ b: [Int]) -> [Int] {
        var sets = DisjointSets(Array(a.indices))
        for partition in [a, b] {
            for node in partition.indices { sets.join(node, partition[node]) }
        }
        return sets.roots()
    }
}

/// Union-find over nodes `0..<n`; joining two sets names the result by the smaller of their roots.
private struct DisjointSets {
    private var parent: [Int]

    /// Starts from `parent`, each node pointing at a node of its set (itself for a set of one).
    init(_ parent: [Int]) {
        self.parent = parent
    }

    mutating func root(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    /// Puts `a` and `b` in one set, named by the smaller of their two roots.
    mutating func join(_ a: Int, _ b: Int) {
        let x = root(a), y = root(b)
        if x != y { parent[max(x, y)] = min(x, y) }
    }

    /// Each node's set, by its root.
    mutating func roots() -> [Int] {
        for node in parent.indices { parent[node] = root(node) }
        return parent
    }
}
