import Testing
import TestSupport
@testable import Cluster

/// The linkage against a plain transcription of its definition: a dictionary of link sums per
/// group, and before every merge a scan of all links for the best mean. The production code keeps
/// flat arrays, lazy candidates and a bucketed heap; it must merge in exactly the same order,
/// ties included, so the labels must be equal.
@Suite struct AverageLinkageReferenceTests {
    /// The reference: every step merges the pair of linked groups with the highest mean (ties to
    /// the smaller indices), keeping the group with more links, as the first implementation did.
    static func referenceGroups(
        nodeCount: Int, initial: [Int]?, edges: [AverageLinkage.Edge], threshold: Float,
        evidence: AverageLinkage.Evidence = AverageLinkage.Evidence(), published: [Int64?]? = nil, window: Int64? = nil
    ) -> [Int] {
        var parent = initial ?? Array(0..<nodeCount)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { x = parent[x] }
            return x
        }
        for node in 0..<nodeCount { parent[node] = root(parent[node]) }
        var size = [Int](repeating: 0, count: nodeCount)
        for node in 0..<nodeCount { size[parent[node]] += 1 }
        var links = [[Int: Double]](repeating: [:], count: nodeCount)
        var gaps = [[Int: Float]](repeating: [:], count: nodeCount)
        for edge in edges {
            let a = parent[edge.a], b = parent[edge.b]
            guard a != b else { continue }
            links[a][b, default: 0] += Double(edge.weight)
            links[b][a, default: 0] += Double(edge.weight)
            gaps[a][b] = min(gaps[a][b] ?? .infinity, edge.gap)
            gaps[b][a] = gaps[a][b]
        }
        while true {
            var best: (mean: Double, low: Int, high: Int)?
            for a in 0..<nodeCount where parent[a] == a {
                for (b, sum) in links[a] where a < b {
                    var pairs = Double(size[a] * size[b])
                    if let published, let window {
                        // Cross pairs of members published within the window, or undated.
                        pairs = 0
                        for x in 0..<nodeCount where root(x) == a {
                            for y in 0..<nodeCount where root(y) == b {
                                if let p = published[x], let q = published[y], abs(p - q) > window { continue }
                                pairs += 1
                            }
                        }
                    }
                    let mean = evidence.value(sum: sum, pairs: pairs, Int32(size[a]), Int32(size[b]), gap: gaps[a][b]!)
                    guard mean >= Double(threshold) else { continue }
                    if let current = best, (current.mean, -current.low, -current.high) >= (mean, -a, -b) { continue }
                    best = (mean, a, b)
                }
            }
            guard let (_, low, high) = best else { break }
            let (keep, fold) = links[low].count >= links[high].count ? (low, high) : (high, low)
            parent[fold] = keep
            size[keep] += size[fold]
            size[fold] = 0
            for (other, weight) in links[fold] where other != keep {
                links[keep][other, default: 0] += weight
                links[other][keep, default: 0] += weight
                links[other][fold] = nil
                gaps[keep][other] = min(gaps[keep][other] ?? .infinity, gaps[fold][other]!)
                gaps[other][keep] = gaps[keep][other]
                gaps[other][fold] = nil
            }
            links[fold] = [:]
            links[keep][fold] = nil
            gaps[fold] = [:]
            gaps[keep][fold] = nil
        }
        var label = [Int](repeating: 0, count: nodeCount)
        var smallest: [Int: Int] = [:]
        for node in 0..<nodeCount {
            let r = root(node)
            if smallest[r] == nil { smallest[r] = node }
            label[node] = smallest[r]!
        }
        return label
    }

    /// A random graph of 20 to 79 nodes with weights on a coarse grid (so that many means tie
    /// exactly), each edge's gap drawn by `gap` before its weight, and some nodes starting in
    /// groups of two or three, as exact copies do.
    static func randomGraph(
        _ random: inout SplitMix64, gap: (inout SplitMix64) -> Float
    ) -> (nodeCount: Int, edges: [AverageLinkage.Edge], initial: [Int]) {
        let nodeCount = 20 + Int(random.next() % 60)
        let edgeCount = nodeCount * (1 + Int(random.next() % 6))
        var edges: [AverageLinkage.Edge] = []
        for _ in 0..<edgeCount {
            let a = Int(random.next() % UInt64(nodeCount)), b = Int(random.next() % UInt64(nodeCount))
            guard a != b else { continue }
            let hours = gap(&random)
            edges.append(AverageLinkage.Edge(a, b, Float(1 + random.next() % 8) / 8, gap: hours))
        }
        var initial = Array(0..<nodeCount)
        for node in 0..<nodeCount where node % 3 != 0 && random.next() % 5 == 0 {
            initial[node] = 3 * Int(random.next() % UInt64((nodeCount + 2) / 3))
        }
        return (nodeCount, edges, initial)
    }

    /// Random graphs with weights on a coarse grid, so that many means tie exactly.
    @Test(arguments: 0..<40)
    func mergesLikeTheDefinitionOnRandomGraphs(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed))
        let (nodeCount, edges, initial) = Self.randomGraph(&random) { _ in .infinity }
        let threshold = Float(1 + random.next() % 4) / 8
        let expected = Self.referenceGroups(nodeCount: nodeCount, initial: initial, edges: edges, threshold: threshold)
        let actual = AverageLinkage(threshold: threshold).groups(nodeCount: nodeCount, initial: initial, edges: edges)
        #expect(actual == expected)
        #expect(Set(actual).count < nodeCount, "the graph should merge something")
    }

    /// The same with phantom pairs, time gaps, the undated size factor and the small-group
    /// boost, whose values can rise
    /// after a merge (a merged link may be worth more than the merge that made it): the lazy
    /// candidates and the bucketed queue must still merge in the definition's order.
    @Test(arguments: 0..<40)
    func mergesLikeTheDefinitionWithEvidence(seed: Int) {
        var random = SplitMix64(seed: UInt64(1_000 + seed))
        // A third of the pairs undated, the rest 0 to 23 hours apart.
        let (nodeCount, edges, initial) = Self.randomGraph(&random) { random in
            random.next() % 3 == 0 ? .infinity : Float(random.next() % 24)
        }
        let threshold = Float(1 + random.next() % 4) / 10
        let evidence = AverageLinkage.Evidence(
            priorPairs: Double(random.next() % 4) / 4, gapDecay: Double(random.next() % 4) / 8, gapHours: 12,
            undatedSizeCaution: Double(random.next() % 4) / 10, undatedSizePivot: 3,
            smallGroupBoost: 1 + Double(random.next() % 3) / 4, smallGroupLimit: Int32(random.next() % 5))
        let expected = Self.referenceGroups(nodeCount: nodeCount, initial: initial, edges: edges, threshold: threshold, evidence: evidence)
        let actual = AverageLinkage(threshold: threshold, evidence: evidence).groups(nodeCount: nodeCount, initial: initial, edges: edges)
        #expect(actual == expected)

        // And with means over the pairs a 30-hour window lets through (times 0 to 99 hours, a
        // tenth undated). The edges' gaps are left as drawn: the linkage only reads them.
        let published: [Int64?] = (0..<nodeCount).map { _ in random.next() % 10 == 0 ? nil : Int64(random.next() % 100) * 3_600 }
        let window: Int64 = 30 * 3_600
        // The engine only scores pairs inside the window.
        let scored = edges.filter { e in
            guard let p = published[e.a], let q = published[e.b] else { return true }
            return abs(p - q) <= window
        }
        let windowedExpected = Self.referenceGroups(
            nodeCount: nodeCount, initial: initial, edges: scored, threshold: threshold, evidence: evidence,
            published: published, window: window)
        let windowed = AverageLinkage(threshold: threshold, evidence: evidence, window: window).groups(
            nodeCount: nodeCount, initial: initial, published: published, edgeCount: scored.count
        ) { k in (scored[k].a, scored[k].b, scored[k].weight, scored[k].gap) }
        #expect(windowed == windowedExpected)
    }
}
