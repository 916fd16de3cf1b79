import Corpus
import TestSupport
import Testing
@testable import Cluster
@testable import Vectors

/// A story's cohesion from its Gram matrix (BLAS) against the pair-by-pair scalar reference.
@Suite struct StoryGramTests {
    /// Random sparse rows as a story's members: a shared core of terms and some of their own.
    static func storyMatrix(rows: Int, seed: UInt64) -> SparseMatrix {
        var random = SplitMix64(seed: seed)
        var rowStart = [0], columns: [Int32] = [], values: [Float] = []
        for _ in 0..<rows {
            var entries: [Int32: Float] = [:]
            for column in 0..<12 where Bool.random(using: &random) { entries[Int32(column)] = Float.random(in: 0.2...1, using: &random) }
            for _ in 0..<Int.random(in: 1...30, using: &random) { entries[Int32.random(in: 12..<500, using: &random)] = Float.random(in: 0.01...0.5, using: &random) }
            let sorted = entries.keys.sorted()
            let norm = sorted.reduce(Float(0)) { $0 + entries[$1]! * entries[$1]! }.squareRoot()
            columns += sorted
            values += sorted.map { entries[$0]! / norm }
            rowStart.append(columns.count)
        }
        return SparseMatrix(rowCount: rows, columnCount: 500, rowStart: rowStart, columns: columns, values: values)
    }

    /// The scalar definition: the mean of every member pair's cosine (1 inside a text group),
    /// and the weakest link of the maximum spanning forest over the linked pairs.
    static func reference(_ rows: [Int], matrix: SparseMatrix, textOriginal: [Int], linked: Set<[Int]>) -> (min: Float, mean: Double) {
        var sum = 0.0
        var edges: [(Float, Int32, Int32)] = []
        for x in rows.indices {
            for y in (x + 1)..<rows.count {
                let (a, b) = (rows[x], rows[y])
                let same = a == b || textOriginal[a] == textOriginal[b]
                let value = same ? 1 : matrix.dot(a, b)
                sum += Double(value)
                if same || linked.contains([min(a, b), max(a, b)]) { edges.append((value, Int32(x), Int32(y))) }
            }
        }
        return (StoryInput.weakestLink(&edges, nodeCount: rows.count), sum / Double(rows.count * (rows.count - 1) / 2))
    }

    @Test(arguments: [2, 3, 17, 120])
    func cohesionAgreesWithThePairByPairCosines(size: Int) throws {
        let n = 150
        let matrix = Self.storyMatrix(rows: n, seed: UInt64(size))
        var random = SplitMix64(seed: 99 &+ UInt64(size))
        // Some articles are exact text copies of an earlier one; a third of the pairs are linked.
        var textOriginal = Array(0..<n)
        for article in stride(from: 5, to: n, by: 9) { textOriginal[article] = article - 3 }
        var pairs: [ScoredPair] = []
        var linked = Set<[Int]>()
        for a in 0..<n {
            for b in (a + 1)..<n where Int.random(in: 0..<3, using: &random) == 0 {
                pairs.append(ScoredPair(first: Int32(a), second: Int32(b), cosine: matrix.dot(a, b)))
                linked.insert([a, b])
            }
        }
        let members = Array((0..<n).shuffled(using: &random).prefix(size))
        let articles = (0..<n).map { Article(id: "a\($0)", title: "t", body: "b", published: nil, source: SourceLocation(file: "t", record: $0 + 1)) }
        let input = StoryInput(
            articles: articles, matrix: matrix, terms: (0..<500).map { "t\($0)" }, cosine: PairIndex(pairs, nodeCount: n),
            textOriginal: textOriginal, vectorRow: Array(0..<n), urlCopies: [[Int]](repeating: [], count: n), duplicateThreshold: 0.9)
        var scratch = StoryScratch(articleCount: n, columnCount: matrix.columnCount)
        let cohesion = input.cohesion(members, scratch: &scratch)
        let expected = Self.reference(members, matrix: matrix, textOriginal: textOriginal, linked: linked)
        #expect(abs(try #require(cohesion.min) - expected.min) < 1e-6)
        #expect(abs(Double(try #require(cohesion.mean)) - expected.mean) < 1e-6)
        #expect(expected.mean < 0.99, "the story is not all copies")
        #expect(scratch.work.calls >= 1 && scratch.work.flops >= size * (size + 1))
        #expect(scratch.gramPlace.allSatisfy { $0 == -1 }, "the scratch is left clean")
    }
}
