import Dispatch
import Synchronization

/// Settings of the pairwise cosine search.
public struct SimilarityOptions: Sendable, Hashable {
    /// Pairs with a cosine below this are not reported.
    public var threshold: Float
    /// Articles further apart than this many seconds are never compared; `nil` compares all.
    /// Articles without a publish time are compared with every other article.
    public var window: Int64?
    /// Worker threads; each scans its own chunks of rows.
    public var threads: Int
    /// Rows per unit of work (and per block of the dense-bound lists). Results never depend on it.
    public var tileRows: Int
    /// How many of the most frequent terms form the dense part; `nil` picks by frequency.
    public var denseColumns: Int?
    /// A group of exact copies with more members than this lists its pairs among themselves only
    /// as a star around its first member, so that its pairs grow with its size, not its square.
    public var copyStarSize = 32
    /// A row with more later partners at or above the threshold than this keeps only its best
    /// `partnerCap` of them (highest cosine first, ties by rank), so that a swarm of near copies
    /// holds pairs in proportion to its rows, not their square; `nil` keeps every pair. Above
    /// what ordinary news gives an article (the 100k big day's busiest row has between 600 and
    /// 1,000 later partners at the pair floor): ordinary inputs keep every pair.
    public var partnerCap: Int? = 1_000

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

/// What the search found: the pairs, and the rows whose pairs were capped.
public struct PairSearch: Sendable {
    /// Sorted by `(first, second)`.
    public var pairs: [ScoredPair]
    /// Rows that had more later partners than ``SimilarityOptions/partnerCap`` and kept only the
    /// best of them, ascending: the cores of near-copy swarms.
    public var cappedRows: [Int32]
    /// For each capped row, the lowest cosine it kept: every pair it dropped is at or below it.
    public var weakestKept: [Float]

    /// The arithmetic the scan did to find them (zero for a brute-force search).
    public var work = ScanWork()

    public init(pairs: [ScoredPair], cappedRows: [Int32] = [], weakestKept: [Float] = []) {
        precondition(cappedRows.count == weakestKept.count, "one weakest cosine per capped row")
        self.pairs = pairs
        self.cappedRows = cappedRows
        self.weakestKept = weakestKept
    }
}

/// What the similarity scan computed, counted by its workers: for the share of a run's
/// floating-point work that BLAS does (``DenseWork``), which the benchmarks report.
public struct ScanWork: Sendable, Hashable {
    /// Postings scattered into the accumulator: one multiply and one add each.
    public var postings = 0
    /// Partners whose bound was checked: one multiply and two adds each.
    public var bounds = 0
    /// Dense-part dot products of `denseWidth` lanes: a multiply and an add per lane.
    public var denseDots = 0
    public var denseWidth = 0

    public init() {}

    /// Floating-point operations, a multiply and an add counting two.
    public var flops: Int { 2 * postings + 3 * bounds + 2 * denseDots * denseWidth }
}

extension ScanWork {
    public static func + (x: ScanWork, y: ScanWork) -> ScanWork {
        var sum = x
        sum.postings += y.postings
        sum.bounds += y.bounds
        sum.denseDots += y.denseDots
        sum.denseWidth = max(x.denseWidth, y.denseWidth)
        return sum
    }
}

/// Finds every pair of documents whose cosine reaches a threshold, exactly, without visiting
/// the pairs that cannot reach it.
///
/// Documents are put in time order, so the partners of a document inside the window are one run
/// of positions after it (plus the undated documents, compared with all). Each row's cosine
/// with a partner is split in two exact parts:
/// - the rare terms (most of the vocabulary and most of the weight): scattered from an inverted
///   index into an accumulator, row by row, touching only the partners that share a rare term;
/// - the few most frequent terms (the dense part, a short `Float` vector per document), whose
///   dot product is at most the product of the two dense norms (Cauchy–Schwarz).
///
/// A partner that shares a rare term is kept when its rare sum plus that bound reaches the
/// threshold, and then scored exactly: rare sum plus the dense dot product. A partner that
/// shares no rare term can only reach the threshold through the dense part, so only the pairs
/// whose dense norms multiply to the threshold are scored (from per-block lists sorted by norm).
/// No pair at or above the threshold is skipped: the engine is exact up to `Float` rounding,
/// and ``bruteForcePairs(_:published:)`` is the reference it is tested against.
///
/// Work is spread over threads by chunks of rows; every pair's arithmetic is done in the same
/// order whatever thread does it, and results are sorted by `(first, second)`, so the output
/// does not depend on the thread count.
public struct SimilarityEngine: Sendable {
    public var options: SimilarityOptions

