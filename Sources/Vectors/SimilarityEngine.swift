import Dispatch
import Synchronization

/// Settings of the pairwise cosine search.
public struct SimilarityOptions: Sendable, Hashable {
    /// Pairs with a cosine below this are not reported.
    public var threshold: Float
    /// Articles further apart than this many seconds are never compared; `nil` compares all.
    /// Articles without a publish time are compared with every other article.
    public var window: Int64?
    /// Worker threads; each runs single-threaded GEMMs on its own tiles.
    public var threads: Int
    /// Documents per tile side. Memory per thread is about `tileRows² + 2 · tileRows · denseColumns`
    /// floats, whatever the corpus size.
    public var tileRows: Int
    /// How many of the most frequent terms go to the dense GEMM part; `nil` picks by frequency.
    public var denseColumns: Int?

    public init(threshold: Float, window: Int64? = nil, threads: Int = 1, tileRows: Int = 1024, denseColumns: Int? = nil) {
        precondition(threads >= 1 && tileRows >= 1, "threads and tileRows must be positive")
        self.threshold = threshold
        self.window = window
        self.threads = threads
        self.tileRows = tileRows
        self.denseColumns = denseColumns
    }
}

/// Two documents (rows of the matrix, `first < second`) and the cosine of their vectors.
public struct ScoredPair: Sendable, Hashable {
    public var first: Int32
    public var second: Int32
    public var cosine: Float

    public init(first: Int32, second: Int32, cosine: Float) {
        self.first = first
        self.second = second
        self.cosine = cosine
    }
}

/// Finds every pair of documents whose cosine reaches a threshold, in tiles, through BLAS.
///
/// Documents are sorted by publish time and cut into tiles of ``SimilarityOptions/tileRows``.
/// Only tile pairs whose time ranges come within the window are multiplied, so a month of news
/// costs about thirty days of one-day work, not thirty squared.
///
/// Each tile pair's cosines are the sum of two exact parts:
/// - the most frequent terms (the dense columns), as a dense `tile × terms` matrix per tile,
///   multiplied by `cblas_sgemm`: these terms are in most pairs, where GEMM is fastest;
/// - every other term, from an inverted index (term → documents, in time order): rare terms
///   touch few pairs, so scattering their products costs little.
///
/// Together they are the full dot product of the L2-normalized TF-IDF rows, that is the exact
/// cosine up to `Float` rounding. Memory is bounded by the tile size, never by N².
/// Results are sorted by `(first, second)` and do not depend on the thread count.
public struct SimilarityEngine: Sendable {
    public var options: SimilarityOptions

    public init(options: SimilarityOptions) {
        self.options = options
    }

    /// Returns the pairs at or above the threshold, sorted by `(first, second)`.
    ///
    /// - Parameters:
    ///   - matrix: L2-normalized document rows.
    ///   - published: each row's publish time in seconds, `nil` when unknown.
    ///   - progress: called with (tiles done, tiles in all), from worker threads.
    /// - Complexity: O(P · (tile² · dense + rare-term products)) for P tile pairs within the window.
    public func pairs(
        _ matrix: SparseMatrix,
        published: [Int64?],
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [ScoredPair] {
        precondition(published.count == matrix.rowCount, "one publish time per row")
        let n = matrix.rowCount
        guard n > 1 else { return [] }

        let plan = TilePlan(published: published, tileRows: options.tileRows, window: options.window)
        let layout = ColumnLayout(matrix: matrix, order: plan.order, denseColumns: options.denseColumns)
        let totalTiles = plan.tilePairCount
        let done = Atomic<Int>(0)
        let nextTile = Atomic<Int>(0)
        let results = Mutex([[ScoredPair]](repeating: [], count: plan.tiles.count))
        let workers = min(options.threads, plan.tiles.count)
        let threshold = options.threshold
        let window = options.window

        BLAS.setThreads(1)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var scratch = TileScratch(tileRows: options.tileRows, denseWidth: layout.denseWidth)
            while true {
                let i = nextTile.add(1, ordering: .relaxed).oldValue
                guard i < plan.tiles.count else { break }
                var found: [ScoredPair] = []
                let rowTile = plan.tiles[i]
                layout.fillDense(rowTile, into: &scratch.rowDense)
                scratch.prepareSparse(rowTile, tileIndex: i, layout: layout)
                for j in plan.partners(of: i) {
                    let columnTile = plan.tiles[j]
                    scratch.multiply(rowTile, columnTile, sameTile: i == j, layout: layout)
                    scratch.collect(
                        rowTile, columnTile, sameTile: i == j, plan: plan,
                        threshold: threshold, window: window, into: &found
                    )
                    let finished = done.add(1, ordering: .relaxed).newValue
                    progress?(finished, totalTiles)
                }
                results.withLock { $0[i] = found }
            }
        }

        var all = results.withLock { $0.flatMap { $0 } }
        all.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        return all
    }

