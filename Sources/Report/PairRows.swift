import Cluster
import Corpus
import Vectors

/// The rows of `pairs.csv`, built in batches.
///
/// A pair's second article is anywhere in the corpus, so its matrix row, its id and the terms it
/// shares are cache misses; done one pair at a time, each miss stalls the row. A batch first
/// copies the second rows, ids and relations of all its pairs in a loop of independent loads
/// (the misses overlap), then finds the shared terms, fetches their bytes the same way, and
/// writes the rows. The ids (CSV-encoded), terms and per-record facts are laid out once, so that
/// a row reads no `Article` or `String`: copying those from two threads would make their
/// reference counts bounce between the cores.
///
/// Rows come in ``ReportOrder``: each pair with the smaller id first, sorted by the two ids, so
/// that the file does not depend on the order of the input's records.
struct PairRows: Sendable {
    private let pairs: [ScoredPair]
    /// Row `k` is `order.oriented(pairs[rowPair[k]])`.
    private let rowPair: [Int]
    private let order: ReportOrder
    private let formulas: CSVFormulaPolicy
    private let matrix: SparseMatrix
    private let ids: ByteTable
    private let terms: ByteTable
    private let ends: [PairRelation.End]
    private static let batch = 32

    /// Lays out the ids, terms and record facts, each on a worker thread.
    init(_ result: RunResult, threads: Int, order: ReportOrder? = nil, formulas: CSVFormulaPolicy = .neutralize) {
        let clustering = result.clustering
        pairs = clustering.pairs
        matrix = result.model.matrix
        let order = order ?? ReportOrder(clustering)
        self.order = order
        self.formulas = formulas
        rowPair = order.sortedIndices(clustering.pairs)
        let ids = ResultSlot<ByteTable>(), terms = ResultSlot<ByteTable>(), ends = ResultSlot<[PairRelation.End]>()
        let jobs = Chunks(count: 3, grain: 1)
        Parallel.run(threads: min(threads, 3)) { _ in
            while let range = jobs.next() {
                switch range.lowerBound {
                case 0: ids.set(ByteTable(clustering.records.count) { $1.appendCSVText(clustering.records[$0].id, formulas) })
                case 1: terms.set(ByteTable(result.model.terms.count) { $1.append(result.model.terms[$0]) })
                default: ends.set(clustering.records.indices.map { PairRelation.End(clustering.records[$0], clustering.memberships[$0]) })
                }
            }
        }
        self.ids = ids.result
        self.terms = terms.result
        self.ends = ends.result
    }

    /// Appends rows `range` of the file (without the header).
    func append(_ range: Range<Int>, to out: inout ReportBuffer) {
        var shared = SharedTerms()
        var rows = SecondRows()
        var termSlots: [ByteTable.Slot] = []
        var secondEnds: [PairRelation.End] = []
        var secondIDs: [ByteTable.Slot] = []
        for start in stride(from: range.lowerBound, to: range.upperBound, by: Self.batch) {
            let batch = (start..<min(start + Self.batch, range.upperBound)).map { order.oriented(pairs[rowPair[$0]]) }
            // Everything of the second articles, in loops of independent loads.
            rows.copy(batch.map { Int($0.second) }, from: matrix)
            secondEnds.removeAll(keepingCapacity: true)
            secondIDs.removeAll(keepingCapacity: true)
            for pair in batch {
                secondEnds.append(ends[Int(pair.second)])
                secondIDs.append(ids.slot(Int(pair.second)))
            }
            // The shared terms, then their bytes.
            shared.find(batch.map { Int($0.first) }, rows, matrix: matrix)
            termSlots.removeAll(keepingCapacity: true)
            for column in shared.columns { termSlots.append(terms.slot(Int(column))) }

            for (offset, pair) in batch.enumerated() {
                let a = Int(pair.first), b = Int(pair.second)
                let x = ends[a], y = secondEnds[offset]
                ids.append(ids.slot(a), to: &out)
                out.append(byte: 0x2C)
                ids.append(secondIDs[offset], to: &out)
                out.append(byte: 0x2C)
                out.appendDecimal(pair.cosine)
                out.append(byte: 0x2C)
                out.append(PairRelation.of(a, b, x, y).rawValue)
                out.append(byte: 0x2C)
                out.appendCSVText(formulas) { out in
                    for k in shared.range(offset) {
                        if k > shared.range(offset).lowerBound { out.append("; ") }
                        terms.append(termSlots[k], to: &out)
                        out.append(byte: UInt8(ascii: ":"))
                        out.appendDecimal(shared.contributions[k], places: 4)
                    }
                }
                out.append(byte: 0x2C)
                if x.hasPublished && y.hasPublished {
                    out.appendDecimal(Double(abs(x.published - y.published)) / 3_600, places: 2)
                }
                out.appendCRLF()
            }
        }
    }
}

