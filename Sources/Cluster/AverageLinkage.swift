import HeapModule

/// Average-link (UPGMA) agglomerative clustering over a sparse similarity graph.
///
/// Two groups merge when the mean similarity over all their cross pairs reaches the threshold,
/// where pairs without an edge count as zero. A chain of weak links therefore cannot glue two
/// stories together: every member of one group must, on average, resemble every member of the
/// other. Merges happen best-first, so the result does not depend on edge order.
public struct AverageLinkage: Sendable {
    /// One undirected edge between nodes `a` and `b`.
    public struct Edge: Sendable, Hashable {
        public var a: Int
        public var b: Int
        public var weight: Float

        public init(_ a: Int, _ b: Int, _ weight: Float) {
            self.a = a
            self.b = b
            self.weight = weight
        }
    }

    public var threshold: Float

    public init(threshold: Float) {
        self.threshold = threshold
    }

    /// Groups `nodeCount` nodes.
    ///
    /// - Parameters:
    ///   - initial: a starting group for each node (nodes that must end up together share one,
    ///     e.g. exact copies); `nil` starts every node alone.
    ///   - edges: similarities; an edge inside a starting group is ignored.
    /// - Returns: a group label per node: the smallest node index of its group.
    /// - Complexity: O(M log M) for M edge updates, at most the edges times the merges touching them.
    public func groups(nodeCount: Int, initial: [Int]? = nil, edges: [Edge]) -> [Int] {
        var parent = initial ?? Array(0..<nodeCount)
        precondition(parent.count == nodeCount, "one starting group per node")
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for node in 0..<nodeCount { parent[node] = root(parent[node]) }

        var size = [Int](repeating: 0, count: nodeCount)
        for node in 0..<nodeCount { size[parent[node]] += 1 }
        // Sum of edge weights between two live groups, keyed by group root.
        var links = [[Int: Double]](repeating: [:], count: nodeCount)
        for edge in edges {
            let a = parent[edge.a], b = parent[edge.b]
            guard a != b else { continue }
            links[a][b, default: 0] += Double(edge.weight)
            links[b][a, default: 0] += Double(edge.weight)
        }

        var version = [Int](repeating: 0, count: nodeCount)
        var heap = Heap<Candidate>()
        func push(_ a: Int, _ b: Int) {
            let mean = links[a][b]! / Double(size[a] * size[b])
            guard mean >= Double(threshold) else { return }
            heap.insert(Candidate(mean: mean, low: min(a, b), high: max(a, b), lowVersion: version[min(a, b)], highVersion: version[max(a, b)]))
        }
        for a in 0..<nodeCount where parent[a] == a {
            for b in links[a].keys where a < b { push(a, b) }
        }

        while let best = heap.popMax() {
            guard version[best.low] == best.lowVersion, version[best.high] == best.highVersion,
                  parent[best.low] == best.low, parent[best.high] == best.high
            else { continue }
            // Keep the group with more links, fold the other into it.
            let (keep, fold) = links[best.low].count >= links[best.high].count ? (best.low, best.high) : (best.high, best.low)
            parent[fold] = keep
            size[keep] += size[fold]
            size[fold] = 0
            version[keep] += 1
            version[fold] += 1
            for (other, weight) in links[fold] where other != keep {
                links[keep][other, default: 0] += weight
                links[other][keep, default: 0] += weight
                links[other][fold] = nil
            }
            links[fold] = [:]
            links[keep][fold] = nil
            for other in links[keep].keys { push(keep, other) }
        }

        var label = [Int](repeating: 0, count: nodeCount)
        var smallest = [Int: Int]()
        for node in 0..<nodeCount {
            let r = root(node)
            if smallest[r] == nil { smallest[r] = node }
            label[node] = smallest[r]!
        }
        return label
    }

    /// A possible merge; the heap pops the highest mean first, ties to the smallest indices.
    private struct Candidate: Comparable {
        var mean: Double
        var low: Int
        var high: Int
        var lowVersion: Int
        var highVersion: Int

        static func < (x: Candidate, y: Candidate) -> Bool {
            if x.mean != y.mean { return x.mean < y.mean }
            if x.low != y.low { return x.low > y.low }
            return x.high > y.high
        }
    }
}
