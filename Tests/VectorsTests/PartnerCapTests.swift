import Testing
import TestSupport
@testable import Vectors

/// The per-row cap on later partners (``SimilarityOptions/partnerCap``): nothing changes below
/// it, and a swarm of near copies keeps each row's best partners whatever the row order.
@Suite struct PartnerCapTests {
    /// `count` near copies of one text: twenty shared terms, and one term of each row's own,
    /// weighted as TF-IDF weighs a word no other row has; times a minute apart with ties.
    static func swarm(_ count: Int, seed: UInt64) -> (matrix: SparseMatrix, published: [Int64?]) {
        var random = SplitMix64(seed: seed)
        let shared = (0..<20).map { _ in Float.random(in: 0.2...1, using: &random) }
        var rowStart = [0], columns: [Int32] = [], values: [Float] = []
        for row in 0..<count {
            var entries = shared.map { $0 * Float.random(in: 0.9...1.1, using: &random) } + [Float.random(in: 1.5...2.5, using: &random)]
            let norm = entries.reduce(0) { $0 + $1 * $1 }.squareRoot()
            entries = entries.map { $0 / norm }
            columns += (0..<20).map { Int32($0) } + [Int32(20 + row)]
            values += entries
            rowStart.append(columns.count)
        }
        let matrix = SparseMatrix(rowCount: count, columnCount: 20 + count, rowStart: rowStart, columns: columns, values: values)
        return (matrix, (0..<count).map { Int64($0 / 3 * 60) })
    }

    /// `matrix`'s rows in the order `source`.
    static func permuted(_ matrix: SparseMatrix, _ source: [Int]) -> SparseMatrix {
        var rowStart = [0], columns: [Int32] = [], values: [Float] = []
        for row in source {
            columns += matrix.row(row).map(\.column)
            values += matrix.row(row).map(\.value)
            rowStart.append(columns.count)
        }
        return SparseMatrix(rowCount: source.count, columnCount: matrix.columnCount, rowStart: rowStart, columns: columns, values: values)
    }

    @Test func belowTheCapEveryPairIsKeptWhateverTheRanks() {
        let matrix = randomMatrix(rows: 400, columns: 150, perRow: 12, seed: 17)
        var random = SplitMix64(seed: 4)
        // Few distinct times, so that ranks decide many places in time order.
        let published: [Int64?] = (0..<400).map { _ in Int.random(in: 0..<6, using: &random) == 0 ? nil : Int64.random(in: 0..<5, using: &random) * 3_600 }
        let rank = (0..<Int32(400)).shuffled(using: &random)
        var uncapped = SimilarityOptions(threshold: 0.15, window: 7_200, threads: 2, tileRows: 64)
        uncapped.partnerCap = nil
        let reference = SimilarityEngine(options: uncapped).pairs(matrix, published: published)
        let search = SimilarityEngine(options: SimilarityOptions(threshold: 0.15, window: 7_200, threads: 2, tileRows: 64))
            .search(matrix, published: published, rank: rank)
        #expect(search.cappedRows.isEmpty)
        #expect(search.pairs.count == reference.count && reference.count > 500)
        #expect(zip(search.pairs, reference).allSatisfy { $0.first == $1.first && $0.second == $1.second && $0.cosine.bitPattern == $1.cosine.bitPattern })
    }

    @Test(arguments: [1, 3])
    func aSwarmKeepsEachRowsBestLaterPartners(threads: Int) {
        let (matrix, published) = Self.swarm(300, seed: 8)
        var options = SimilarityOptions(threshold: 0.3, threads: threads, tileRows: 40)
        options.partnerCap = 25
        let search = SimilarityEngine(options: options).search(matrix, published: published)
        options.partnerCap = nil
        let every = SimilarityEngine(options: options).pairs(matrix, published: published)
        #expect(every.count == 300 * 299 / 2, "every pair of the swarm reaches the threshold")
        #expect(search.pairs.count <= 300 * 25)
        // Rows in time order (times, then row index); all but the last 26 have over 25 later partners.
        #expect(search.cappedRows == (0..<Int32(274)).map { $0 })
        let kept = Set(search.pairs.map { [$0.first, $0.second] })
        for row in [0, 100, 273, 274] {
            let later = every.filter { Int($0.first) == row }.sorted { $0.cosine != $1.cosine ? $0.cosine > $1.cosine : $0.second < $1.second }
            #expect(later.prefix(25).allSatisfy { kept.contains([$0.first, $0.second]) }, "row \(row)'s 25 best are kept")
            #expect(search.pairs.filter { Int($0.first) == row }.count == 25)
        }
        #expect(search.pairs.filter { $0.first >= 274 }.count == 26 * 25 / 2, "the last rows keep every pair")
    }

