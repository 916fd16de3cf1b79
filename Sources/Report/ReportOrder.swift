import Cluster
import Corpus
import Vectors

/// The order of rows that depends on nothing but the ids: the same bytes for any order of the
/// records in the input, not only of the input paths.
///
/// A record's index in the run is its place in the input, so a pair's two ends and the copies
/// of one URL come in read order. Here each pair is turned to have the smaller id first (ids
/// compared by their UTF-8 bytes; they are unique), pairs are sorted by their two ids, and the
/// `exact_url` copies of one original follow it in id order.
struct ReportOrder: Sendable {
    /// Per record, its place among all the records sorted by id.
    let rank: [Int32]
    private let relations: [Relation]
    private let originals: [Int32]

    init(_ clustering: Clustering) {
        let records = clustering.records
        precondition(records.count < Int32.max, "fewer than 2^31 records")
        let sorted = records.indices.sorted { records[$0].id.utf8.lexicographicallyPrecedes(records[$1].id.utf8) }
        var rank = [Int32](repeating: 0, count: records.count)
        for (position, record) in sorted.enumerated() { rank[record] = Int32(position) }
        self.rank = rank
        relations = clustering.memberships.map(\.relation)
        originals = clustering.memberships.map { Int32($0.duplicateOf ?? -1) }
    }

    /// `pair` with the smaller id first.
    func oriented(_ pair: ScoredPair) -> ScoredPair {
        rank[Int(pair.first)] <= rank[Int(pair.second)] ? pair : ScoredPair(first: pair.second, second: pair.first, cosine: pair.cosine)
    }

    /// Whether oriented pair `x` comes before oriented pair `y`: by first id, then second.
    func precedes(_ x: ScoredPair, _ y: ScoredPair) -> Bool {
        (rank[Int(x.first)], rank[Int(x.second)]) < (rank[Int(y.first)], rank[Int(y.second)])
    }

    /// The indices of `pairs` in the order of their oriented ids.
    /// - Complexity: O(P log P) for P pairs, 16 bytes per pair while sorting.
    func sortedIndices(_ pairs: [ScoredPair]) -> [Int] {
        var keys = [(key: UInt64, index: Int)]()
        keys.reserveCapacity(pairs.count)
        for (index, pair) in pairs.enumerated() {
            let a = UInt64(UInt32(rank[Int(pair.first)])), b = UInt64(UInt32(rank[Int(pair.second)]))
            keys.append((min(a, b) << 32 | max(a, b), index))
        }
        keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        return keys.map(\.index)
    }

    /// A cluster's members as the reports list them: the clustering's order, with every run of
    /// `exact_url` copies of one original sorted by id.
    func members(_ cluster: StoryCluster) -> [Int] {
        var members = cluster.members
        var start = 0
        while start < members.count {
            var end = start + 1
            if relations[members[start]] == .exactURL {
                while end < members.count && relations[members[end]] == .exactURL && originals[members[end]] == originals[members[start]] {
                    end += 1
                }
                if end - start > 1 { members[start..<end].sort { rank[$0] < rank[$1] } }
            }
            start = end
        }
        return members
    }
}
