import Testing
import Vectors
@testable import StoryPipeline

/// The pairs an update scores inside its stored stories are the ones a search of those
/// articles finds: the same star inside a large group of exact copies, the same partner cap.
@Suite struct WindowPairsTests {
    /// Unit rows over a shared column and one column of their own, so that the cosines differ:
    /// row `i` leans on the shared column by `lean[i]`. Rows with the same `own` are copies.
    static func matrix(lean: [Float], own: [Int]) -> SparseMatrix {
        var rowStart = [0], columns: [Int32] = [], values: [Float] = []
        for (i, l) in lean.enumerated() {
            let o = (1 - l * l).squareRoot()
            columns += [0, Int32(1 + own[i])]
            values += [l, o]
            rowStart.append(columns.count)
        }
        return SparseMatrix(rowCount: lean.count, columnCount: 1 + (own.max() ?? 0) + 1, rowStart: rowStart, columns: columns, values: values)
    }

    static func inside(_ matrix: SparseMatrix, published: [Int64?], copyGroups: [Int], options: SimilarityOptions) -> PairSearch {
        let n = matrix.rowCount
        let seed = WindowSeed(scanned: Array(repeating: false, count: n), group: Array(repeating: 0, count: n))
        return Pipeline.pairsInsideStories(seed, matrix: matrix, published: published, rank: (0..<Int32(n)).map { $0 },
                                           copyGroups: copyGroups, engine: SimilarityEngine(options: options), threads: 2)
    }

    static func search(_ matrix: SparseMatrix, published: [Int64?], copyGroups: [Int], options: SimilarityOptions) -> PairSearch {
        let n = matrix.rowCount
        return SimilarityEngine(options: options).search(matrix, published: published, copyGroups: copyGroups,
                                                         rank: (0..<Int32(n)).map { $0 })
    }

    static func same(_ a: PairSearch, _ b: PairSearch) -> Bool {
        let x = a.pairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
        let y = b.pairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
        return x.count == y.count && zip(x, y).allSatisfy { $0.first == $1.first && $0.second == $1.second && abs($0.cosine - $1.cosine) < 1e-5 }
            && a.cappedRows == b.cappedRows && zip(a.weakestKept, b.weakestKept).allSatisfy { abs($0 - $1) < 1e-5 }
    }

    @Test func aStoredMemberWithMorePartnersThanTheCapKeepsItsBestAsTheSearchDoes() throws {
        let lean: [Float] = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65]
        let matrix = Self.matrix(lean: lean, own: Array(lean.indices))
        // Negated times, as an update gives the search: the newest first.
        let published: [Int64?] = lean.indices.map { -Int64($0 * 60) }
        var options = SimilarityOptions(threshold: 0.3, window: 3_600)
        options.partnerCap = 2
        let inside = Self.inside(matrix, published: published, copyGroups: Array(lean.indices), options: options)
        #expect(!inside.cappedRows.isEmpty)
        #expect(inside.pairs.count < lean.count * (lean.count - 1) / 2)
        #expect(Self.same(inside, Self.search(matrix, published: published, copyGroups: Array(lean.indices), options: options)))
        options.partnerCap = nil
        let uncapped = Self.inside(matrix, published: published, copyGroups: Array(lean.indices), options: options)
        #expect(uncapped.pairs.count == lean.count * (lean.count - 1) / 2 && uncapped.cappedRows.isEmpty)
    }

    @Test func aLargeGroupOfStoredCopiesGivesTheStarTheSearchGives() throws {
        // Rows 0-4 are copies of one text, 5 and 6 are near it.
        let lean: [Float] = [0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.7]
        let own = [0, 0, 0, 0, 0, 1, 2]
        let matrix = Self.matrix(lean: lean, own: own)
        let published: [Int64?] = lean.indices.map { -Int64($0 * 60) }
        let groups = [0, 0, 0, 0, 0, 5, 6]
        var options = SimilarityOptions(threshold: 0.3, window: 3_600)
        options.copyStarSize = 3
        let inside = Self.inside(matrix, published: published, copyGroups: groups, options: options)
        // Among the copies only the pairs with row 0; every pair with rows 5 and 6.
        #expect(!inside.pairs.contains { $0.first > 0 && $0.second < 5 })
        #expect(inside.pairs.count == 4 + 5 * 2 + 1)
        #expect(Self.same(inside, Self.search(matrix, published: published, copyGroups: groups, options: options)))
    }
}
