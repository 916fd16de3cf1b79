import Glibc

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
        /// Hours between the two nodes' publish times; infinite when either has none.
        public var gap: Float

        public init(_ a: Int, _ b: Int, _ weight: Float, gap: Float = .infinity) {
            self.a = a
            self.b = b
            self.weight = weight
            self.gap = gap
        }
    }

    public var threshold: Float
    /// How a link's sum becomes the value compared with the threshold; plain mean by default.
    public var evidence = Evidence()
    /// The similarity engine's window in seconds: with node times given to ``groups``, cross
    /// pairs further apart (never compared) are left out of the means instead of counting as zero.
    /// `nil`: every cross pair counts.
    public var window: Int64?

    public init(threshold: Float, evidence: Evidence = Evidence(), window: Int64? = nil) {
        self.threshold = threshold
        self.evidence = evidence
        self.window = window
    }

    /// What, besides the sum of its edge weights, a link between two groups is judged by. With
    /// every setting at zero the value is the plain mean over all cross pairs.
    public struct Evidence: Sendable, Hashable {
        /// Phantom cross pairs of weight zero added to every mean: a mean over few pairs is drawn
        /// toward zero, one over many pairs hardly moves.
        public var priorPairs: Double = 0
        /// Share of the value taken off when the closest-in-time linked pair of the two groups is
        /// ``gapHours`` or more apart (linearly less for closer ones): a story's coverage is
        /// continuous, so a group that only reaches the other across a long silence is more
        /// often another event.
        public var gapDecay: Double = 0
        public var gapHours: Double = 12
        /// When no linked pair of the two groups has both publish times, the value is divided by
        /// `1 + undatedSizeCaution · ln(s / undatedSizePivot)`, `s` the smaller group's size:
        /// without times nothing else tells recurring look-alike events apart, and they meet as
        /// large groups, so large groups must agree more and single articles may join on less.
        public var undatedSizeCaution: Double = 0
        public var undatedSizePivot: Double = 3
        /// Small-story factor: a dated link between two groups of 2 to ``smallGroupLimit`` nodes
        /// each has its value multiplied by this (1 leaves it; undated links have the size
        /// caution above instead). Two small groups are each a story
        /// some outlets covered; when they resemble each other they are most often fragments
        /// of one story, while a single article's resemblance is mostly shared vocabulary.
        public var smallGroupBoost: Double = 1
        public var smallGroupLimit: Int32 = 0

        public init(priorPairs: Double = 0, gapDecay: Double = 0, gapHours: Double = 12,
                    undatedSizeCaution: Double = 0, undatedSizePivot: Double = 3,
                    smallGroupBoost: Double = 1, smallGroupLimit: Int32 = 0) {
            precondition(priorPairs >= 0 && gapDecay >= 0 && gapDecay <= 1 && gapHours > 0, "evidence settings out of range")
            precondition(undatedSizePivot >= 1 && undatedSizeCaution >= 0 && undatedSizeCaution * log(undatedSizePivot) < 1,
                         "the undated size factor must stay positive")
            precondition(smallGroupBoost >= 1 && smallGroupLimit >= 0, "the small-group boost only raises values")
            self.priorPairs = priorPairs
            self.gapDecay = gapDecay
            self.gapHours = gapHours
            self.undatedSizeCaution = undatedSizeCaution
            self.undatedSizePivot = undatedSizePivot
            self.smallGroupBoost = smallGroupBoost
            self.smallGroupLimit = smallGroupLimit
        }

        /// Whether a group of `size` nodes linked to another small group gets the boost.
        @inline(__always)
        func isSmall(_ size: Int32) -> Bool { size >= 2 && size <= smallGroupLimit }

        /// The value of a link with edge-weight `sum` over `pairs` cross pairs between groups of
        /// `a` and `b` nodes whose closest linked pair is `gap` hours apart (infinite: no linked
        /// pair has both times).
        @inline(__always)
        func value(sum: Double, pairs: Double, _ a: Int32, _ b: Int32, gap: Float) -> Double {
            var value = sum / (pairs + priorPairs)
            if gap.isFinite {
                if gapDecay > 0 { value *= 1 - gapDecay * min(Double(gap), gapHours) / gapHours }
                if smallGroupBoost > 1 && isSmall(a) && isSmall(b) { value *= smallGroupBoost }
            } else if undatedSizeCaution > 0 {
                value /= 1 + undatedSizeCaution * log(Double(min(a, b)) / undatedSizePivot)
            }
            return value
        }
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
            return (edge.a, edge.b, edge.weight, edge.gap)
        }
    }

    /// Groups `nodeCount` nodes, reading edge `k` from `edge(k)` (`nil` skips it), so that a
    /// caller holding its edges in another form need not copy them into ``Edge`` values.
    ///
    /// With `published` (a time per node, `nil` for none) and a ``window``, means run over the
    /// cross pairs the window let the engine compare (``ComparablePairs``).
    func groups(
        nodeCount: Int, initial: [Int]?, published: [Int64?]? = nil, edgeCount: Int,
        edge: (Int) -> (a: Int, b: Int, weight: Float, gap: Float)?
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

        var comparable: ComparablePairs?
        if let window, let published { comparable = ComparablePairs(groupOf: parent, published: published, window: window) }
        let state = LinkageState(
            groupOf: parent, threshold: Double(threshold), evidence: evidence, comparable: comparable, edgeCount: edgeCount
        ) { k in
            guard let e = edge(k) else { return nil }
            let a = parent[e.a], b = parent[e.b]
            return a == b ? nil : (a, b, e.weight, e.gap)
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
