/// One worker's accumulator and marks, allocated once and reused for every row.
///
/// The buffers are raw allocations owned by the scanner for the life of one worker: the inner
/// loops run on plain pointers, so the compiler keeps them in registers.
struct RowScanner: ~Copyable {
    /// Rare-term sums per partner position; zero between rows.
    private let sums: UnsafeMutablePointer<Float>
    /// The last row that scored each position, so that no pair is scored twice.
    private let scoredBy: UnsafeMutablePointer<Int32>
    /// Positions with a nonzero sum for the current row (one spare slot for branch-free writes).
    private let touched: UnsafeMutablePointer<Int32>
    /// Partners whose bound reaches the threshold, and their rare sums.
    private let passed: UnsafeMutablePointer<Int32>
    private let passedSums: UnsafeMutablePointer<Float>
    /// This worker's counts of postings, bounds and dense dots, so far.
    private let counts: UnsafeMutablePointer<(postings: Int, bounds: Int, denseDots: Int, width: Int)>

    init(count: Int) {
        counts = .allocate(capacity: 1)
        counts.initialize(to: (0, 0, 0, 0))
        sums = .allocate(capacity: count)
        sums.initialize(repeating: 0, count: count)
        scoredBy = .allocate(capacity: count)
        scoredBy.initialize(repeating: -1, count: count)
        touched = .allocate(capacity: count + 1)
        touched.initialize(repeating: 0, count: count + 1)
        passed = .allocate(capacity: count + 1)
        passed.initialize(repeating: 0, count: count + 1)
        passedSums = .allocate(capacity: count + 1)
        passedSums.initialize(repeating: 0, count: count + 1)
    }

    deinit {
        counts.deallocate()
        sums.deallocate()
        scoredBy.deallocate()
        touched.deallocate()
        passed.deallocate()
        passedSums.deallocate()
    }

    /// What this worker's scans computed so far.
    var work: ScanWork {
        var work = ScanWork()
        work.postings = counts.pointee.postings
        work.bounds = counts.pointee.bounds
        work.denseDots = counts.pointee.denseDots
        work.denseWidth = counts.pointee.width
        return work
    }

    /// Appends the pairs of `position` with its later partners that reach the threshold.
    func scan(
        _ position: Int, time: TimeOrder, index: SplitIndex, bound: DenseBound,
        threshold: Float, into found: inout [ScoredPair]
    ) {
        let last = Int(time.lastInWindow[position])
        let undatedFrom = max(time.datedEnd, last + 1)
        let width = index.denseWidth
        let norm = index.denseNorm[position]
        let slack = DenseBound.slack
        // Partners sharing no rare term need scoring only when the dense parts can reach the
        // threshold on their own; then the partners scored through a rare term are marked.
        let sharesOnlyDense = norm * bound.largestNorm + slack >= threshold
        var touchedCount = 0
        var passedCount = 0
        var postings = 0
        var denseDots = 0
        defer {
            counts.pointee.postings &+= postings
            counts.pointee.bounds &+= touchedCount
            counts.pointee.denseDots &+= denseDots
            counts.pointee.width = width
        }

        index.postingPosition.withUnsafeBufferPointer { positions in
            index.postingValue.withUnsafeBufferPointer { values in
                let positions = positions.baseAddress!, values = values.baseAddress!
                for k in index.rareStart[position]..<index.rareStart[position + 1] {
                    let column = Int(index.rareColumn[k])
                    let own = Int(index.rarePosting[k])
                    let end = index.postingStart[column + 1]
                    let weight = values[own]
                    let windowEnd = Self.firstPosting(after: last, in: positions, own + 1, end)
                    Self.scatter(positions, values, (own + 1)..<windowEnd, weight, sums, touched, &touchedCount)
                    let undated = max(windowEnd, index.undatedPosting[column])
                    Self.scatter(positions, values, undated..<end, weight, sums, touched, &touchedCount)
                    postings &+= (windowEnd - own - 1) + max(0, end - undated)
                }
            }
        }

        // Bounds first, for every touched partner (branch-free), then exact scores for the few
        // that pass: their dense rows are fetched back to back, so the memory loads overlap.
        index.denseNorm.withUnsafeBufferPointer { norms in
            let norms = norms.baseAddress!
            for t in 0..<touchedCount {
                let other = Int(touched[t])
                let rare = sums[other]
                sums[other] = 0
                if sharesOnlyDense { scoredBy[other] = Int32(truncatingIfNeeded: position) }
                passed[passedCount] = Int32(truncatingIfNeeded: other)
                passedSums[passedCount] = rare
                // A Bool is one byte, 0 or 1: counted without a branch that the bound would
                // mispredict.
                passedCount &+= Int(unsafeBitCast(rare + norm * norms[other] + slack >= threshold, to: UInt8.self))
            }
        }
        let row = time.order[position]
        index.dense.withUnsafeBufferPointer { dense in
            let mine = dense.baseAddress! + position * width
            func keep(_ t: Int, _ dense: Float) {
                let cosine = passedSums[t] + dense
                if cosine >= threshold {
                    let b = time.order[Int(passed[t])]
                    found.append(ScoredPair(first: min(row, b), second: max(row, b), cosine: cosine))
                }
            }
            // Two partners at a time: their rows are fetched side by side, so that one's cache
            // misses overlap the other's (each sum is the same as alone).
            var t = 0
            while t + 1 < passedCount {
                let (x, y) = Self.dot(mine, dense.baseAddress! + Int(passed[t]) * width, dense.baseAddress! + Int(passed[t + 1]) * width, width)
                keep(t, x)
                keep(t + 1, y)
                t += 2
            }
            if t < passedCount { keep(t, Self.dot(mine, dense.baseAddress! + Int(passed[t]) * width, width)) }
            denseDots &+= passedCount
            guard sharesOnlyDense else { return }

            // Partners sharing no rare term: only the dense part can bring them to the threshold.
            let least = threshold / norm - slack
            for range in [(position + 1)..<(last + 1), undatedFrom..<time.order.count] where !range.isEmpty {
                for block in Int(bound.blockOf[range.lowerBound])...Int(bound.blockOf[range.upperBound - 1]) {
                    for l in bound.listStart[block]..<bound.listStart[block + 1] {
                        let other = Int(bound.listPosition[l])
                        if index.denseNorm[other] < least { break }
                        guard range.contains(other), scoredBy[other] != Int32(position) else { continue }
                        denseDots &+= 1
                        let cosine = Self.dot(mine, dense.baseAddress! + other * width, width)
                        if cosine >= threshold {
                            let b = time.order[other]
                            found.append(ScoredPair(first: min(row, b), second: max(row, b), cosine: cosine))
                        }
                    }
                }
            }
        }
    }

