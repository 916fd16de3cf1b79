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
        groups(nodeCount: nodeCount, initial: initial, edgeCount: edges.count) { k in
            let edge = edges[k]
            return (edge.a, edge.b, edge.weight)
        }
    }

    /// Groups `nodeCount` nodes, reading edge `k` from `edge(k)` (`nil` skips it), so that a
    /// caller holding its edges in another form need not copy them into ``Edge`` values.
    func groups(
        nodeCount: Int, initial: [Int]?, edgeCount: Int, edge: (Int) -> (a: Int, b: Int, weight: Float)?
    ) -> [Int] {
        precondition(nodeCount < Int(Int32.max), "node indices must fit in Int32")
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

        let state = LinkageState(groupOf: parent, threshold: Double(threshold), edgeCount: edgeCount) { k in
            guard let e = edge(k) else { return nil }
            let a = parent[e.a], b = parent[e.b]
            return a == b ? nil : (a, b, e.weight)
        }
        var queue = CandidateQueue(state.firstCandidates(), lowest: Candidate.order(of: Double(threshold)))

        while let best = queue.removeTop() {
            switch state.check(best) {
            case .stale:
                continue
            case .lower(let current):
                // Its groups have grown since: wait again at the lower mean.
                if let current { queue.insert(current) }
                continue
            case .current:
                break
            }
            let low = Int(best.low), high = Int(best.high)
            // Keep the group with more links, fold the other into it.
            let (keep, fold) = state.degree(low) >= state.degree(high) ? (low, high) : (high, low)
            parent[fold] = keep
            state.merge(fold, into: keep) { queue.insert($0) }
        }

        var label = [Int](repeating: 0, count: nodeCount)
        var smallest = [Int](repeating: -1, count: nodeCount)
        for node in 0..<nodeCount {
            let r = root(node)
            if smallest[r] < 0 { smallest[r] = node }
            label[node] = smallest[r]
        }
        return label
    }
}
