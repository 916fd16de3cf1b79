extension AverageLinkage {
    /// A possible merge: a link between two groups and its mean weight when it was computed.
    ///
    /// The order is kept as two integers so that comparing two candidates costs two compares:
    /// `order` is the mean's bit pattern mapped so that a higher mean is a larger number, and
    /// `pair` is the complement of `(low, high)`, so that smaller indices are a larger number.
    struct Candidate {
        var order: UInt64
        var pair: UInt64
        var link: Int32

        init(mean: Double, low: Int32, high: Int32, link: Int32) {
            order = Self.order(of: mean)
            pair = ~(UInt64(UInt32(low)) << 32 | UInt64(UInt32(high)))
            self.link = link
        }

        var low: Int32 { Int32(truncatingIfNeeded: ~pair >> 32) }
        var high: Int32 { Int32(truncatingIfNeeded: ~pair) }

        /// A number that orders like `mean` (with -0 equal to 0).
        @inline(__always)
        static func order(of mean: Double) -> UInt64 {
            let bits = (mean + 0).bitPattern
            return bits >> 63 == 0 ? bits | 1 << 63 : ~bits
        }

        /// Whether `x` is taken before `y`: the highest mean first, ties to the smallest indices.
        @inline(__always)
        static func precedes(_ x: Candidate, _ y: Candidate) -> Bool {
            x.order != y.order ? x.order > y.order : x.pair > y.pair
        }
    }
}

/// The waiting merge candidates, taken best first.
///
/// With the plain mean, every candidate made after a merge has a mean no higher than the merge's
/// own (a mean over grown groups is a weighted mean of means that were at most that high), so
/// candidates come out in falling means; the rare higher one goes straight into the heap. They
/// are kept in buckets of nearby means: only the bucket being taken from
/// is a heap, the lower ones are plain arrays until their turn. The heap stays small enough for
/// the cache, and a candidate costs an append and a few heap levels instead of twenty.
struct CandidateQueue: ~Copyable {
    typealias Candidate = AverageLinkage.Candidate

    /// The first candidates, sorted by bucket in place: bucket `b` is
    /// `first[firstStart[b] ..< firstStart[b + 1]]`.
    private let first: [Candidate]
    private let firstStart: [Int]
    /// Candidates made later, by bucket.
    private var later: [[Candidate]]
    private let highest: UInt64
    private let shift: UInt64
    /// The bucket the heap holds; the ones before it are empty.
    private var current = 0
    private var heap = CandidateHeap()

    /// A queue holding `candidates`, whose means, like those of all later candidates, are at
    /// least `lowest` and at most the highest of theirs.
    init(_ candidates: consuming [Candidate], lowest: UInt64) {
        var items = consume candidates
        var highest = lowest
        for c in items { highest = max(highest, c.order) }
        self.highest = highest
        var shift: UInt64 = 0
        while (highest - lowest) >> shift >= 1 << 16 { shift += 1 }
        self.shift = shift
        let bucketCount = Int((highest - lowest) >> shift) + 1
        // Sorted by bucket in place (American flag sort): a second array of them would be
        // hundreds of megabytes on a month.
        var start = [Int](repeating: 0, count: bucketCount + 1)
        for c in items { start[Int((highest - c.order) >> shift) + 1] += 1 }
        for b in 0..<bucketCount { start[b + 1] += start[b] }
        var next = start
        items.withUnsafeMutableBufferPointer { items in
            for b in 0..<bucketCount {
                while next[b] < start[b + 1] {
                    let target = Int((highest - items[next[b]].order) >> shift)
                    if target == b {
                        next[b] += 1
                    } else {
                        items.swapAt(next[b], next[target])
                        next[target] += 1
                    }
                }
            }
        }
        first = items
        firstStart = start
        later = [[Candidate]](repeating: [], count: bucketCount)
        heap.replace(with: first[firstStart[0]..<firstStart[1]], and: &later[0])
    }

    @inline(__always)
    private func bucket(_ c: Candidate) -> Int {
        c.order >= highest ? 0 : Int((highest - c.order) >> shift)
    }

    /// Adds a candidate. One above the bucket being taken from (possible when the linkage is not
    /// a plain mean, see ``AverageLinkage/Evidence``) joins the heap, which still gives the best first.
    mutating func insert(_ c: Candidate) {
        let b = bucket(c)
        if b <= current { heap.insert(c) } else { later[b].append(c) }
    }

    /// The best waiting candidate, `nil` when none is left.
    mutating func removeTop() -> Candidate? {
        while heap.count == 0 {
            current += 1
            guard current < later.count else { return nil }
            heap.replace(with: first[firstStart[current]..<firstStart[current + 1]], and: &later[current])
        }
        return heap.removeTop()
    }
}

/// A binary max-heap of merge candidates in ``AverageLinkage/Candidate/precedes(_:_:)`` order.
///
/// The order is total over the candidates that can be current (one per pair of live groups),
/// so the merges come out in the same order whatever the heap's layout.
struct CandidateHeap: ~Copyable {
    typealias Candidate = AverageLinkage.Candidate
    private var items: UnsafeMutablePointer<Candidate>
    private var capacity = 1024
    private(set) var count = 0

    init() {
        items = .allocate(capacity: capacity)
    }

    deinit {
        items.deallocate()
    }

    private mutating func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<Candidate>.allocate(capacity: capacity)
        grown.moveInitialize(from: items, count: count)
        items.deallocate()
        items = grown
    }

    /// Empties the heap, then fills it with `some` and the candidates of `more` (emptied), in O(n).
    mutating func replace(with some: ArraySlice<Candidate>, and more: inout [Candidate]) {
        reserve(some.count + more.count)
        count = 0
        for c in some {
            items[count] = c
            count += 1
        }
        for c in more {
            items[count] = c
            count += 1
        }
        more = []
        var index = count / 2
        while index > 0 {
            index -= 1
            let item = items[index]
            var hole = index
            while true {
                var child = 2 * hole + 1
                guard child < count else { break }
                if child + 1 < count && Candidate.precedes(items[child + 1], items[child]) { child += 1 }
                guard Candidate.precedes(items[child], item) else { break }
                items[hole] = items[child]
                hole = child
            }
            items[hole] = item
        }
    }

    mutating func insert(_ item: Candidate) {
        reserve(count + 1)
        var child = count
        count += 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Candidate.precedes(item, items[parent]) else { break }
            items[child] = items[parent]
            child = parent
        }
        items[child] = item
    }

    /// Removes and returns the first candidate; the heap must not be empty. The hole left at the
    /// top sinks to a leaf along the better children and the last candidate rises from there:
    /// about one compare per level.
    mutating func removeTop() -> Candidate {
        precondition(count > 0, "removeTop on an empty heap")
        let top = items[0]
        count -= 1
        let last = items[count]
        var hole = 0
        while true {
            var child = 2 * hole + 1
            guard child < count else { break }
            if child + 1 < count && Candidate.precedes(items[child + 1], items[child]) { child += 1 }
            items[hole] = items[child]
            hole = child
        }
        while hole > 0 {
            let parent = (hole - 1) / 2
            guard Candidate.precedes(last, items[parent]) else { break }
            items[hole] = items[parent]
            hole = parent
        }
        items[hole] = last
        return top
    }
}
