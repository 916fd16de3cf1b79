public import Foundation

/// Static vectors for the word pieces of all-MiniLM-L6-v2's vocabulary, distilled once by
/// `scripts/distill-word-vectors` (each piece run alone through the model, PCA, int8 per row) and
/// shipped as `Resources/wordpieces.bin`: the dense signal's knowledge that `unveils` is near
/// `touts`, with no model and no Python at run time.
///
/// A word is looked up whole, or cut into the vocabulary's pieces greedily, longest first, as
/// BERT's WordPiece does (`supercomputer` → `super`, `##com`, `##puter`), and gets the mean of
/// its pieces' unit vectors; a word with a piece outside the vocabulary has no vector.
public struct WordPieceTable: Sendable {
    /// Why a table could not be used: the file and what was wrong with it.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var file: String
        public var reason: String
        public var description: String { "\(file): \(reason)" }
    }

    public let dimensions: Int
    private let index: [String: Int32]
    /// One unit vector per piece, `dimensions` floats each.
    private let vectors: [Float]

    public var count: Int { index.count }

    /// Parses the format `scripts/distill-word-vectors` writes; `file` names the source in errors.
    public init(data: Data, file: String) throws(LoadError) {
        let bytes = [UInt8](data)
        func fail(_ reason: String) -> LoadError { LoadError(file: file, reason: reason) }
        let magic = Array("SCWP1\n".utf8)
        guard bytes.count >= magic.count + 8, Array(bytes[0..<magic.count]) == magic else {
            throw fail("not a word-piece table (expected the SCWP1 header)")
        }
        var at = magic.count
        func u32() -> Int {
            defer { at += 4 }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        let count = u32(), dimensions = u32()
        guard count > 0, dimensions > 0, dimensions <= 1_024 else { throw fail("bad size \(count) x \(dimensions)") }
        var index: [String: Int32] = [:]
        index.reserveCapacity(count)
        for piece in 0..<count {
            guard at < bytes.count else { throw fail("truncated in the piece list at piece \(piece)") }
            let length = Int(bytes[at])
            at += 1
            guard at + length <= bytes.count, let text = String(validating: bytes[at..<at + length], as: UTF8.self) else {
                throw fail("piece \(piece) is truncated or not UTF-8")
            }
            at += length
            index[text] = Int32(piece)
        }
        guard index.count == count else { throw fail("repeated pieces") }
        guard bytes.count == at + 4 * count + count * dimensions else {
            throw fail("expected \(at + 4 * count + count * dimensions) bytes, found \(bytes.count)")
        }
        var scales = [Float](repeating: 0, count: count)
        for piece in 0..<count {
            scales[piece] = Float(bitPattern: UInt32(truncatingIfNeeded: u32()))
            guard scales[piece].isFinite && scales[piece] > 0 else { throw fail("piece \(piece) has scale \(scales[piece])") }
        }
        var vectors = [Float](repeating: 0, count: count * dimensions)
        for piece in 0..<count {
            let row = piece * dimensions
            var norm: Float = 0
            for d in 0..<dimensions {
                let value = Float(Int8(bitPattern: bytes[at + row + d])) * scales[piece]
                vectors[row + d] = value
                norm += value * value
            }
            if norm > 0 {
                let inverse = 1 / norm.squareRoot()
                for d in 0..<dimensions { vectors[row + d] *= inverse }
            }
        }
        self.dimensions = dimensions
        self.index = index
        self.vectors = vectors
    }

    /// The table shipped with StoryClust (`Sources/Vectors/Resources/wordpieces.bin`).
    public static func bundled() throws(LoadError) -> WordPieceTable {
        guard let url = Bundle.module.url(forResource: "wordpieces", withExtension: "bin") else {
            throw LoadError(file: "wordpieces.bin", reason: "missing from the Vectors resource bundle")
        }
        return try load(url.path)
    }

    /// Reads and parses the table at `path`.
    public static func load(_ path: String) throws(LoadError) -> WordPieceTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(file: path, reason: "cannot be read")
        }
        return try WordPieceTable(data: data, file: path)
    }

    /// The pieces of `word`, longest first from the left, or `nil` when some part of it has none.
    func pieces(of word: String) -> [Int32]? {
        if let whole = index[word] { return [whole] }
        let characters = Array(word)
        var result: [Int32] = []
        var start = 0
        while start < characters.count {
            var end = characters.count
            var found: Int32?
            while end > start {
                let text = (start > 0 ? "##" : "") + String(characters[start..<end])
                if let piece = index[text] { found = piece; break }
                end -= 1
            }
            guard let found else { return nil }
            result.append(found)
            start = end
        }
        return result
    }

    /// Adds `weight` times the unit vector of `word` (the normalized mean of its pieces) to
    /// `into`; returns false, adding nothing, when the word has no vector.
    func accumulate(_ word: String, weight: Float, into: UnsafeMutableBufferPointer<Float>) -> Bool {
        guard let pieces = pieces(of: word) else { return false }
        var mean = [Float](repeating: 0, count: dimensions)
        for piece in pieces {
            let row = Int(piece) * dimensions
            for d in 0..<dimensions { mean[d] += vectors[row + d] }
        }
        var norm: Float = 0
        for d in 0..<dimensions { norm += mean[d] * mean[d] }
        guard norm > 0 else { return false }
        let scale = weight / norm.squareRoot()
        for d in 0..<dimensions { into[d] += mean[d] * scale }
        return true
    }
}
