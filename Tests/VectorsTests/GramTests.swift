import TestSupport
import Testing
@testable import Vectors

/// ``Gram``: the stories' cosines through BLAS against the scalar sparse dot product.
@Suite struct GramTests {
    /// `rows` random sparse rows over `columns` columns, each with 1 to `maxEntries` entries of
    /// random positive weight (as TF-IDF gives), L2-normalized.
    static func randomMatrix(rows: Int, columns: Int, maxEntries: Int, seed: UInt64) -> SparseMatrix {
        var random = SplitMix64(seed: seed)
        var rowStart = [0], columnIndices: [Int32] = [], values: [Float] = []
        for _ in 0..<rows {
            let count = Int.random(in: 1...maxEntries, using: &random)
            let chosen = Set((0..<count).map { _ in Int32.random(in: 0..<Int32(columns), using: &random) }).sorted()
            let weights = chosen.map { _ in Float.random(in: 0.01...1, using: &random) }
            let norm = weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
            columnIndices += chosen
            values += weights.map { $0 / norm }
            rowStart.append(columnIndices.count)
        }
        return SparseMatrix(rowCount: rows, columnCount: columns, rowStart: rowStart, columns: columnIndices, values: values)
    }

    @Test(arguments: [1 << 20, 64])
    func everyEntryIsTheSparseDotProduct(blockFloats: Int) {
        // 60 rows over 300 columns: they share columns, as a story's members share terms. With a
        // block of 64 floats the columns are multiplied 8 at a time, each tile added to the last.
        let matrix = Self.randomMatrix(rows: 60, columns: 300, maxEntries: 40, seed: 7)
        var scratch = GramScratch(columnCount: matrix.columnCount)
        let rows = [5, 0, 17, 59, 33, 2, 41, 8, 26, 50, 12]
        let gram = Gram(rows: rows, of: matrix, scratch: &scratch, blockFloats: blockFloats)
        #expect(gram.count == rows.count)
        var worst: Float = 0
        for i in rows.indices {
            for j in rows.indices {
                worst = max(worst, abs(gram[i, j] - matrix.dot(rows[i], rows[j])))
            }
            #expect(abs(gram[i, i] - 1) < 1e-5, "each row has unit length")
        }
        #expect(worst < 1e-6)
        // Every column used is multiplied once: flops = m (m + 1) · columns, in tiles of 8 or in one call.
        let m = rows.count, columnsUsed = Set(rows.flatMap { matrix.row($0).map(\.column) }).count
        #expect(gram.work.flops == m * (m + 1) * columnsUsed)
        #expect(gram.work.calls == (blockFloats == 64 ? (columnsUsed + 7) / 8 : 1))
        #expect(gram.work.seconds >= 0)
    }

    @Test func theScratchIsLeftCleanAndTheSameRowsGiveTheSameBits() {
        let matrix = Self.randomMatrix(rows: 40, columns: 120, maxEntries: 25, seed: 11)
        var scratch = GramScratch(columnCount: matrix.columnCount)
        let first = Gram(rows: [3, 9, 27], of: matrix, scratch: &scratch)
        _ = Gram(rows: Array(0..<40), of: matrix, scratch: &scratch)
        let again = Gram(rows: [3, 9, 27], of: matrix, scratch: &scratch)
        var fresh = GramScratch(columnCount: matrix.columnCount)
        let alone = Gram(rows: [3, 9, 27], of: matrix, scratch: &fresh)
        for i in 0..<3 {
            for j in 0..<3 {
                #expect(first[i, j].bitPattern == again[i, j].bitPattern && again[i, j].bitPattern == alone[i, j].bitPattern)
                #expect(first[i, j] == first[j, i])
            }
        }
    }

    @Test func disjointRowsAreOrthogonal() {
        let matrix = SparseMatrix(rowCount: 2, columnCount: 4, rowStart: [0, 2, 4], columns: [0, 1, 2, 3], values: [0.6, 0.8, 0.8, 0.6])
        var scratch = GramScratch(columnCount: 4)
        let gram = Gram(rows: [0, 1], of: matrix, scratch: &scratch)
        #expect(gram[0, 1] == 0 && gram[1, 0] == 0)
        #expect(abs(gram[0, 0] - 1) < 1e-6 && abs(gram[1, 1] - 1) < 1e-6)
    }
}