/// Copies of the matrix rows of a batch's second articles, side by side.
struct SecondRows {
    private(set) var columns: [Int32] = []
    private(set) var values: [Float] = []
    /// Row `i` of the batch is `start[i] ..< start[i + 1]`.
    private(set) var start: [Int] = [0]
    private var bounds: [(Int, Int)] = []

    mutating func copy(_ rows: [Int], from matrix: SparseMatrix) {
        bounds.removeAll(keepingCapacity: true)
        for row in rows { bounds.append((matrix.rowStart[row], matrix.rowStart[row + 1])) }
        columns.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        start.removeAll(keepingCapacity: true)
        start.append(0)
        matrix.columns.withUnsafeBufferPointer { matrixColumns in
            for (low, high) in bounds { columns.append(contentsOf: UnsafeBufferPointer(rebasing: matrixColumns[low..<high])) }
        }
        matrix.values.withUnsafeBufferPointer { matrixValues in
            for (low, high) in bounds {
                values.append(contentsOf: UnsafeBufferPointer(rebasing: matrixValues[low..<high]))
                start.append(values.count)
            }
        }
    }
}

/// The terms that contribute most to a pair's cosine, as `term:share; term:share`: the first five
/// of `SparseMatrix.sharedTerms`, the products of the two rows' values on their common columns,
/// the largest first and ties to the lower column.
///
/// The first row goes into a small hash table (column to value) that stays in the L1 cache and
/// is kept while the pairs go on with the same first article (pairs come sorted by it); the
/// second row is looked up in it entry by entry.
struct SharedTerms {
    static let count = 5

    /// Open addressing with linear probing; -1 marks an empty slot.
    private var keys: [Int32] = []
    private var values: [Float] = []
    private var shift: UInt32 = 32
    private var first = -1
    /// Per pair of the last batch, its terms' columns and contributions, best first.
    private(set) var columns: [Int32] = []
    private(set) var contributions: [Float] = []
    private var ends: [Int] = [0]

    init() {}

    /// Where pair `offset` of the last batch has its terms in `columns` and `contributions`.
    func range(_ offset: Int) -> Range<Int> { ends[offset]..<ends[offset + 1] }

    /// Finds the shared terms of each pair `(firsts[i], row i of seconds)`.
    mutating func find(_ firsts: [Int], _ seconds: SecondRows, matrix: SparseMatrix) {
        columns.removeAll(keepingCapacity: true)
        contributions.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        ends.append(0)
        var topColumns = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
        var topValues = (Float(0), Float(0), Float(0), Float(0), Float(0))
        for (offset, a) in firsts.enumerated() {
            load(a, matrix: matrix)
            var found = 0
            withUnsafeMutableBytes(of: &topColumns) { topColumnBytes in
                withUnsafeMutableBytes(of: &topValues) { topValueBytes in
                    let topColumns = topColumnBytes.bindMemory(to: Int32.self)
                    let topValues = topValueBytes.bindMemory(to: Float.self)
                    keys.withUnsafeBufferPointer { keys in
                        values.withUnsafeBufferPointer { values in
                            let mask = keys.count - 1
                            for k in seconds.start[offset]..<seconds.start[offset + 1] {
                                let column = seconds.columns[k]
                                var slot = Int((UInt32(bitPattern: column) &* 0x9E37_79B1) >> shift)
                                while keys[slot] != column && keys[slot] >= 0 { slot = (slot &+ 1) & mask }
                                guard keys[slot] == column else { continue }
                                let contribution = values[slot] * seconds.values[k]
                                // Insert, best first, into at most five.
                                func before(_ i: Int) -> Bool {
                                    contribution != topValues[i] ? contribution > topValues[i] : column < topColumns[i]
                                }
                                if found == Self.count && !before(Self.count - 1) { continue }
                                var at = min(found, Self.count - 1)
                                while at > 0 && before(at - 1) {
                                    topColumns[at] = topColumns[at - 1]
                                    topValues[at] = topValues[at - 1]
                                    at -= 1
                                }
                                topColumns[at] = column
                                topValues[at] = contribution
                                found = min(found + 1, Self.count)
                            }
                            for i in 0..<found {
                                columns.append(topColumns[i])
                                contributions.append(topValues[i])
                            }
                        }
                    }
                }
            }
            ends.append(columns.count)
        }
    }

