internal import COpenBLAS
import Dispatch

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
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }

    /// Measures single-precision GEMM speed: the best of `repeats` timed `n × n × k` products
    /// `A · Bᵀ` (after one warm-up), in GFLOP/s, on OpenBLAS's current thread count.
    ///
    /// This is the machine's sgemm peak as OpenBLAS reaches it, for the benchmarks: the
    /// similarity search itself is sparse and does not call GEMM.
    public static func probe(size n: Int, depth k: Int, repeats: Int = 5) -> Double {
        precondition(n > 0 && k > 0 && repeats > 0, "empty probe")
        var random = UInt64(0x9E37_79B9_7F4A_7C15)
        let a = (0..<(n * k)).map { _ -> Float in
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(random >> 40) / Float(1 << 24)
        }
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity
        a.withUnsafeBufferPointer { a in
            c.withUnsafeMutableBufferPointer { c in
                for round in 0...repeats {
                    let start = DispatchTime.now().uptimeNanoseconds
                    multiplyTransposed(a.baseAddress!, rows: n, a.baseAddress!, rows: n, depth: k, into: c.baseAddress!)
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    if round > 0 { best = min(best, seconds) }
                }
            }
        }
        return 2 * Double(n) * Double(n) * Double(k) / best / 1e9
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