    @Test func theCappedPairsDoNotDependOnTheRowOrder() {
        let (matrix, published) = Self.swarm(200, seed: 9)
        var options = SimilarityOptions(threshold: 0.3, threads: 2, tileRows: 32)
        options.partnerCap = 15
        let engine = SimilarityEngine(options: options)
        let rank = (0..<Int32(200)).map { $0 }
        let reference = engine.search(matrix, published: published, rank: rank)
        var random = SplitMix64(seed: 2)
        let source = Array(0..<200).shuffled(using: &random)
        let shuffled = engine.search(Self.permuted(matrix, source), published: source.map { published[$0] }, rank: source.map { rank[$0] })
        // Back to the original rows.
        let back = shuffled.pairs.map { pair in
            let a = Int32(source[Int(pair.first)]), b = Int32(source[Int(pair.second)])
            return ScoredPair(first: min(a, b), second: max(a, b), cosine: pair.cosine)
        }.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
        #expect(back == reference.pairs)
        #expect(shuffled.cappedRows.map { Int32(source[Int($0)]) }.sorted() == reference.cappedRows)
    }

    @Test func aSwarmOfGatheredCopiesKeepsPairsPerChunkWhateverTheRowOrder() {
        // 200 near copies, each syndicated 4 times at one time: exact copies are gathered.
        let (base, times) = Self.swarm(200, seed: 12)
        var random = SplitMix64(seed: 6)
        let source = (0..<800).map { $0 / 4 }.shuffled(using: &random)
        let matrix = Self.permuted(base, source)
        let published = source.map { times[$0] }
        var firstOf: [Int: Int] = [:]
        let groups = source.enumerated().map { index, text in firstOf[text] ?? { firstOf[text] = index; return index }() }
        let rank = (0..<Int32(800)).shuffled(using: &random)
        var options = SimilarityOptions(threshold: 0.3, threads: 2, tileRows: 32)
        options.partnerCap = 15
        let search = SimilarityEngine(options: options).search(matrix, published: published, copyGroups: groups, rank: rank)
        #expect(search.cappedRows.count > 150)
        // A pair of texts one of which is capped is one pair of articles, else sixteen; plus the
        // six pairs among each text's copies. All 319,600 pairs of articles without the cap.
        let uncapped = 200 - search.cappedRows.count
        #expect(search.pairs.count <= 200 * 15 + uncapped * 15 * 16 + 200 * 6 && search.pairs.count < 319_600 / 20)
        // Each capped text stands for itself by its copy of lowest rank.
        for row in search.cappedRows {
            let copies = source.indices.filter { source[$0] == source[Int(row)] }
            #expect(copies.min { rank[$0] < rank[$1] } == Int(row))
        }

        // The same texts in another row order, ranks carried along: the same pairs of texts.
        let order = Array(0..<800).shuffled(using: &random)
        var firstAgain: [Int: Int] = [:]
        let regrouped = order.enumerated().map { index, row in firstAgain[source[row]] ?? { firstAgain[source[row]] = index; return index }() }
        let again = SimilarityEngine(options: options).search(
            Self.permuted(matrix, order), published: order.map { published[$0] }, copyGroups: regrouped, rank: order.map { rank[$0] })
        func rows(_ pairs: [ScoredPair], _ back: (Int32) -> Int32) -> [[Int32]] {
            pairs.map { [min(back($0.first), back($0.second)), max(back($0.first), back($0.second))] }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        #expect(rows(again.pairs) { Int32(order[Int($0)]) } == rows(search.pairs) { $0 })
        #expect(again.cappedRows.map { Int32(order[Int($0)]) }.sorted() == search.cappedRows)
    }
}