    public init(options: SimilarityOptions) {
        self.options = options
    }

    /// The pairs at or above the threshold, sorted by `(first, second)`: those of
    /// ``search(_:published:copyGroups:rank:progress:)``.
    public func pairs(
        _ matrix: SparseMatrix,
        published: [Int64?],
        copyGroups: [Int]? = nil,
        rank: [Int32]? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [ScoredPair] {
        search(matrix, published: published, copyGroups: copyGroups, rank: rank, progress: progress).pairs
    }

    /// Finds the pairs at or above the threshold.
    ///
    /// With `copyGroups`, rows with the same group and the same vector (exact copies) are scored
    /// once and their pairs expanded back (``CopyClasses``): the pairs are those of the rows one
    /// by one, bit for bit, except inside a group of more than ``SimilarityOptions/copyStarSize``
    /// members, whose pairs among themselves are only those with its first member (a star).
    ///
    /// A row (in time order, ties by `rank`) with more later partners than
    /// ``SimilarityOptions/partnerCap`` keeps its best ones and is listed in
    /// ``PairSearch/cappedRows``; when copies are gathered, the cap counts chunks of copies, and
    /// a capped chunk's pairs are those of its member of lowest rank.
    ///
    /// - Parameters:
    ///   - matrix: L2-normalized document rows.
    ///   - published: each row's publish time in seconds, `nil` when unknown.
    ///   - copyGroups: per row, the row that stands for its group of exact text copies (itself
    ///     when alone; a group's own row names it); `nil` scores every row on its own.
    ///   - rank: per row, its place in an order that does not depend on the input order (the
    ///     articles' ids), distinct: it breaks ties of time and of the cap. `nil`: the row index.
    ///   - scanned: per row, whether its later partners are searched; `nil`: every row's. A
    ///     pair is found when its earlier row in time order is scanned, so an update that passes
    ///     negated times and flags its new rows gets every pair of a new row with an older one
    ///     without the pairs among the stored rows (and without gathering copies).
    ///   - progress: called with (chunks done, chunks in all), from worker threads.
    /// - Complexity: O(Σ over rare terms of the postings pairs inside the window + the pairs
    ///   whose rare sum or dense norms can reach the threshold × the dense width), over the
    ///   distinct rows when collapsed, plus the pairs returned: at most `partnerCap` per row.
    public func search(
        _ matrix: SparseMatrix,
        published: [Int64?],
        copyGroups: [Int]? = nil,
        rank: [Int32]? = nil,
        scanned: [Bool]? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> PairSearch {
        precondition(published.count == matrix.rowCount, "one publish time per row")
        precondition(rank.map { $0.count == matrix.rowCount } ?? true, "one rank per row")
        precondition(scanned.map { $0.count == matrix.rowCount } ?? true, "one flag per row")
        guard matrix.rowCount > 1 else { return PairSearch(pairs: []) }
        guard let copyGroups else {
            return scan(matrix, published: published, window: options.window, rowWeights: nil, rank: rank, scanned: scanned,
                        progress: progress).search
        }
        // Gathering copies pays when they would make many pairs among themselves; a few pairs
        // of syndicated copies are cheaper scored one by one and starred afterwards, with the
        // same result.
        var groupSize = [Int](repeating: 0, count: matrix.rowCount)
        for group in copyGroups { groupSize[group] += 1 }
        let innerPairs = groupSize.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        if innerPairs > matrix.rowCount, scanned == nil,
           let copies = CopyClasses(matrix: matrix, published: published, groups: copyGroups, window: options.window) {
            // A chunk stands for its member of lowest rank: its representative when capped.
            let rank = rank ?? (0..<Int32(matrix.rowCount)).map { $0 }
            let representative = (0..<copies.matrix.rowCount).map { chunk in copies.members(of: chunk).min { rank[Int($0)] < rank[Int($1)] }! }
            let scored = scan(copies.matrix, published: copies.published, window: copies.scanWindow, rowWeights: copies.weights,
                              rank: representative.map { rank[Int($0)] }, progress: progress)
            let capped = scored.search.cappedRows
            let pairs = copies.expand(scored.search.pairs, selfCosine: scored.selfCosine, threshold: options.threshold, starSize: options.copyStarSize,
                                      capped: Set(capped), representative: representative)
            let byRow = zip(capped.map { representative[Int($0)] }, scored.search.weakestKept).sorted { $0.0 < $1.0 }
            var search = PairSearch(pairs: pairs, cappedRows: byRow.map(\.0), weakestKept: byRow.map(\.1))
            search.work = scored.search.work
            return search
        }
        var found = scan(matrix, published: published, window: options.window, rowWeights: nil, rank: rank, scanned: scanned,
                         progress: progress).search
        guard let outsideStar = starFilter(copyGroups: copyGroups) else { return found }
        found.pairs.removeAll { !outsideStar(Int($0.first), Int($0.second)) }
        return found
    }

    /// Whether a pair is one ``search(_:published:copyGroups:rank:scanned:progress:)`` lists
    /// given `copyGroups`: inside a group of more than ``SimilarityOptions/copyStarSize`` exact
    /// copies, only the pairs with the group's own row are (a star). `nil` when no group is that large.
    public func starFilter(copyGroups: [Int]) -> (@Sendable (Int, Int) -> Bool)? {
        var counts = [Int](repeating: 0, count: copyGroups.count)
        for group in copyGroups { counts[group] += 1 }
        let starSize = options.copyStarSize, groupSize = counts
        guard groupSize.contains(where: { $0 > starSize }) else { return nil }
        return { a, b in
            let group = copyGroups[a]
            return group != copyGroups[b] || groupSize[group] <= starSize || a == group || b == group
        }
    }

    /// Applies ``SimilarityOptions/partnerCap`` to the pairs of one row with its later partners,
    /// `found[start...]`, as the search does: when there are more, the best are kept (highest
    /// cosine first, ties by the partner's `rank`) and the lowest cosine kept is returned.
    public func keepBest(_ found: inout [ScoredPair], from start: Int, row: Int32, rank: [Int32]) -> Float? {
        guard let cap = options.partnerCap, found.count - start > cap else { return nil }
        return RowScanner.keepBest(cap, of: &found, from: start, row: row, rank: rank)
    }

    /// The engine's search over `matrix`; with `rowWeights` (rows standing for that many
    /// articles), the dense part is chosen as for the articles, and each row's cosine with an
    /// identical row is returned too, computed as the scan computes a pair.
    private func scan(
        _ matrix: SparseMatrix, published: [Int64?], window: Int64?, rowWeights: [Int]?, rank: [Int32]?, scanned: [Bool]? = nil,
        progress: (@Sendable (Int, Int) -> Void)?
    ) -> (search: PairSearch, selfCosine: [Float]) {
        let rank = rank ?? (0..<Int32(matrix.rowCount)).map { $0 }
        let time = TimeOrder(published: published, window: window, rank: rank)
        let index = SplitIndex(matrix: matrix, time: time, denseColumns: options.denseColumns, rowWeights: rowWeights)
        let bound = DenseBound(index: index, time: time, blockRows: options.tileRows, threshold: options.threshold)
        let threshold = options.threshold
        let cap = options.partnerCap
        let tally = Mutex(ScanWork())
        let found = Self.inChunks(rows: matrix.rowCount, chunkRows: max(1, min(options.tileRows, 256)), threads: options.threads,
                                  progress: progress, makeWorker: { RowScanner(count: matrix.rowCount) },
                                  finish: { scanner in let work = scanner.work; tally.withLock { $0 = $0 + work } }) { scanner, position, found in
            if let scanned, !scanned[Int(time.order[position])] { return nil }
            let start = found.count
            scanner.scan(position, time: time, index: index, bound: bound, threshold: threshold, into: &found)
            guard let cap, found.count - start > cap else { return nil }
            return RowScanner.keepBest(cap, of: &found, from: start, row: time.order[position], rank: rank)
        }
        let capped = found.flagged.map { (row: time.order[$0.position], weakest: $0.value) }.sorted { $0.row < $1.row }
        var search = PairSearch(pairs: found.pairs, cappedRows: capped.map { $0.row }, weakestKept: capped.map { $0.weakest })
        search.work = tally.withLock { $0 }
        guard rowWeights != nil else { return (search, []) }
        var selfCosine = [Float](repeating: 0, count: matrix.rowCount)
        for (position, row) in time.order.enumerated() { selfCosine[Int(row)] = index.selfCosine(position) }
        return (search, selfCosine)
    }

    /// Every pair inside the window by brute force, each cosine a full sparse dot product: the
    /// reference the engine is tested against (`--exact`).
    ///
    /// - Complexity: O(pairs inside the window · nnz per row), on ``SimilarityOptions/threads``.
    public func bruteForcePairs(
        _ matrix: SparseMatrix,
        published: [Int64?],
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [ScoredPair] {
        precondition(published.count == matrix.rowCount, "one publish time per row")
        guard matrix.rowCount > 1 else { return [] }
        let time = TimeOrder(published: published, window: options.window, rank: (0..<Int32(matrix.rowCount)).map { $0 })
        let threshold = options.threshold
        return Self.inChunks(rows: matrix.rowCount, chunkRows: 64, threads: options.threads,
                             progress: progress, makeWorker: { () }) { _, position, found in
            let a = time.order[position]
            for range in time.partnerRanges(of: position) {
                for other in range {
                    let b = time.order[other]
                    let cosine = matrix.dot(Int(a), Int(b))
                    if cosine >= threshold {
                        found.append(ScoredPair(first: min(a, b), second: max(a, b), cosine: cosine))
                    }
                }
            }
            return nil
        }.pairs
    }

    /// Runs `scan` for every position, in chunks of rows taken by `threads` workers (each with
    /// its own state from `makeWorker`), and returns the pairs found sorted by `(first, second)`
    /// and the positions whose `scan` returned a value, with it, ascending: the same for any
    /// thread count.
    private static func inChunks<Worker: ~Copyable>(
        rows: Int, chunkRows: Int, threads: Int,
        progress: (@Sendable (Int, Int) -> Void)?,
        makeWorker: @Sendable () -> Worker,
        finish: @Sendable (borrowing Worker) -> Void = { _ in },
        scan: @Sendable (borrowing Worker, Int, inout [ScoredPair]) -> Float?
    ) -> (pairs: [ScoredPair], flagged: [(position: Int, value: Float)]) {
        let chunks = (rows + chunkRows - 1) / chunkRows
        let results = Mutex([[ScoredPair]](repeating: [], count: chunks))
        let flags = Mutex([[(position: Int, value: Float)]](repeating: [], count: chunks))
        let nextChunk = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(threads, chunks)) { _ in
            let worker = makeWorker()
            while true {
                let chunk = nextChunk.add(1, ordering: .relaxed).oldValue
                guard chunk < chunks else { break }
                var found: [ScoredPair] = []
                var flagged: [(position: Int, value: Float)] = []
                let start = chunk * chunkRows
                for position in start..<min(start + chunkRows, rows) {
                    if let value = scan(worker, position, &found) { flagged.append((position, value)) }
                }
                results.withLock { $0[chunk] = found }
                if !flagged.isEmpty { flags.withLock { $0[chunk] = flagged } }
                progress?(done.add(1, ordering: .relaxed).newValue, chunks)
            }
            finish(worker)
        }
        var all = results.withLock { $0.flatMap { $0 } }
        all.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        return (all, flags.withLock { $0.flatMap { $0 } })
    }
}

/// Documents in publish-time order, and which positions each one is compared with.
struct TimeOrder: Sendable {
    /// Row index at each position: dated rows by time (ties by rank), then undated rows by rank.
    let order: [Int32]
    /// Positions `datedEnd...` hold the undated rows.
    let datedEnd: Int
    /// For a dated position, the last dated position inside its window; for an undated one,
    /// the last position.
    let lastInWindow: [Int32]

    /// - Parameter rank: distinct per row; ties in time go by it, so that which partners come
    ///   later (what ``SimilarityOptions/partnerCap`` counts) does not depend on the row order.
    init(published: [Int64?], window: Int64?, rank: [Int32]) {
        let order = published.indices.sorted { a, b in
            switch (published[a], published[b]) {
            case let (x?, y?): return x != y ? x < y : rank[a] < rank[b]
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return rank[a] < rank[b]
            }
        }
        self.order = order.map { Int32($0) }
        let times = order.map { published[$0] }
        let datedEnd = times.firstIndex { $0 == nil } ?? times.count
        self.datedEnd = datedEnd
        var last = [Int32](repeating: Int32(times.count - 1), count: times.count)
        if let window {
            var end = 0
            for position in 0..<datedEnd {
                end = max(end, position)
                while end + 1 < datedEnd && times[end + 1]! - times[position]! <= window { end += 1 }
                last[position] = Int32(end)
            }
        } else {
            for position in 0..<datedEnd { last[position] = Int32(datedEnd - 1) }
        }
        self.lastInWindow = last
    }

    /// The positions after `position` it is compared with: the rest of its window, then the
    /// undated documents (for an undated document the first range already runs to the end).
    @inline(__always)
    func partnerRanges(of position: Int) -> [Range<Int>] {
        let last = Int(lastInWindow[position])
        return [(position + 1)..<(last + 1), max(datedEnd, last + 1)..<order.count]
    }
}

/// The matrix split for the search: the most frequent terms as short dense vectors, the others
/// as an inverted index, both in time order.
struct SplitIndex: Sendable {
    /// Dense width: the dense column count rounded up to a multiple of 8 (zero padding).
    let denseWidth: Int
    /// Position-major `count × denseWidth` values of the dense columns.
    let dense: [Float]
    /// The L2 norm of each position's dense part.
    let denseNorm: [Float]
    /// Postings of the rare columns: `postingStart[c]..<postingStart[c + 1]`, positions ascending.
    let postingStart: [Int]
    let postingPosition: [Int32]
    let postingValue: [Float]
    /// Per column, the first posting of an undated position.
    let undatedPosting: [Int]
    /// Per position, its rare terms: `rareStart[p]..<rareStart[p + 1]` in `rareColumn` and
    /// `rarePosting` (the index of the position's own posting in that column).
    let rareStart: [Int]
    let rareColumn: [Int32]
    let rarePosting: [Int32]

    /// Columns used by at least this share of the documents form the dense part (when no count
    /// is given): few enough that the dense norms stay small, so that pairs sharing no rare term
    /// rarely need scoring, and many enough to take the longest postings out of the scatter.
    static let denseShare = 1.0 / 32
    static let maxDense = 256

    /// - Parameter rowWeights: how many documents each row stands for (one when `nil`): the
    ///   dense part is chosen by those documents' frequencies.
    init(matrix: SparseMatrix, time: TimeOrder, denseColumns: Int?, rowWeights: [Int]? = nil) {
        let n = matrix.rowCount
        var df = [Int](repeating: 0, count: matrix.columnCount)
        if let rowWeights {
            for row in 0..<n {
                for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] { df[Int(matrix.columns[k])] += rowWeights[row] }
            }
        } else {
            for column in matrix.columns { df[Int(column)] += 1 }
        }
        let documents = rowWeights?.reduce(0, +) ?? n
        let byFrequency = df.indices.sorted { df[$0] != df[$1] ? df[$0] > df[$1] : $0 < $1 }
        let count: Int
        if let denseColumns {
            count = min(denseColumns, matrix.columnCount)
        } else {
            let minimum = max(2, Int((Double(documents) * Self.denseShare).rounded(.up)))
            count = min(Self.maxDense, byFrequency.prefix { df[$0] >= minimum }.count)
        }
        var denseSlot = [Int32](repeating: -1, count: matrix.columnCount)
        // Slots in column order keep each dense dot product's summation order independent of
        // frequency ties.
        for (slot, column) in byFrequency.prefix(count).sorted().enumerated() { denseSlot[column] = Int32(slot) }
        let width = count == 0 ? 0 : (count + 7) / 8 * 8
        denseWidth = width

        var dense = [Float](repeating: 0, count: n * width)
        var denseNorm = [Float](repeating: 0, count: n)
        var postingStart = [Int](repeating: 0, count: matrix.columnCount + 1)
        for column in matrix.columns where denseSlot[Int(column)] < 0 { postingStart[Int(column) + 1] += 1 }
        for c in 0..<matrix.columnCount { postingStart[c + 1] += postingStart[c] }
        var fill = postingStart
        var undatedPosting = [Int](repeating: 0, count: matrix.columnCount)
        var postingPosition = [Int32](repeating: 0, count: postingStart[matrix.columnCount])
        var postingValue = [Float](repeating: 0, count: postingPosition.count)
        var rareStart = [Int](repeating: 0, count: n + 1)
        var rareColumn = [Int32](repeating: 0, count: postingPosition.count)
        var rarePosting = [Int32](repeating: 0, count: postingPosition.count)
        var rareCount = 0
        for (position, row) in time.order.enumerated() {
            if position == time.datedEnd {
                for c in 0..<matrix.columnCount { undatedPosting[c] = fill[c] }
            }
            var squares: Float = 0
            for k in matrix.rowStart[Int(row)]..<matrix.rowStart[Int(row) + 1] {
                let column = Int(matrix.columns[k])
                let value = matrix.values[k]
                let slot = denseSlot[column]
                if slot >= 0 {
                    dense[position * width + Int(slot)] = value
                    squares += value * value
                } else {
                    postingPosition[fill[column]] = Int32(position)
                    postingValue[fill[column]] = value
                    rareColumn[rareCount] = Int32(column)
                    rarePosting[rareCount] = Int32(fill[column])
                    rareCount += 1
                    fill[column] += 1
                }
            }
            denseNorm[position] = squares.squareRoot()
            rareStart[position + 1] = rareCount
        }
        if time.datedEnd == n {
            for c in 0..<matrix.columnCount { undatedPosting[c] = fill[c] }
        }
        self.dense = dense
        self.denseNorm = denseNorm
        self.postingStart = postingStart
        self.postingPosition = postingPosition
        self.postingValue = postingValue
        self.undatedPosting = undatedPosting
        self.rareStart = rareStart
        self.rareColumn = rareColumn
        self.rarePosting = rarePosting
    }
}

/// For the pairs that share no rare term: blocks of positions, each listing its documents whose
/// dense norm can reach the threshold with the largest norm, largest norm first.
struct DenseBound: Sendable {
    /// `blockStart[b]..<blockStart[b + 1]` are block `b`'s positions; dated and undated
    /// positions never share a block.
    let blockStart: [Int]
    /// `listStart[b]..<listStart[b + 1]` in `listPosition`: block `b`'s candidates by norm.
    let listStart: [Int]
    let listPosition: [Int32]
    /// Block of each position.
    let blockOf: [Int32]
    let largestNorm: Float

