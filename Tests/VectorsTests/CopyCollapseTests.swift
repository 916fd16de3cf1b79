import Testing
import TestSupport
@testable import Vectors

/// The engine with exact copies scored once (``CopyClasses``) against the same engine row by row.
@Suite struct CopyCollapseTests {
    /// 120 distinct rows, each repeated 1 to 6 times at its own times (some undated), in shuffled
    /// row order; every copy set is one copy group except row 0's, split in two groups.
    static let copies: (matrix: SparseMatrix, published: [Int64?], groups: [Int]) = {
        let base = randomMatrix(rows: 120, columns: 300, perRow: 10, seed: 3)
        var random = SplitMix64(seed: 5)
        var source: [Int] = []
        for row in 0..<base.rowCount { source += Array(repeating: row, count: Int.random(in: 1...6, using: &random)) }
        source += Array(repeating: 0, count: 4)
        source.shuffle(using: &random)
        let matrix = Self.rows(source, of: base)
        let published: [Int64?] = source.map { _ in
            Int.random(in: 0..<8, using: &random) == 0 ? nil : Int64.random(in: 0..<(4 * 86_400), using: &random)
        }
        // Keyed by row, and -1 for the second group of row 0's copies.
        var firstOf: [Int: Int] = [:], zeros = 0
        let groups = source.enumerated().map { index, row -> Int in
            var key = row
            if row == 0 {
                zeros += 1
                if zeros % 2 == 0 { key = -1 }
            }
            if let first = firstOf[key] { return first }
            firstOf[key] = index
            return index
        }
        return (matrix, published, groups)
    }()

    /// The rows of `base` listed in `source`, repeats included.
    static func rows(_ source: [Int], of base: SparseMatrix) -> SparseMatrix {
        var rowStart = [0], columns: [Int32] = [], values: [Float] = []
        for row in source {
            columns += base.row(row).map(\.column)
            values += base.row(row).map(\.value)
            rowStart.append(columns.count)
        }
        return SparseMatrix(rowCount: source.count, columnCount: base.columnCount, rowStart: rowStart, columns: columns, values: values)
    }

    private func expectIdentical(_ x: [ScoredPair], _ y: [ScoredPair], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(x.count == y.count, sourceLocation: sourceLocation)
        #expect(zip(x, y).allSatisfy { $0.first == $1.first && $0.second == $1.second && $0.cosine.bitPattern == $1.cosine.bitPattern },
                "same pairs, same cosine bits", sourceLocation: sourceLocation)
    }

    @Test(arguments: [(nil as Int64?, 1), (3_600, 2), (86_400, 1), (0, 2)])
    func collapsedPairsAreTheRowByRowPairsBitForBit(window: Int64?, threads: Int) throws {
        let (matrix, published, groups) = Self.copies
        var options = SimilarityOptions(threshold: 0.2, window: window, threads: threads, tileRows: 64)
        options.copyStarSize = .max
        let engine = SimilarityEngine(options: options)
        let classes = try #require(CopyClasses(matrix: matrix, published: published, groups: groups, window: window))
        #expect(classes.matrix.rowCount < matrix.rowCount, "copies were gathered")
        #expect(Self.innerPairs(groups) > matrix.rowCount, "enough pairs among copies for the engine to gather them")
        let reference = engine.pairs(matrix, published: published)
        #expect(reference.count > 200)
        expectIdentical(engine.pairs(matrix, published: published, copyGroups: groups), reference)
    }

    @Test func nothingToGatherWithoutCopies() {
        let matrix = randomMatrix(rows: 50, columns: 200, perRow: 8, seed: 9)
        #expect(CopyClasses(matrix: matrix, published: Array(repeating: nil, count: 50), groups: Array(0..<50), window: nil) == nil)
    }

    static func innerPairs(_ groups: [Int]) -> Int {
        var size: [Int: Int] = [:]
        for group in groups { size[group, default: 0] += 1 }
        return size.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
    }

    /// Five copies of one row among 400 others: too few pairs to gather, starred after the scan.
    static let fewCopies: (matrix: SparseMatrix, published: [Int64?], groups: [Int]) = {
        let base = randomMatrix(rows: 400, columns: 300, perRow: 10, seed: 4)
        let source = Array(0..<400) + Array(repeating: 7, count: 4)
        let matrix = Self.rows(source, of: base)
        return (matrix, source.map { Int64($0 * 300) }, source.enumerated().map { $1 == 7 ? 7 : $0 })
    }()

    @Test(arguments: [true, false])
    func aLargeGroupListsOnlyItsStarAndKeepsEveryOtherPair(gathered: Bool) {
        let (matrix, published, groups) = gathered ? Self.copies : Self.fewCopies
        #expect((Self.innerPairs(groups) > matrix.rowCount) == gathered)
        let engine = SimilarityEngine(options: SimilarityOptions(threshold: 0.2, window: 86_400, threads: 2, tileRows: 64))
        var options = engine.options
        options.copyStarSize = 3
        let starred = SimilarityEngine(options: options).pairs(matrix, published: published, copyGroups: groups)
        var size: [Int: Int] = [:]
        for group in groups { size[group, default: 0] += 1 }
        // Row by row, minus the pairs inside a group of more than 3 that miss the group's own row.
        let expected = engine.pairs(matrix, published: published).filter { pair in
            let group = groups[Int(pair.first)]
            return group != groups[Int(pair.second)] || size[group]! <= 3 || Int(pair.first) == group || Int(pair.second) == group
        }
        #expect(size.values.contains { $0 > 3 })
        expectIdentical(starred, expected)
    }

    @Test func tenThousandCopiesGiveOneStarOfPairs() {
        let n = 10_000, terms = 10
        let matrix = SparseMatrix(
            rowCount: n, columnCount: 50, rowStart: (0...n).map { $0 * terms },
            columns: (0..<(n * terms)).map { Int32($0 % terms * 3) },
            values: Array(repeating: (1 / Float(terms)).squareRoot(), count: n * terms))
        let published: [Int64?] = (0..<n).map { Int64($0 * 60) }
        let engine = SimilarityEngine(options: SimilarityOptions(threshold: 0.2, window: 84 * 3_600, threads: 2))
        let pairs = engine.pairs(matrix, published: published, copyGroups: Array(repeating: 0, count: n))
        // Row 0 meets every copy within 84 hours of it: minutes 1 to 5,040.
        #expect(pairs.count == 84 * 60)
        #expect(pairs.allSatisfy { $0.first == 0 && $0.cosine > 0.999 })
    }
}
