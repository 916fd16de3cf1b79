import Testing
@testable import Cluster

/// The linkage against a plain transcription of its definition: a dictionary of link sums per
/// group, and before every merge a scan of all links for the best mean. The production code keeps
/// flat arrays, lazy candidates and a bucketed heap; it must merge in exactly the same order,
/// ties included, so the labels must be equal.
@Suite struct AverageLinkageReferenceTests {
    /// The reference: every step merges the pair of linked groups with the highest mean (ties to
    /// the smaller indices), keeping the group with more links, as the first implementation did.
    static func referenceGroups(nodeCount: Int, initial: [Int]?, edges: [AverageLinkage.Edge], threshold: Float) -> [Int] {
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
        for edge in edges {
            let a = parent[edge.a], b = parent[edge.b]
            guard a != b else { continue }
            links[a][b, default: 0] += Double(edge.weight)
            links[b][a, default: 0] += Double(edge.weight)
        }
        while true {
            var best: (mean: Double, low: Int, high: Int)?
            for a in 0..<nodeCount where parent[a] == a {
                for (b, sum) in links[a] where a < b {
                    let mean = sum / Double(size[a] * size[b])
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
            }
            links[fold] = [:]
            links[keep][fold] = nil
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

    /// Random graphs with weights on a coarse grid, so that many means tie exactly.
    @Test(arguments: 0..<40)
    func mergesLikeTheDefinitionOnRandomGraphs(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed))
        let nodeCount = 20 + Int(random.next() % 60)
        let edgeCount = nodeCount * (1 + Int(random.next() % 6))
        var edges: [AverageLinkage.Edge] = []
        for _ in 0..<edgeCount {
            let a = Int(random.next() % UInt64(nodeCount)), b = Int(random.next() % UInt64(nodeCount))
            guard a != b else { continue }
            edges.append(AverageLinkage.Edge(a, b, Float(1 + random.next() % 8) / 8))
        }
        // Some nodes start in groups of two or three, as exact copies do.
        var initial = Array(0..<nodeCount)
        for node in 0..<nodeCount where node % 3 != 0 && random.next() % 5 == 0 {
            initial[node] = 3 * Int(random.next() % UInt64((nodeCount + 2) / 3))
        }
        let threshold = Float(1 + random.next() % 4) / 8
        let expected = Self.referenceGroups(nodeCount: nodeCount, initial: initial, edges: edges, threshold: threshold)
        let actual = AverageLinkage(threshold: threshold).groups(nodeCount: nodeCount, initial: initial, edges: edges)
        #expect(actual == expected)
        #expect(Set(actual).count < nodeCount, "the graph should merge something")
    }
}

/// A small seeded generator, so the random cases are the same on every run.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
