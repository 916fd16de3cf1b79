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
        var parent = textOriginal
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for pair in pairs where pair.cosine >= threshold && (core[Int(pair.first)] || core[Int(pair.second)]) {
            let a = root(Int(pair.first)), b = root(Int(pair.second))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        for node in parent.indices { parent[node] = root(node) }
        return parent
    }

    /// The groups of two partitions joined: nodes together in either end up together, each
    /// labelled by the smallest node of its joined group.
    static func joined(_ a: [Int], _ b: [Int]) -> [Int] {
        var parent = Array(a.indices)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for partition in [a, b] {
            for node in partition.indices {
                let x = root(node), y = root(partition[node])
                if x != y { parent[max(x, y)] = min(x, y) }
            }
        }
        return parent.indices.map(root)
    }
}