    /// Fills the table with row `a`, unless it holds it already.
    private mutating func load(_ a: Int, matrix: SparseMatrix) {
        guard first != a else { return }
        first = a
        let count = matrix.rowStart[a + 1] - matrix.rowStart[a]
        // A quarter full at most: most lookups miss, and a miss ends at the first empty slot.
        var size = 64, bits: UInt32 = 6
        while size < 4 * count {
            size *= 2
            bits += 1
        }
        if keys.count != size {
            keys = [Int32](repeating: -1, count: size)
            values = [Float](repeating: 0, count: size)
        } else {
            for i in 0..<size { keys[i] = -1 }
        }
        shift = 32 - bits
        let mask = size - 1
        for k in matrix.rowStart[a]..<matrix.rowStart[a + 1] {
            let column = matrix.columns[k]
            var slot = Int((UInt32(bitPattern: column) &* 0x9E37_79B1) >> shift)
            while keys[slot] >= 0 { slot = (slot &+ 1) & mask }
            keys[slot] = column
            values[slot] = matrix.values[k]
        }
    }

    /// The description as a `String`, straight from ``SparseMatrix/sharedTerms(_:_:)``: the
    /// definition the batched writer is tested against.
    static func describe(_ a: Int, _ b: Int, model: TFIDFModel) -> String {
        model.matrix.sharedTerms(a, b).prefix(count)
            .map { "\(model.terms[Int($0.column)]):\(Format.decimal($0.contribution, places: 4))" }
            .joined(separator: "; ")
    }
}

/// The encoded form of each of `count` values, built once so that writing one is a copy.
///
/// Each value has a 16-byte slot: its length and up to 15 bytes in place, so that a short value
/// (most ids and terms) is one cache line away; a longer one points into an overflow area.
struct ByteTable: Sendable {
    /// Byte 0: the length, or 255 for a long value, whose offset and length in the overflow
    /// area are in bytes 4..<8 and 8..<12 (little-endian).
    struct Slot {
        var low: UInt64
        var high: UInt64
    }

    private let slots: [Slot]
    private let overflow: [UInt8]
    private static let long: UInt64 = 0xFF

    init(_ count: Int, encode: (Int, inout ReportBuffer) -> Void) {
        var slots: [Slot] = []
        slots.reserveCapacity(count)
        var overflow: [UInt8] = []
        var buffer = ReportBuffer()
        for index in 0..<count {
            buffer.bytes.removeAll(keepingCapacity: true)
            encode(index, &buffer)
            var slot = Slot(low: 0, high: 0)
            if buffer.count <= 15 {
                withUnsafeMutableBytes(of: &slot) { raw in
                    raw[0] = UInt8(buffer.count)
                    for k in buffer.bytes.indices { raw[1 + k] = buffer.bytes[k] }
                }
            } else {
                slot.low = Self.long | UInt64(overflow.count) << 32
                slot.high = UInt64(buffer.count)
                overflow.append(contentsOf: buffer.bytes)
            }
            slots.append(slot)
        }
        self.slots = slots
        self.overflow = overflow
    }

    func slot(_ index: Int) -> Slot { slots[index] }

    func append(_ slot: Slot, to out: inout ReportBuffer) {
        if slot.low & 0xFF != Self.long {
            var slot = slot
            withUnsafeBytes(of: &slot) { out.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[1..<(1 + Int($0[0]))])) }
        } else {
            let start = Int(slot.low >> 32), count = Int(slot.high)
            overflow.withUnsafeBufferPointer { out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<(start + count)])) }
        }
    }
}
