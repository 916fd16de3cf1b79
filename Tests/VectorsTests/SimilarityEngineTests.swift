import Testing
import TestSupport
@testable import Vectors

/// Random L2-normalized sparse rows with a skewed (Zipf-like) column distribution, so that both
/// the dense GEMM part and the sparse inverted-index part of the engine get work.
func randomMatrix(rows: Int, columns: Int, perRow: Int, seed: UInt64) -> SparseMatrix {
    var random = SplitMix64(seed: seed)
    var rowStart = [0], indices: [Int32] = [], values: [Float] = []
    for _ in 0..<rows {
        var chosen = Set<Int32>()
        let count = Int.random(in: 0...perRow, using: &random)
        while chosen.count < count {
            let u = Double.random(in: 0..<1, using: &random)
            chosen.insert(Int32(Double(columns) * u * u * u))
        }
        let sorted = chosen.sorted()
        var row = sorted.map { _ in Float.random(in: 0.1...1, using: &random) }
        let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { row = row.map { $0 / norm } }
        indices += sorted
        values += row
        rowStart.append(indices.count)
    }
    return SparseMatrix(rowCount: rows, columnCount: columns, rowStart: rowStart, columns: indices, values: values)
}

@Suite struct SimilarityEngineTests {
    static let matrix = randomMatrix(rows: 700, columns: 400, perRow: 12, seed: 7)

    /// Times over a few days, some missing, to exercise the window and the undated tiles.
    static let times: [Int64?] = {
        var random = SplitMix64(seed: 11)
        return (0..<700).map { _ in Int.random(in: 0..<10, using: &random) == 0 ? nil : Int64.random(in: 0..<(5 * 86_400), using: &random) }
    }()

    private func expectSame(_ tiled: [ScoredPair], _ reference: [ScoredPair], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(tiled.count == reference.count, sourceLocation: sourceLocation)
        for (a, b) in zip(tiled, reference) {
            #expect(a.first == b.first && a.second == b.second, sourceLocation: sourceLocation)
            #expect(abs(a.cosine - b.cosine) <= 1e-5, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [
        (tileRows: 64, dense: nil as Int?, threads: 1),
        (tileRows: 100, dense: 0, threads: 2),
        (tileRows: 128, dense: 400, threads: 2),
        (tileRows: 1000, dense: 37, threads: 1),
        (tileRows: 33, dense: 8, threads: 3),
    ])
    func tiledCosinesEqualTheScalarReference(tileRows: Int, dense: Int?, threads: Int) {
        let options = SimilarityOptions(threshold: 0.2, window: nil, threads: threads, tileRows: tileRows, denseColumns: dense)
        let engine = SimilarityEngine(options: options)
        let reference = engine.bruteForcePairs(Self.matrix, published: Self.times)
        #expect(reference.count > 50, "the random data must produce pairs to compare")
        expectSame(engine.pairs(Self.matrix, published: Self.times), reference)
    }

    @Test(arguments: [Int64(3_600), Int64(86_400), Int64(172_800)])
    func theWindowKeepsOnlyPairsCloseInTimeOrUndated(window: Int64) {
        let options = SimilarityOptions(threshold: 0.15, window: window, threads: 2, tileRows: 50)
        let engine = SimilarityEngine(options: options)
        let tiled = engine.pairs(Self.matrix, published: Self.times)
        expectSame(tiled, engine.bruteForcePairs(Self.matrix, published: Self.times))
        for pair in tiled {
            if let a = Self.times[Int(pair.first)], let b = Self.times[Int(pair.second)] {
                #expect(abs(a - b) <= window)
            }
        }
        let unwindowed = SimilarityEngine(options: SimilarityOptions(threshold: 0.15, tileRows: 50)).pairs(Self.matrix, published: Self.times)
        #expect(unwindowed.count > tiled.count)
    }