    /// Every pair by brute force: the scalar reference the tiled engine is tested against.
    /// - Complexity: O(N² · nnz per row).
    public func bruteForcePairs(_ matrix: SparseMatrix, published: [Int64?]) -> [ScoredPair] {
        var found: [ScoredPair] = []
        for a in 0..<matrix.rowCount {
            for b in (a + 1)..<max(a + 1, matrix.rowCount) {
                if let window = options.window, let ta = published[a], let tb = published[b], abs(ta - tb) > window {
                    continue
                }
                let cosine = matrix.dot(a, b)
                if cosine >= options.threshold {
                    found.append(ScoredPair(first: Int32(a), second: Int32(b), cosine: cosine))
                }
            }
        }
        return found
    }
}

/// A run of consecutive documents in time order.
struct Tile: Sendable {
    /// Positions `start..<end` in ``TilePlan/order``.
    var start: Int
    var end: Int
    /// Earliest and latest publish time, `nil` for the tiles of undated documents.
    var earliest: Int64?
    var latest: Int64?
    var count: Int { end - start }
}

/// Documents in time order, cut into tiles, and which tile pairs can hold pairs inside the window.
struct TilePlan: Sendable {
    /// Row indices sorted by publish time (undated last), ties by row.
    let order: [Int32]
    /// Publish time per position in `order`.
    let times: [Int64?]
    let tiles: [Tile]
    let window: Int64?
    /// For each tile, the tiles it is multiplied with (itself and later ones).
    let partnerLists: [[Int]]

