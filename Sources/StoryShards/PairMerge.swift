import Report

/// The shards' `pairs.csv` merged in order of the two ids, each pair taken from the shard that
/// owns its first article (it saw the window around it, so it scored every pair of it).
final class PairMerge {
    private let scanners: [CSVRecordScanner]
    private let formulas: [CSVFormulaPolicy]
    private var heads: [AssembledReport.Pair?]
    private let place: [String: (shard: Int32, story: Int32)]
    private let renames: [Int32: [String: String]]

    init(directories: [String], place: [String: (shard: Int32, story: Int32)], renames: [Int32: [String: String]] = [:]) throws {
        self.place = place
        self.renames = renames
        scanners = try directories.map {
            try CSVRecordScanner(path: $0 + "/pairs.csv", columns: ReportWriter.pairColumns)
        }
        formulas = directories.map { ReportReader(directory: $0).formulas() }
        heads = Array(repeating: nil, count: directories.count)
        for shard in scanners.indices { heads[shard] = try advance(shard) }
    }

    /// The next pair of shard `shard` that it owns.
    private func advance(_ shard: Int) throws(ReportError) -> AssembledReport.Pair? {
        let text = formulas[shard]
        while let row = try scanners[shard].next() {
            var a = text.decode(row[0]), b = text.decode(row[1])
            if let map = renames[Int32(shard)] {
                a = map[a] ?? a
                b = map[b] ?? b
            }
            guard let x = place[a], Int(x.shard) == shard, let y = place[b] else { continue }
            return AssembledReport.Pair(
                idA: a, idB: b, cosine: row[2], relation: ShardMerge.relation(row[3], together: x.story == y.story),
                sharedTerms: text.decode(row[4]), hoursApart: row[5])
        }
        return nil
    }

    func next() throws(ReportError) -> AssembledReport.Pair? {
        var best: Int?
        for shard in heads.indices {
            guard let head = heads[shard] else { continue }
            if let b = best, let current = heads[b] {
                let smaller = head.idA != current.idA
                    ? head.idA.utf8.lexicographicallyPrecedes(current.idA.utf8)
                    : head.idB.utf8.lexicographicallyPrecedes(current.idB.utf8)
                if !smaller { continue }
            }
            best = shard
        }
        guard let best else { return nil }
        let pair = heads[best]
        heads[best] = try advance(best)
        return pair
    }
}
