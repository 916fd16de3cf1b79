internal import COpenBLAS

/// The only door to OpenBLAS: everything else in StoryClust sees plain Swift types.
public enum BLAS {
    /// `C = A · Bᵀ` for row-major `A` (m×k) and `B` (n×k) into row-major `C` (m×n).
    ///
    /// Calls `cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1, A, k, B, k, 0, C, n)`.
    /// Both operands keep a document per row, so the transpose is free: no copy, no repacking.
    static func multiplyTransposed(
        _ a: UnsafePointer<Float>, rows m: Int,
        _ b: UnsafePointer<Float>, rows n: Int,
        depth k: Int,
        into c: UnsafeMutablePointer<Float>
    ) {
        precondition(m > 0 && n > 0 && k > 0, "empty GEMM")
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans,
            blasint(m), blasint(n), blasint(k),
            1, a, blasint(k), b, blasint(k),
            0, c, blasint(n)
        )
    }

    /// Sets OpenBLAS's own thread count (`openblas_set_num_threads`).
    ///
    /// StoryClust runs one GEMM per tile on each of its own threads, so OpenBLAS is pinned to one
    /// thread to keep the cores from being oversubscribed.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }

    /// What OpenBLAS says about itself, for the run manifest.
    public static var info: BLASInfo {
        BLASInfo(
            library: "OpenBLAS",
            config: String(cString: openblas_get_config()),
            coreType: String(cString: openblas_get_corename()),
            threads: Int(openblas_get_num_threads())
        )
    }
}

/// The BLAS library in use: `openblas_get_config()`, `openblas_get_corename()` and its thread count.
public struct BLASInfo: Sendable, Hashable {
    public var library: String
    public var config: String
    public var coreType: String
    public var threads: Int
}