    /// Adds `weight ×` each posting's value in `range` to its position's sum, listing the
    /// positions whose sum was zero. Branch-free: a position is always written to the next slot
    /// of `touched`, and the count moves on only when it was new.
    @inline(__always)
    private static func scatter(
        _ positions: UnsafePointer<Int32>, _ values: UnsafePointer<Float>, _ range: Range<Int>, _ weight: Float,
        _ sums: UnsafeMutablePointer<Float>, _ touched: UnsafeMutablePointer<Int32>, _ count: inout Int
    ) {
        var n = count
        for q in range {
            let other = Int(positions[q])
            let sum = sums[other]
            touched[n] = positions[q]
            n &+= sum == 0 ? 1 : 0
            sums[other] = sum + weight * values[q]
        }
        count = n
    }

    /// The first posting in `from..<to` whose position is after `last` (binary search).
    @inline(__always)
    private static func firstPosting(after last: Int, in positions: UnsafePointer<Int32>, _ from: Int, _ to: Int) -> Int {
        // When the window reaches past the column's last posting (every row of a corpus
        // shorter than the window), no search is needed.
        if from < to && Int(positions[to - 1]) <= last { return to }
        var low = from, high = to
        while low < high {
            let mid = (low + high) / 2
            if Int(positions[mid]) <= last { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// ``dot(_:_:_:)`` of `a` with `b` and with `c`, the two in one loop.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, _ width: Int) -> (Float, Float) {
        var lowB = SIMD4<Float>(), highB = SIMD4<Float>(), lowC = SIMD4<Float>(), highC = SIMD4<Float>()
        var i = 0
        while i < width {
            let low = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD4<Float>.self)
            let high = UnsafeRawPointer(a + i + 4).loadUnaligned(as: SIMD4<Float>.self)
            lowB += low * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD4<Float>.self)
            highB += high * UnsafeRawPointer(b + i + 4).loadUnaligned(as: SIMD4<Float>.self)
            lowC += low * UnsafeRawPointer(c + i).loadUnaligned(as: SIMD4<Float>.self)
            highC += high * UnsafeRawPointer(c + i + 4).loadUnaligned(as: SIMD4<Float>.self)
            i += 8
        }
        return ((lowB + highB).sum(), (lowC + highC).sum())
    }

    /// The dot product of two dense parts, eight lanes at a time (`width` is a multiple of 8).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ width: Int) -> Float {
        var low = SIMD4<Float>(), high = SIMD4<Float>()
        var i = 0
        while i < width {
            low += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD4<Float>.self) * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD4<Float>.self)
            high += UnsafeRawPointer(a + i + 4).loadUnaligned(as: SIMD4<Float>.self) * UnsafeRawPointer(b + i + 4).loadUnaligned(as: SIMD4<Float>.self)
            i += 8
        }
        return (low + high).sum()
    }
}

extension RowScanner {
    /// Keeps the best `cap` of the pairs `row` found, `found[start...]`: highest cosine first,
    /// ties to the partner of lower `rank`, so that the same pairs stay whatever the row order
    /// and thread count. The kept pairs are left in that order; the engine sorts them all later.
    /// - Returns: the lowest cosine kept.
    static func keepBest(_ cap: Int, of found: inout [ScoredPair], from start: Int, row: Int32, rank: [Int32]) -> Float {
        func partner(_ pair: ScoredPair) -> Int { Int(pair.first == row ? pair.second : pair.first) }
        found[start...].sort { x, y in
            x.cosine != y.cosine ? x.cosine > y.cosine : rank[partner(x)] < rank[partner(y)]
        }
        found.removeSubrange((start + cap)...)
        return found[start + cap - 1].cosine
    }
}
