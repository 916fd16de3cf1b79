import Corpus
import Foundation
import Testing
import TestSupport
@testable import Vectors

@Suite struct DenseSignalTests {
    /// Real-word headlines from a seeded generator, an hour apart in threes, so that the window
    /// and the undated articles both matter.
    static func headlines(_ count: Int, seed: UInt64) -> [Article] {
        let words = ["storm", "flood", "market", "bank", "rates", "election", "vote", "court", "judge", "fire",
                     "school", "teacher", "football", "coach", "oil", "price", "airline", "strike", "hospital", "doctor",
                     "rocket", "launch", "film", "festival", "police", "arrest", "drought", "harvest", "senate", "law"]
        var random = SplitMix64(seed: seed)
        return (0..<count).map { k in
            let title = (0..<5).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
            return Article(id: "h\(k)", title: title, published: k % 7 == 0 ? nil : Int64(k / 3) * 3_600,
                           source: SourceLocation(file: "t", record: k + 1))
        }
    }

    @Test func theBundledTableLoadsAndPlacesRelatedWordsNearer() throws {
        let table = try WordPieceTable.bundled()
        #expect(table.count > 20_000 && table.dimensions == 64)
        func vector(_ word: String) -> [Float] {
            var v = [Float](repeating: 0, count: table.dimensions)
            #expect(v.withUnsafeMutableBufferPointer { table.accumulate(word, weight: 1, into: $0) })
            return v
        }
        func cosine(_ a: String, _ b: String) -> Float { zip(vector(a), vector(b)).map(*).reduce(0, +) }
        #expect(cosine("earthquake", "quake") > cosine("earthquake", "football") + 0.3)
        #expect(cosine("microsoft", "google") > cosine("microsoft", "soup") + 0.3)
        // A word outside the whole-word vocabulary is cut into pieces and still gets a vector.
        #expect(table.pieces(of: "supercomputer")!.count > 1)
    }

    /// A one-piece table in the shipped format: piece "a", 2 dimensions, scale 1, values (3, 4).
    static let tinyTable = Data("SCWP1\n".utf8) + Data([1, 0, 0, 0, 2, 0, 0, 0, 1, 0x61]) + Data([0, 0, 0x80, 0x3F]) + Data([3, 4])

    @Test func aCorruptOrMissingTableIsAClearError() throws {
        let tiny = try WordPieceTable(data: Self.tinyTable, file: "tiny.bin")
        #expect(tiny.count == 1 && tiny.dimensions == 2)
        var v: [Float] = [0, 0]
        #expect(v.withUnsafeMutableBufferPointer { tiny.accumulate("a", weight: 1, into: $0) })
        #expect(abs(v[0] - 0.6) < 1e-6 && abs(v[1] - 0.8) < 1e-6)
        #expect(!v.withUnsafeMutableBufferPointer { tiny.accumulate("b", weight: 1, into: $0) })

        func reason(_ data: Data) -> String? {
            do {
                _ = try WordPieceTable(data: data, file: "bad.bin")
                return nil
            } catch {
                #expect(error.description == "bad.bin: \(error.reason)")
                return error.reason
            }
        }
        #expect(reason(Data("not a table".utf8))?.contains("SCWP1") == true)
        #expect(reason(Self.tinyTable.dropLast())?.contains("expected 22 bytes, found 21") == true)
        #expect(reason(Self.tinyTable.prefix(15))?.contains("truncated") == true)
        var zeroScale = Self.tinyTable
        zeroScale[18] = 0
        zeroScale[19] = 0
        #expect(reason(zeroScale)?.contains("scale") == true)
        do {
            _ = try WordPieceTable.load("/nonexistent/wordpieces.bin")
            Issue.record("a missing table loaded")
        } catch {
            #expect(error.description == "/nonexistent/wordpieces.bin: cannot be read")
        }
    }

    @Test func effectiveTermCountsCountEquallyWeightedTerms() {
        let half = Float(0.5)
        let matrix = SparseMatrix(rowCount: 3, columnCount: 4, rowStart: [0, 4, 5, 5], columns: [0, 1, 2, 3, 2], values: [half, half, half, half, 1])
        #expect(matrix.effectiveTermCounts() == [4, 1, 0])
    }

    /// The sgemm tile search finds exactly the pairs a scalar scan over every pair in the window
    /// finds, with the same cosines, on one thread or two.
    @Test func candidatesAreExactAndTheSameOnAnyThreadCount() throws {
        let articles = Self.headlines(700, seed: 7)
        let model = Vectorizer().fit(articles)
        let signal = DenseSignal(model: model, table: try WordPieceTable.bundled(), chosen: Array(articles.indices))
        let published = articles.map(\.published)
        let window: Int64 = 6 * 3_600
        let one = signal.candidates(published: published, window: window, floor: 0.6, threads: 1)
        let two = signal.candidates(published: published, window: window, floor: 0.6, threads: 2)
        #expect(one.pairs == two.pairs && one.flops == two.flops && one.flops > 0)
        var expected: [ScoredPair] = []
        for a in articles.indices {
            for b in (a + 1)..<articles.count {
                if let p = published[a], let q = published[b], abs(p - q) > window { continue }
                if let c = signal.cosine(a, b), c >= 0.6 { expected.append(ScoredPair(first: Int32(a), second: Int32(b), cosine: c)) }
            }
        }
        #expect(!expected.isEmpty)
        #expect(one.pairs == expected)
    }
}