    init(published: [Int64?], tileRows: Int, window: Int64?) {
        let order = published.indices.sorted { a, b in
            switch (published[a], published[b]) {
            case let (x?, y?): return x != y ? x < y : a < b
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        self.order = order.map { Int32($0) }
        self.times = order.map { published[$0] }
        self.window = window
        let dated = times.firstIndex { $0 == nil } ?? times.count
        var tiles: [Tile] = []
        // Dated and undated documents never share a tile, so a tile's time range is meaningful.
        for (from, to) in [(0, dated), (dated, times.count)] {
            var start = from
            while start < to {
                let end = min(start + tileRows, to)
                tiles.append(Tile(start: start, end: end, earliest: times[start], latest: times[end - 1]))
                start = end
            }
        }
        self.tiles = tiles
        var partnerLists: [[Int]] = []
        for i in tiles.indices {
            var partners: [Int] = []
            for j in i..<tiles.count {
                if let window, let latest = tiles[i].latest, let earliest = tiles[j].earliest, earliest - latest > window {
                    continue // later dated tiles are only further away; undated ones still follow
                }
                partners.append(j)
            }
            partnerLists.append(partners)
        }
        self.partnerLists = partnerLists
    }

    func partners(of tile: Int) -> [Int] { partnerLists[tile] }

    var tilePairCount: Int { partnerLists.reduce(0) { $0 + $1.count } }
}

/// Which columns go to the dense GEMM part, and an inverted index of the others.
struct ColumnLayout: Sendable {
    let matrix: SparseMatrix
    let order: [Int32]
    /// Dense slot of each column, or -1 for a sparse column.
    let denseSlot: [Int32]
    /// GEMM depth: the dense column count rounded up to a multiple of 8 (zero padding).
    let denseWidth: Int
    /// Inverted index of the sparse columns: `postingStart[c]..<postingStart[c + 1]` in
    /// `postingPosition` (positions in time order, ascending) and `postingValue`.
    let postingStart: [Int]
    let postingPosition: [Int32]
    let postingValue: [Float]

    /// Columns used by at least this share of documents are dense when no count is given.
    ///
    /// A dense column costs a multiply-add for every pair in the window, a sparse one only for
    /// the pairs that share it (df² / 2): at single-threaded sgemm speed the dense path wins
    /// only for terms in several percent of the articles (measured on the 100k big day:
    /// 32-64 dense columns beat 8 or 128 by a factor of two or more).
    static let denseShare = 1.0 / 16
    static let maxDense = 1024

    init(matrix: SparseMatrix, order: [Int32], denseColumns: Int?) {
        self.matrix = matrix
        self.order = order
        var df = [Int](repeating: 0, count: matrix.columnCount)
        for column in matrix.columns { df[Int(column)] += 1 }
        let byFrequency = df.indices.sorted { df[$0] != df[$1] ? df[$0] > df[$1] : $0 < $1 }
        let count: Int
        if let denseColumns {
            count = min(denseColumns, matrix.columnCount)
        } else {
            let minimum = max(2, Int((Double(matrix.rowCount) * Self.denseShare).rounded(.up)))
            count = min(Self.maxDense, byFrequency.prefix { df[$0] >= minimum }.count)
        }
        var denseSlot = [Int32](repeating: -1, count: matrix.columnCount)
        // Slots in column order keep the GEMM's summation order independent of frequency ties.
        for (slot, column) in byFrequency.prefix(count).sorted().enumerated() { denseSlot[column] = Int32(slot) }
        self.denseSlot = denseSlot
        self.denseWidth = count == 0 ? 0 : (count + 7) / 8 * 8

        var postingStart = [Int](repeating: 0, count: matrix.columnCount + 1)
        for column in matrix.columns where denseSlot[Int(column)] < 0 { postingStart[Int(column) + 1] += 1 }
        for c in 0..<matrix.columnCount { postingStart[c + 1] += postingStart[c] }
        var fill = postingStart
        var postingPosition = [Int32](repeating: 0, count: postingStart[matrix.columnCount])
        var postingValue = [Float](repeating: 0, count: postingPosition.count)
        for (position, row) in order.enumerated() {
            for k in matrix.rowStart[Int(row)]..<matrix.rowStart[Int(row) + 1] {
                let column = Int(matrix.columns[k])
                guard denseSlot[column] < 0 else { continue }
                postingPosition[fill[column]] = Int32(position)
                postingValue[fill[column]] = matrix.values[k]
                fill[column] += 1
            }
        }
        self.postingStart = postingStart
        self.postingPosition = postingPosition
        self.postingValue = postingValue
    }

    /// Writes a tile's dense columns as a row-major `tile.count × denseWidth` matrix.
    func fillDense(_ tile: Tile, into buffer: inout [Float]) {
        guard denseWidth > 0 else { return }
        let width = denseWidth
        buffer.withUnsafeMutableBufferPointer { out in
            out.update(repeating: 0)
            for local in 0..<tile.count {
                let row = Int(order[tile.start + local])
                for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                    let slot = denseSlot[Int(matrix.columns[k])]
                    if slot >= 0 { out[local * width + Int(slot)] = matrix.values[k] }
                }
            }
        }
    }
}

/// A sparse column used by the current row tile.
struct SparseTerm {
    /// Its postings inside the row tile.
    var rowFrom: Int
    var rowTo: Int
    /// The first posting not before the current column tile; moves forward only.
    var cursor: Int
    /// The end of the column's postings.
    var end: Int
}

/// One worker's buffers, allocated once and reused for every tile pair.
struct TileScratch {
    var rowDense: [Float]
    var sparseTerms: [SparseTerm] = []
    /// The last row tile each column was listed for, to list each column once per tile.
    var seenInTile: [Int32] = []
    var columnDense: [Float]
    /// `rowTile.count × columnTile.count` cosines, row-major.
    var scores: [Float]
    let denseWidth: Int

    init(tileRows: Int, denseWidth: Int) {
        self.denseWidth = denseWidth
        rowDense = [Float](repeating: 0, count: tileRows * max(denseWidth, 1))
        columnDense = rowDense
        scores = [Float](repeating: 0, count: tileRows * tileRows)
    }

