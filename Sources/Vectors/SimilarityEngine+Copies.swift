/// Exact copies (rows of one copy group with the same vector) gathered so that the engine scores
/// them once: a wire story syndicated to every local site is one row, not thousands.
///
/// Copies usually carry different publish times, and the window compares articles one by one.
/// So each class of copies is cut into chunks by time, each chunk spanning at most ``chunkShare``
/// of the window, and the engine searches the chunks (each at its earliest time) with the window
/// widened by the longest chunk span: every pair of articles inside the window is then a pair of
/// chunks inside the widened one. Expanding a chunk pair keeps only the member pairs inside the
/// true window, so the result is the pair list of the articles one by one. The cosines are the
/// same bits too: identical rows give identical sums in the same order, and the dense part is
/// chosen by the articles' term frequencies, not the chunks'.
struct CopyClasses {
    /// One row per chunk (its first member's), with the chunk's earliest time (`nil`: undated).
    let matrix: SparseMatrix
    let published: [Int64?]
    /// Members per chunk.
    let weights: [Int]
    /// The window the chunks are searched with.
    let scanWindow: Int64?
    /// Chunk `c`'s articles, ascending: `members[memberStart[c] ..< memberStart[c + 1]]`.
    private let memberStart: [Int]
    private let members: [Int32]
    private let chunkOf: [Int32]
    /// Per chunk, its copy group (the group's own row), and each group's size.
    private let groupOfChunk: [Int32]
    private let groupSize: [Int32]
    private let articlePublished: [Int64?]
    private let window: Int64?

    /// A chunk spans at most this share of the window: the engine's window grows by as much.
    static let chunkShare: Int64 = 8

    /// `nil` when no two rows are copies: then there is nothing to gather.
    init?(matrix source: SparseMatrix, published: [Int64?], groups: [Int], window: Int64?) {
        let n = source.rowCount
        precondition(groups.count == n && published.count == n, "one copy group and time per row")
        // Classes: same group, same vector; hashed, then compared entry by entry.
        var classOf = [Int32](repeating: -1, count: n)
        var classFirst: [Int] = []
        var byKey: [ClassKey: Int32] = [:]
        // Classes whose key an earlier, different row already had; almost always empty.
        var collided: [ClassKey: [Int32]] = [:]
        for row in 0..<n {
            precondition(groups[groups[row]] == groups[row], "a copy group is named by one of its rows")
            let key = ClassKey(group: groups[row], hash: Self.hash(row: row, of: source))
            let next = Int32(classFirst.count)
            if let first = byKey[key] {
                if Self.sameRow(classFirst[Int(first)], row, of: source) {
                    classOf[row] = first
                    continue
                }
                if let match = collided[key]?.first(where: { Self.sameRow(classFirst[Int($0)], row, of: source) }) {
                    classOf[row] = match
                    continue
                }
                collided[key, default: []].append(next)
            } else {
                byKey[key] = next
            }
            classOf[row] = next
            classFirst.append(row)
        }
        guard classFirst.count < n else { return nil }
        byKey = [:]
        collided = [:]

        // Each class's rows by time (undated last), cut into chunks.
        let classCount = classFirst.count
        var classStart = [Int](repeating: 0, count: classCount + 1)
        for row in 0..<n { classStart[Int(classOf[row]) + 1] += 1 }
        for c in 0..<classCount { classStart[c + 1] += classStart[c] }
        var fill = classStart
        var byClass = [Int32](repeating: 0, count: n)
        for row in 0..<n {
            byClass[fill[Int(classOf[row])]] = Int32(row)
            fill[Int(classOf[row])] += 1
        }
        fill = []
        let limit = window.map { $0 / Self.chunkShare }
        var memberStart = [0]
        var members: [Int32] = []
        members.reserveCapacity(n)
        var chunkTime: [Int64?] = []
        var span: Int64 = 0
        for c in 0..<classCount {
            var rows = Array(byClass[classStart[c]..<classStart[c + 1]])
            rows.sort { a, b in
                switch (published[Int(a)], published[Int(b)]) {
                case let (x?, y?): return x != y ? x < y : a < b
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a < b
                }
            }
            var chunk: [Int32] = []
            var low: Int64?
            func close() {
                guard !chunk.isEmpty else { return }
                chunk.sort()
                members += chunk
                memberStart.append(members.count)
                chunkTime.append(low)
                chunk = []
            }
            for row in rows {
                let t = published[Int(row)]
                if limit == nil {
                    // Without a window every pair is compared: one chunk per class.
                    if chunk.isEmpty { low = t }
                } else if let t {
                    if let start = low, !chunk.isEmpty, t - start > limit! { close() }
                    if chunk.isEmpty { low = t }
                    span = max(span, t - low!)
                } else {
                    // The undated rows are compared with everything: one chunk of their own.
                    if low != nil { close() }
                    low = nil
                }
                chunk.append(row)
            }
            close()
        }
        byClass = []

        let chunkCount = chunkTime.count
        var chunkOf = [Int32](repeating: 0, count: n)
        var rowStart = [0], columns: [Int32] = [], values: [Float] = []
        var weights = [Int](repeating: 0, count: chunkCount)
        var groupOfChunk = [Int32](repeating: 0, count: chunkCount)
        for chunk in 0..<chunkCount {
            let range = memberStart[chunk]..<memberStart[chunk + 1]
            for k in range { chunkOf[Int(members[k])] = Int32(chunk) }
            let first = Int(members[range.lowerBound])
            let entries = source.rowStart[first]..<source.rowStart[first + 1]
            columns += source.columns[entries]
            values += source.values[entries]
            rowStart.append(columns.count)
            weights[chunk] = range.count
            groupOfChunk[chunk] = Int32(groups[first])
        }
        var groupSize = [Int32](repeating: 0, count: n)
        for row in 0..<n { groupSize[groups[row]] += 1 }

        matrix = SparseMatrix(rowCount: chunkCount, columnCount: source.columnCount, rowStart: rowStart, columns: columns, values: values)
        self.published = chunkTime
        self.weights = weights
        scanWindow = window.map { $0 + span }
        self.memberStart = memberStart
        self.members = members
        self.chunkOf = chunkOf
        self.groupOfChunk = groupOfChunk
        self.groupSize = groupSize
        articlePublished = published
        self.window = window
    }

