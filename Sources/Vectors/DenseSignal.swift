import Dispatch

extension SparseMatrix {
    /// Per row, its effective number of terms `(Σw²)² / Σw⁴`: the number of equally weighted
    /// terms that would give the row's spread. A headline has 4 to 8, a title with an excerpt
    /// 15 to 30, a full article 40 or more; a long text whose weight sits on a few repeated
    /// title words counts as few. An empty row has 0.
    public func effectiveTermCounts() -> [Float] {
        (0..<rowCount).map { row in
            var squares: Float = 0, fourths: Float = 0
            for k in rowStart[row]..<rowStart[row + 1] {
                let w2 = values[k] * values[k]
                squares += w2
                fourths += w2 * w2
            }
            return fourths > 0 ? squares * squares / fourths : 0
        }
    }
}

/// Dense vectors for some of the articles (those with few informative terms, where the sparse
/// cosine says least): each the TF-IDF-weighted sum of its terms' ``WordPieceTable`` vectors,
/// centred on the mean of the chosen articles (so unrelated texts score near 0, not at the
/// table's common direction) and L2-normalized, so a dot product is a cosine.
public struct DenseSignal: Sendable {
    public let dimensions: Int
    /// Per article, its row in ``rows`` or -1 (not chosen, or no term with a vector).
    public let slot: [Int32]
    /// Row-major, `dimensions` floats per chosen article.
    public let rows: [Float]

    /// Vectors for the `chosen` articles (ascending indices into the rows of `model.matrix`).
    public init(model: TFIDFModel, table: WordPieceTable, chosen: [Int]) {
        let d = table.dimensions
        var termRow = [Int32](repeating: -2, count: model.terms.count)
        var termVectors: [Float] = []
        var slot = [Int32](repeating: -1, count: model.matrix.rowCount)
        var rows: [Float] = []
        rows.reserveCapacity(chosen.count * d)
        let matrix = model.matrix
        var vector = [Float](repeating: 0, count: d)
        for article in chosen {
            for k in 0..<d { vector[k] = 0 }
            var known = false
            for entry in matrix.rowStart[article]..<matrix.rowStart[article + 1] {
                let term = Int(matrix.columns[entry])
                if termRow[term] == -2 {
                    var unit = [Float](repeating: 0, count: d)
                    let found = unit.withUnsafeMutableBufferPointer { table.accumulate(model.terms[term], weight: 1, into: $0) }
                    termRow[term] = found ? Int32(termVectors.count / d) : -1
                    if found { termVectors += unit }
                }
                guard termRow[term] >= 0 else { continue }
                known = true
                let base = Int(termRow[term]) * d, weight = matrix.values[entry]
                for k in 0..<d { vector[k] += weight * termVectors[base + k] }
            }
            guard known else { continue }
            slot[article] = Int32(rows.count / d)
            rows += vector
        }
        let count = rows.count / max(d, 1)
        if count > 0 {
            var mean = [Double](repeating: 0, count: d)
            for row in 0..<count { for k in 0..<d { mean[k] += Double(rows[row * d + k]) } }
            for row in 0..<count {
                var norm: Float = 0
                for k in 0..<d {
                    rows[row * d + k] -= Float(mean[k] / Double(count))
                    norm += rows[row * d + k] * rows[row * d + k]
                }
                let inverse: Float = norm > 0 ? 1 / norm.squareRoot() : 0
                for k in 0..<d { rows[row * d + k] *= inverse }
            }
        }
        self.dimensions = d
        self.slot = slot
        self.rows = rows
    }

    /// The dense cosine of articles `a` and `b`, `nil` unless both have a vector. A scalar loop
    /// in a fixed order, so the value is the same on any thread and whatever BLAS does.
    public func cosine(_ a: Int, _ b: Int) -> Float? {
        let p = Int(slot[a]), q = Int(slot[b])
        guard p >= 0, q >= 0 else { return nil }
        var sum: Float = 0
        for k in 0..<dimensions { sum += rows[p * dimensions + k] * rows[q * dimensions + k] }
        return sum
    }

    /// What ``candidates(published:window:floor:threads:)`` found, and the work it took.
    public struct Candidates: Sendable {
        /// Article pairs (`first < second`, sorted) whose dense cosine reaches the floor, with it.
        public var pairs: [ScoredPair]
        /// Floating-point operations of the `cblas_sgemm` calls (2·m·n·k each).
        public var flops: Double
    }

