import Testing
@testable import Vectors

@Suite struct BLASTests {
    /// A (3×2) · Bᵀ for B (2×2), by hand: rows of A dotted with rows of B.
    @Test func multiplyTransposedMatchesTheHandProduct() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        let b: [Float] = [1, 0, 2, -1]
        var c = [Float](repeating: .nan, count: 6)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    BLAS.multiplyTransposed(a.baseAddress!, rows: 3, b.baseAddress!, rows: 2, depth: 2, into: c.baseAddress!)
                }
            }
        }
        // [1,2]·[1,0] = 1, [1,2]·[2,-1] = 0; [3,4] -> 3, 2; [5,6] -> 5, 4.
        #expect(c == [1, 0, 3, 2, 5, 4])
    }

    @Test func theProbeReportsAFiniteSpeed() {
        let speed = BLAS.probe(size: 64, depth: 32, repeats: 2)
        #expect(speed.isFinite && speed > 0)
    }
}