    @Test func resultsAreIdenticalForAnyThreadCount() {
        let one = SimilarityEngine(options: SimilarityOptions(threshold: 0.1, threads: 1, tileRows: 90)).pairs(Self.matrix, published: Self.times)
        let four = SimilarityEngine(options: SimilarityOptions(threshold: 0.1, threads: 4, tileRows: 90)).pairs(Self.matrix, published: Self.times)
        #expect(one == four)
    }

    @Test func identicalRowsHaveCosineOne() {
        let rows = SparseMatrix(rowCount: 2, columnCount: 3, rowStart: [0, 2, 4], columns: [0, 2, 0, 2], values: [0.6, 0.8, 0.6, 0.8])
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.5)).pairs(rows, published: [nil, nil])
        #expect(pairs.count == 1)
        #expect(abs(pairs[0].cosine - 1) < 1e-6)
    }

    @Test func sharedTermsSumToTheCosine() {
        let shared = Self.matrix.sharedTerms(3, 5)
        let total = shared.reduce(Float(0)) { $0 + $1.contribution }
        #expect(abs(total - Self.matrix.dot(3, 5)) < 1e-6)
        #expect(zip(shared, shared.dropFirst()).allSatisfy { $0.contribution >= $1.contribution })
    }

    /// With times negated and some rows flagged, the search returns exactly the pairs whose
    /// newer row (ties by rank) is flagged, with the full search's cosines: what an update needs
    /// (a new article's pairs with the older ones) without the pairs among the rest.
    @Test(arguments: [Int64(86_400), Int64(172_800)])
    func flaggedRowsGetTheirPairsWithOlderRows(window: Int64) {
        let options = SimilarityOptions(threshold: 0.2, window: window, threads: 2, tileRows: 64, denseColumns: 16)
        let engine = SimilarityEngine(options: options)
        // Every dated row: an undated row's pairs are only found from the dated side.
        let times = Self.times.map { $0 ?? 0 }
        let full = engine.pairs(Self.matrix, published: times)
        let flagged = times.map { $0 >= 3 * 86_400 }
        let found = engine.search(Self.matrix, published: times.map { -$0 }, scanned: flagged).pairs
        func newer(_ pair: ScoredPair) -> Int {
            let a = Int(pair.first), b = Int(pair.second)
            return times[a] != times[b] ? (times[a] > times[b] ? a : b) : max(a, b)
        }
        let expected = full.filter { flagged[newer($0)] }
        #expect(expected.count > 20 && expected.count < full.count, "both kinds of pairs occur")
        expectSame(found, expected)
    }

    /// The scan counts its arithmetic (for the BLAS share the benchmarks report): with every
    /// column rare, each row scatters the postings after it in its columns, so the postings
    /// are the shared-column pairs inside the window, each scored partner is bounded once, and
    /// every partner that passes its bound gets its dense part added, here zero lanes wide.
    @Test func theScanCountsWhatItComputes() {
        // Rows 0-4 share column 0; rows 0-1 also share column 1; row 5 stands alone.
        let rows: [[Int32]] = [[0, 1], [0, 1], [0, 2], [0, 3], [0, 4], [5]]
        var rowStart = [0], columns: [Int32] = [], values: [Float] = []
        for row in rows {
            columns += row
            values += row.map { _ in 1 / Float(row.count).squareRoot() }
            rowStart.append(columns.count)
        }
        let matrix = SparseMatrix(rowCount: rows.count, columnCount: 6, rowStart: rowStart, columns: columns, values: values)
        let engine = SimilarityEngine(options: SimilarityOptions(threshold: 0.01, denseColumns: 0))
        let found = engine.search(matrix, published: Array(repeating: nil, count: rows.count))
        // Column 0: 5 rows, 10 pairs; column 1: 1 pair. Touched partners: the 10 pairs of column 0.
        #expect(found.work.postings == 11)
        #expect(found.work.bounds == 10)
        #expect(found.work.denseDots == 10 && found.work.denseWidth == 0)
        #expect(found.work.flops == 2 * 11 + 3 * 10)
        #expect(found.pairs.count == 10)
    }
}