    /// Fills `scores` with the exact dot products of the two tiles' documents.
    mutating func multiply(_ rowTile: Tile, _ columnTile: Tile, sameTile: Bool, layout: ColumnLayout) {
        let m = rowTile.count, n = columnTile.count, k = denseWidth
        if k > 0 {
            if !sameTile { layout.fillDense(columnTile, into: &columnDense) }
            rowDense.withUnsafeBufferPointer { a in
                columnDense.withUnsafeBufferPointer { b in
                    scores.withUnsafeMutableBufferPointer { c in
                        BLAS.multiplyTransposed(
                            a.baseAddress!, rows: m,
                            (sameTile ? a : b).baseAddress!, rows: n,
                            depth: k, into: c.baseAddress!
                        )
                    }
                }
            }
        } else {
            scores.withUnsafeMutableBufferPointer { c in
                UnsafeMutableBufferPointer(rebasing: c[0..<(m * n)]).update(repeating: 0)
            }
        }
        addSparse(rowTile, columnTile, layout: layout)
    }

    /// Lists the sparse columns the row tile uses, with each column's postings inside the tile.
    ///
    /// Done once per row tile; the partner tiles are then visited in ascending order, so each
    /// column's cursor only moves forward through its postings and no search is repeated.
    mutating func prepareSparse(_ rowTile: Tile, tileIndex: Int, layout: ColumnLayout) {
        sparseTerms.removeAll(keepingCapacity: true)
        if seenInTile.count != layout.matrix.columnCount {
            seenInTile = [Int32](repeating: -1, count: layout.matrix.columnCount)
        }
        let matrix = layout.matrix
        let lower = Int32(rowTile.start), upper = Int32(rowTile.end)
        for local in 0..<rowTile.count {
            let row = Int(layout.order[rowTile.start + local])
            for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                let column = Int(matrix.columns[k])
                guard layout.denseSlot[column] < 0, seenInTile[column] != Int32(tileIndex) else { continue }
                seenInTile[column] = Int32(tileIndex)
                let from = layout.postingStart[column], to = layout.postingStart[column + 1]
                let first = Self.firstPosition(atLeast: lower, in: layout.postingPosition, from, to)
                let last = Self.firstPosition(atLeast: upper, in: layout.postingPosition, first, to)
                sparseTerms.append(SparseTerm(rowFrom: first, rowTo: last, cursor: first, end: to))
            }
        }
    }

    /// Adds the products of the sparse columns: for each column the row tile uses, every pair of
    /// its postings in the row tile and in the column tile.
    private mutating func addSparse(_ rowTile: Tile, _ columnTile: Tile, layout: ColumnLayout) {
        let n = columnTile.count
        let rowLower = Int32(rowTile.start)
        let lower = Int32(columnTile.start), upper = Int32(columnTile.end)
        layout.postingPosition.withUnsafeBufferPointer { positions in
            layout.postingValue.withUnsafeBufferPointer { values in
                scores.withUnsafeMutableBufferPointer { c in
                    sparseTerms.withUnsafeMutableBufferPointer { terms in
                        for t in 0..<terms.count {
                            var from = terms[t].cursor
                            let end = terms[t].end
                            while from < end && positions[from] < lower { from += 1 }
                            terms[t].cursor = from
                            var to = from
                            while to < end && positions[to] < upper { to += 1 }
                            guard to > from else { continue }
                            for p in terms[t].rowFrom..<terms[t].rowTo {
                                let value = values[p]
                                let base = Int(positions[p] - rowLower) * n - Int(lower)
                                for q in from..<to {
                                    c[base + Int(positions[q])] += value * values[q]
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Binary search for the first posting at or after `position`.
    private static func firstPosition(atLeast position: Int32, in positions: [Int32], _ from: Int, _ to: Int) -> Int {
        var low = from, high = to
        while low < high {
            let mid = (low + high) / 2
            if positions[mid] < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Appends the pairs of the tile pair that reach the threshold and fall inside the window.
    func collect(
        _ rowTile: Tile, _ columnTile: Tile, sameTile: Bool, plan: TilePlan,
        threshold: Float, window: Int64?, into found: inout [ScoredPair]
    ) {
        let n = columnTile.count
        scores.withUnsafeBufferPointer { c in
            for local in 0..<rowTile.count {
                let base = local * n
                let timeA = plan.times[rowTile.start + local]
                for other in (sameTile ? local + 1 : 0)..<n where c[base + other] >= threshold {
                    if let window, let timeA, let timeB = plan.times[columnTile.start + other], abs(timeA - timeB) > window {
                        continue
                    }
                    let a = plan.order[rowTile.start + local], b = plan.order[columnTile.start + other]
                    found.append(ScoredPair(first: min(a, b), second: max(a, b), cosine: c[base + other]))
                }
            }
        }
    }
}
