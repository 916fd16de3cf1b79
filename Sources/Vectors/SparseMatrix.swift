/// A compressed sparse row (CSR) matrix of `Float`, one document per row.
///
/// Column indices are sorted within each row (checked in debug builds), which makes the dot
/// product of two rows a linear merge.
public struct SparseMatrix: Sendable, Equatable {
    public let rowCount: Int
    public let columnCount: Int
    /// `rowStart[i]..<rowStart[i + 1]` is row `i`'s range in `columns` and `values`.
    public let rowStart: [Int]
    public let columns: [Int32]
    public let values: [Float]

    public init(rowCount: Int, columnCount: Int, rowStart: [Int], columns: [Int32], values: [Float]) {
        precondition(rowStart.count == rowCount + 1, "rowStart needs rowCount + 1 entries")
        precondition(columns.count == values.count && rowStart.last == columns.count, "CSR arrays disagree")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
        assert(isSortedAndInRange, "CSR column indices must be sorted, unique and in range")
    }

    private var isSortedAndInRange: Bool {
        for row in 0..<rowCount {
            var previous: Int32 = -1
            for k in rowStart[row]..<rowStart[row + 1] {
                let column = columns[k]
                if column <= previous || Int(column) >= columnCount { return false }
                previous = column
            }
        }
        return true
    }

    /// Stored entries of row `i`.
    public func nonZeroCount(row i: Int) -> Int { rowStart[i + 1] - rowStart[i] }

    /// The entries of row `i` as `(column, value)` pairs.
    public func row(_ i: Int) -> [(column: Int32, value: Float)] {
        (rowStart[i]..<rowStart[i + 1]).map { (columns[$0], values[$0]) }
    }

    /// Calls `body` with each column rows `i` and `j` both use, and the two values, in column order.
    @inline(__always)
    func forEachSharedColumn(_ i: Int, _ j: Int, _ body: (Int32, Float, Float) -> Void) {
        var a = rowStart[i], b = rowStart[j]
        let aEnd = rowStart[i + 1], bEnd = rowStart[j + 1]
        while a < aEnd && b < bEnd {
            let ca = columns[a], cb = columns[b]
            if ca == cb {
                body(ca, values[a], values[b])
                a += 1
                b += 1
            } else if ca < cb {
                a += 1
            } else {
                b += 1
            }
        }
    }

    /// The dot product of rows `i` and `j`, by merging their sorted columns.
    ///
    /// This is the scalar reference the BLAS engine is checked against, and how single pairs
    /// (cluster cohesion, explanations) are scored.
    /// - Complexity: O(nnz(i) + nnz(j)).
    public func dot(_ i: Int, _ j: Int) -> Float {
        var sum: Float = 0
        forEachSharedColumn(i, j) { _, x, y in sum += x * y }
        return sum
    }

    /// The columns both rows use, with the product of their values, largest product first.
    ///
    /// The products sum to ``dot(_:_:)``: they are each term's share of the cosine.
    public func sharedTerms(_ i: Int, _ j: Int) -> [(column: Int32, contribution: Float)] {
        var shared: [(column: Int32, contribution: Float)] = []
        forEachSharedColumn(i, j) { column, x, y in shared.append((column, x * y)) }
        shared.sort { $0.contribution != $1.contribution ? $0.contribution > $1.contribution : $0.column < $1.column }
        return shared
    }
}