    /// Every pair of articles with vectors, inside `window` seconds of each other (undated
    /// ones with all), whose dense cosine reaches `floor`: the articles in publish-time order,
    /// tiles of ``tileRows`` of them multiplied by `cblas_sgemm` against the run of later
    /// articles inside the window. Each candidate's cosine is then recomputed by ``cosine(_:_:)``
    /// and kept only if it still reaches the floor, so the result does not depend on BLAS's
    /// rounding or thread count.
    public func candidates(published: [Int64?], window: Int64?, floor: Float, threads: Int) -> Candidates {
        let d = dimensions
        let members = slot.indices.filter { slot[$0] >= 0 }
        guard members.count > 1 else { return Candidates(pairs: [], flops: 0) }
        // Publish order, undated last, ties by index.
        let order = members.sorted { a, b in
            switch (published[a], published[b]) {
            case let (p?, q?): return p != q ? p < q : a < b
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        let dated = order.prefix { published[$0] != nil }.count
        var packed = [Float](repeating: 0, count: order.count * d)
        for (place, article) in order.enumerated() {
            let row = Int(slot[article]) * d
            for k in 0..<d { packed[place * d + k] = rows[row + k] }
        }
        let time = order.map { published[$0] ?? 0 }
        let tileRows = Self.tileRows, columnChunk = 4_096
        let tiles = (order.count + tileRows - 1) / tileRows
        let packedRows = packed
        let results = TileResults(count: tiles)
        let next = TileCounter()
        let slack: Float = 1e-4
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, tiles))) { _ in
            var product = [Float](repeating: 0, count: tileRows * columnChunk)
            while let tile = next.take(below: tiles) {
                let start = tile * tileRows, end = min(start + tileRows, order.count)
                // Partners: later articles inside the window of the tile's last one, and every undated article.
                var ranges: [Range<Int>] = []
                if start < dated {
                    let rowEnd = min(end, dated)
                    var high = dated
                    if let window {
                        let limit = time[rowEnd - 1] + window
                        high = rowEnd
                        while high < dated && time[high] <= limit { high += 1 }
                    }
                    ranges.append(start..<high)
                    if dated < order.count { ranges.append(dated..<order.count) }
                } else {
                    ranges.append(start..<order.count)
                }
                var found: [ScoredPair] = []
                var flops: Double = 0
                let m = end - start
                packedRows.withUnsafeBufferPointer { packed in
                    product.withUnsafeMutableBufferPointer { product in
                        for range in ranges {
                            var column = range.lowerBound
                            while column < range.upperBound {
                                let n = min(columnChunk, range.upperBound - column)
                                BLAS.multiplyTransposed(
                                    packed.baseAddress! + start * d, rows: m, packed.baseAddress! + column * d, rows: n,
                                    depth: d, into: product.baseAddress!)
                                flops += 2 * Double(m) * Double(n) * Double(d)
                                for r in 0..<m {
                                    let i = start + r
                                    for c in 0..<n where product[r * n + c] >= floor - slack {
                                        let j = column + c
                                        guard j > i else { continue }
                                        if i < dated && j < dated, let window, time[j] - time[i] > window { continue }
                                        let a = order[i], b = order[j]
                                        guard let exact = cosine(a, b), exact >= floor else { continue }
                                        found.append(ScoredPair(first: Int32(min(a, b)), second: Int32(max(a, b)), cosine: exact))
                                    }
                                }
                                column += n
                            }
                        }
                    }
                }
                results.set(tile, found, flops)
            }
        }
        var pairs = results.pairs.flatMap { $0 }
        pairs.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        return Candidates(pairs: pairs, flops: results.flops.reduce(0, +))
    }

    /// Articles per `cblas_sgemm` tile: 256 rows of 64 floats stay in L2 with their partners' block.
    public static let tileRows = 256
}

/// The per-tile results of the candidate search, each written by the one worker that took the tile.
private final class TileResults: @unchecked Sendable {
    var pairs: [[ScoredPair]]
    var flops: [Double]
    private let lock = DispatchSemaphore(value: 1)
    init(count: Int) {
        pairs = Array(repeating: [], count: count)
        flops = Array(repeating: 0, count: count)
    }
    func set(_ tile: Int, _ found: [ScoredPair], _ work: Double) {
        lock.wait()
        defer { lock.signal() }
        pairs[tile] = found
        flops[tile] = work
    }
}

/// Hands out tile numbers to the workers, each once.
private final class TileCounter: @unchecked Sendable {
    private var value = 0
    private let lock = DispatchSemaphore(value: 1)
    func take(below limit: Int) -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