    init(index: SplitIndex, time: TimeOrder, blockRows: Int, threshold: Float) {
        let n = time.order.count
        let norms = index.denseNorm
        largestNorm = norms.max() ?? 0
        var blockStart: [Int] = []
        for (from, to) in [(0, time.datedEnd), (time.datedEnd, n)] {
            var start = from
            while start < to {
                blockStart.append(start)
                start = min(start + blockRows, to)
            }
        }
        blockStart.append(n)
        var blockOf = [Int32](repeating: 0, count: n)
        var listStart = [0]
        var listPosition: [Int32] = []
        let least = largestNorm > 0 ? threshold / largestNorm - DenseBound.slack : .infinity
        for block in 0..<(blockStart.count - 1) {
            var members: [Int32] = []
            for position in blockStart[block]..<blockStart[block + 1] {
                blockOf[position] = Int32(block)
                if norms[position] >= least { members.append(Int32(position)) }
            }
            members.sort { norms[Int($0)] != norms[Int($1)] ? norms[Int($0)] > norms[Int($1)] : $0 < $1 }
            listPosition += members
            listStart.append(listPosition.count)
        }
        self.blockStart = blockStart
        self.blockOf = blockOf
        self.listStart = listStart
        self.listPosition = listPosition
    }

    /// Room for `Float` rounding in the bounds, far below any threshold's meaning.
    static let slack: Float = 1e-5
}