    /// The article pairs of the chunk pairs `found` (sorted or not) and of each chunk with
    /// itself (`selfCosine` per chunk), inside the true window, sorted by `(first, second)`.
    /// Inside a copy group of more than `starSize` articles only the pairs with the group's own
    /// row are kept. A pair of chunks one of which is in `capped` (its pairs were capped: a
    /// swarm of syndicated near copies) gives one article pair, of the two chunks'
    /// `representative`s, so that the pairs stay in proportion to the chunks.
    func expand(
        _ found: [ScoredPair], selfCosine: [Float], threshold: Float, starSize: Int,
        capped: Set<Int32> = [], representative: [Int32] = []
    ) -> [ScoredPair] {
        var pairs: [ScoredPair] = []
        pairs.reserveCapacity(found.count)
        func add(_ a: Int32, _ b: Int32, _ cosine: Float) {
            guard isComparable(a, b) else { return }
            pairs.append(ScoredPair(first: min(a, b), second: max(a, b), cosine: cosine))
        }
        func expand(_ x: Int, _ y: Int, _ cosine: Float) {
            let group = groupOfChunk[x]
            if group == groupOfChunk[y] && Int(groupSize[Int(group)]) > starSize {
                let centreChunk = Int(chunkOf[Int(group)])
                for (own, other) in [(x, y), (y, x)] where own == centreChunk {
                    for k in memberStart[other]..<memberStart[other + 1] where members[k] != group { add(group, members[k], cosine) }
                    if x == y { break }
                }
            } else if x != y && (capped.contains(Int32(x)) || capped.contains(Int32(y))) {
                add(representative[x], representative[y], cosine)
            } else if x == y {
                for i in memberStart[x]..<memberStart[x + 1] {
                    for j in (i + 1)..<memberStart[x + 1] { add(members[i], members[j], cosine) }
                }
            } else {
                for i in memberStart[x]..<memberStart[x + 1] {
                    for j in memberStart[y]..<memberStart[y + 1] { add(members[i], members[j], cosine) }
                }
            }
        }
        for pair in found { expand(Int(pair.first), Int(pair.second), pair.cosine) }
        for chunk in weights.indices where weights[chunk] > 1 && selfCosine[chunk] >= threshold {
            expand(chunk, chunk, selfCosine[chunk])
        }
        pairs.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        return pairs
    }

    /// Chunk `c`'s members, ascending by row.
    func members(of chunk: Int) -> ArraySlice<Int32> { members[memberStart[chunk]..<memberStart[chunk + 1]] }

    /// Whether the engine compares articles `a` and `b` (see ``SimilarityOptions/window``).
    @inline(__always)
    private func isComparable(_ a: Int32, _ b: Int32) -> Bool {
        guard let window, let x = articlePublished[Int(a)], let y = articlePublished[Int(b)] else { return true }
        return abs(x - y) <= window
    }

    private struct ClassKey: Hashable {
        var group: Int
        var hash: UInt64
    }

    /// A hash of a row's columns and value bits.
    private static func hash(row: Int, of matrix: SparseMatrix) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
            hash = (hash ^ (UInt64(UInt32(bitPattern: matrix.columns[k])) << 32 | UInt64(matrix.values[k].bitPattern))) &* 0x1000_0000_01b3
            hash ^= hash >> 29
        }
        return hash
    }

    private static func sameRow(_ a: Int, _ b: Int, of matrix: SparseMatrix) -> Bool {
        let x = matrix.rowStart[a]..<matrix.rowStart[a + 1], y = matrix.rowStart[b]..<matrix.rowStart[b + 1]
        guard x.count == y.count else { return false }
        for (i, j) in zip(x, y) where matrix.columns[i] != matrix.columns[j] || matrix.values[i].bitPattern != matrix.values[j].bitPattern {
            return false
        }
        return true
    }
}

extension SplitIndex {
    /// The cosine the scan gives `position` with an identical row: its rare terms' squares
    /// summed in column order, as the scatter sums a pair, plus the dense dot product.
    func selfCosine(_ position: Int) -> Float {
        var rare: Float = 0
        for k in rareStart[position]..<rareStart[position + 1] {
            let value = postingValue[Int(rarePosting[k])]
            rare = rare + value * value
        }
        return dense.withUnsafeBufferPointer { dense in
            let mine = dense.baseAddress! + position * denseWidth
            return rare + RowScanner.dot(mine, mine, denseWidth)
        }
    }
}
