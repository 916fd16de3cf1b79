internal import COpenBLAS
import Dispatch

extension BLAS {
    /// `C = A · Aᵀ` (or `C += A · Aᵀ` when `accumulate`) for row-major `A` (m×k), upper
    /// triangle of row-major `C` (m×m) only.
    ///
    /// Calls `cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, k, 1, A, k, β, C, m)`:
    /// half the flops of the GEMM `A · Aᵀ`, as the product is symmetric.
    static func gramUpper(_ a: UnsafePointer<Float>, rows m: Int, depth k: Int, accumulate: Bool, into c: UnsafeMutablePointer<Float>) {
        precondition(m > 0 && k > 0, "empty SYRK")
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, blasint(m), blasint(k), 1, a, blasint(k), accumulate ? 1 : 0, c, blasint(m))
    }

    /// Runs `body` with OpenBLAS on one thread, then restores its thread count.
    ///
    /// The callers spread their many small products over their own worker threads (one story
    /// each); OpenBLAS's own threads would only contend with them. One thread per call also
    /// keeps every product's summation order fixed, so that results do not depend on how many
    /// threads run.
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        let previous = Int(openblas_get_num_threads())
        setThreads(1)
        defer { setThreads(previous) }
        return try body()
    }
}

/// The dense work done through BLAS: for the run manifest and the benchmarks.
public struct DenseWork: Sendable, Hashable {
    /// BLAS calls made.
    public var calls = 0
    /// Floating-point operations they did (a multiply and an add count two).
    public var flops = 0
    /// Seconds spent inside them, summed over threads.
    public var seconds = 0.0

    public init() {}

    public static func + (x: DenseWork, y: DenseWork) -> DenseWork {
        var sum = x
        sum.calls += y.calls
        sum.flops += y.flops
        sum.seconds += y.seconds
        return sum
    }
}

/// Every pairwise dot product of some rows of a sparse matrix (their Gram matrix), from the rows
/// gathered into a dense block over the columns they use and one `cblas_ssyrk` per tile of
/// columns.
///
/// The rows of one news story share most of their terms: a story of m articles uses a few
/// hundred to a few thousand columns, against 100,000 in the vocabulary, so the block is small
/// and dense enough for BLAS, where the m² sparse merges it replaces are scalar loops.
public struct Gram: Sendable {
    /// Rows gathered.
    public let count: Int
    /// Row-major `count × count`; only the upper triangle (`i ≤ j`) is set.
    private let upper: [Float]
    /// What the BLAS calls did.
    public let work: DenseWork

    /// The dot product of gathered rows `i` and `j` (either order).
    public subscript(i: Int, j: Int) -> Float {
        i <= j ? upper[i * count + j] : upper[j * count + i]
    }

    /// Gathers `rows` of `matrix` and multiplies them.
    ///
    /// Columns take block slots in order of first use (row by row, then by column), so the
    /// products depend only on the rows and their order. The block holds at most
    /// `blockFloats` values: a set of rows whose columns do not fit is multiplied in tiles of
    /// columns, each tile's product added to the last, so memory stays
    /// `count² + blockFloats` floats whatever the rows' vocabulary.
    /// - Complexity: O(count · nnz · tiles) to gather and O(count² · columns used) in BLAS.
    public init(rows: [Int], of matrix: SparseMatrix, scratch: inout GramScratch, blockFloats: Int = GramScratch.defaultBlockFloats) {
        precondition(!rows.isEmpty, "a Gram matrix of no rows")
        let m = rows.count
        // Slots of the columns used, in order of first use.
        var used: [Int32] = []
        for row in rows {
            for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                let column = Int(matrix.columns[k])
                if scratch.slot[column] < 0 {
                    scratch.slot[column] = Int32(used.count)
                    used.append(Int32(column))
                }
            }
        }
        count = m
        var upper = [Float](repeating: 0, count: m * m)
        let columns = used.count
        var work = DenseWork()
        if columns > 0 {
            let tile = min(columns, max(8, blockFloats / m))
            // Taken out of the scratch while in use, so that the slots are read beside it, not copied.
            var buffer = scratch.block
            scratch.block = []
            if buffer.count < m * tile { buffer = [Float](repeating: 0, count: m * tile) }
            var from = 0
            while from < columns {
                let width = min(tile, columns - from)
                buffer.withUnsafeMutableBufferPointer { block in
                    block.baseAddress!.update(repeating: 0, count: m * width)
                    for (r, row) in rows.enumerated() {
                        for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                            let slot = Int(scratch.slot[Int(matrix.columns[k])]) - from
                            if slot >= 0 && slot < width { block[r * width + slot] = matrix.values[k] }
                        }
                    }
                    let start = DispatchTime.now().uptimeNanoseconds
                    upper.withUnsafeMutableBufferPointer { c in
                        BLAS.gramUpper(block.baseAddress!, rows: m, depth: width, accumulate: from > 0, into: c.baseAddress!)
                    }
                    work.seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                }
                work.calls += 1
                work.flops += m * (m + 1) * width
                from += width
            }
            scratch.block = buffer
        }
        for column in used { scratch.slot[Int(column)] = -1 }
        self.upper = upper
        self.work = work
    }
}

/// One thread's buffers for ``Gram``, reused from one set of rows to the next.
public struct GramScratch: Sendable {
    /// Per matrix column, its slot in the block being gathered; -1 between uses.
    fileprivate var slot: [Int32]
    fileprivate var block: [Float] = []

    /// Floats of the gathered block: 4 MB, so that a story of 1,000 members multiplies tiles of
    /// 1,048 columns at a time.
    public static let defaultBlockFloats = 1 << 20

    public init(columnCount: Int) {
        slot = [Int32](repeating: -1, count: columnCount)
    }
}
