import Vectors

/// The scored pairs as a symmetric sparse adjacency: each article's partners in ascending order
/// with their cosines.
struct PairIndex {
    /// `start[i]..<start[i + 1]` is article `i`'s range in `neighbour` and `cosine`.
    let start: [Int]
    let neighbour: [Int32]
    let cosine: [Float]

    /// Indexes the pairs for which `keep` holds; when one pair is listed twice, the later cosine
    /// counts.
    init(_ pairs: [ScoredPair], nodeCount n: Int, keep: (Int, Int) -> Bool = { _, _ in true }) {
        var pairs = pairs
        if !Self.isStrictlySorted(pairs) {
            // Not the engine's sorted output: order by (low, high) and keep each pair's last entry.
            let normalized = pairs.map { ScoredPair(first: min($0.first, $0.second), second: max($0.first, $0.second), cosine: $0.cosine) }
            let sorted = normalized.indices.sorted {
                let x = normalized[$0], y = normalized[$1]
                return (x.first, x.second, $0) < (y.first, y.second, $1)
            }
            pairs = []
            for (k, index) in sorted.enumerated() {
                let next = k + 1 < sorted.count ? normalized[sorted[k + 1]] : nil
                let pair = normalized[index]
                if let next, next.first == pair.first && next.second == pair.second { continue }
                pairs.append(pair)
            }
        }
        var start = [Int](repeating: 0, count: n + 1)
        for pair in pairs where keep(Int(pair.first), Int(pair.second)) {
            start[Int(pair.first) + 1] += 1
            start[Int(pair.second) + 1] += 1
        }
        for i in 0..<n { start[i + 1] += start[i] }
        var fill = start
        var neighbour = [Int32](repeating: 0, count: start[n])
        var cosine = [Float](repeating: 0, count: start[n])
        // Sorted by (first, second), each row fills in ascending partner order: first the
        // partners below it (as `second` of earlier firsts), then those above it.
        for pair in pairs where keep(Int(pair.first), Int(pair.second)) {
            let a = Int(pair.first), b = Int(pair.second)
            neighbour[fill[a]] = pair.second
            cosine[fill[a]] = pair.cosine
            fill[a] += 1
            neighbour[fill[b]] = pair.first
            cosine[fill[b]] = pair.cosine
            fill[b] += 1
        }
        self.start = start
        self.neighbour = neighbour
        self.cosine = cosine
    }

    private static func isStrictlySorted(_ pairs: [ScoredPair]) -> Bool {
        var previous: (Int32, Int32) = (-1, -1)
        for pair in pairs {
            guard pair.first < pair.second, (pair.first, pair.second) > previous else { return false }
            previous = (pair.first, pair.second)
        }
        return true
    }

    func row(_ article: Int) -> Range<Int> { start[article]..<start[article + 1] }

    /// Whether `a` and `b` were scored.
    func contains(_ a: Int, _ b: Int) -> Bool {
        var low = start[a], high = start[a + 1]
        let target = Int32(b)
        while low < high {
            let middle = (low + high) / 2
            if neighbour[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low < start[a + 1] && neighbour[low] == target
    }
}
