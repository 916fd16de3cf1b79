/// The live groups of ``AverageLinkage`` and the links between them: one link per pair of linked
/// groups, holding the sum of the edge weights between them.
///
/// This replaces a `[Int: Double]` per group. A link is one slot in a flat array and both of its
/// groups list it. When a group folds into another, each of its links either adds its sum to
/// the keeper's link to the same neighbour (and dies) or is re-pointed at the keeper; the
/// neighbour's own list is left alone, since a dead link is skipped and a re-pointed one is
/// looked up again. Every sum therefore goes through exactly the additions the per-group
/// dictionaries made, in the same order, and the means and merges are the same to the last bit.
///
/// Candidates wait lazily. A merge lowers the means of the keeper's links that did not change
/// sum (the keeper grew, their sums did not), so their waiting candidates stay upper bounds of
/// the truth, with the same tie-breaking indices; ``check(_:)`` finds such a candidate when it
/// comes up and sends it back at its true mean. A new candidate is made only for a link whose
/// sum grew or that moved to the keeper. When a candidate comes up current, every other link's
/// true mean is at most that of its best waiting candidate, so the merges happen in exactly the
/// order of re-evaluating every link of the keeper after every merge.
///
/// The storage is manual (allocated once, freed in `deinit`): the merge loop touches these
/// arrays millions of times, and an `Array` would check uniqueness on every write.
final class LinkageState {
    typealias Candidate = AverageLinkage.Candidate

    /// What a merge reads of each neighbour, kept together so that it costs one cache miss.
    struct Group {
        /// Nodes in the group; 0 once folded into another.
        var size: Int32
        /// Scratch for `merge`: the folded group's link to this group, where `mark` is current.
        var mark: Int32
        var foldedLink: Int32
    }

    struct Link {
        var sum: Double
        /// The two groups; `a` is -1 once the link is dead.
        var a: Int32
        var b: Int32
        /// Hours between the closest-in-time pair of its edges; infinite when none has both times.
        var gap: Float
    }

    /// An entry of a group's list: a link and the group at its other end when it was listed. A
    /// link between two live groups is alive, so only an entry whose group has folded away has
    /// to read the link again.
    struct Entry {
        var link: Int32
        var other: Int32
    }

    /// What ``check(_:)`` found.
    enum Check {
        /// The candidate is its link's true state: merge.
        case current
        /// The link's mean has dropped; here is its new candidate, `nil` below the threshold.
        case lower(Candidate?)
        /// The link is gone or has a newer candidate.
        case stale
    }

    private let groupCount: Int
    private let groups: UnsafeMutablePointer<Group>
    private let links: UnsafeMutablePointer<Link>
    private(set) var linkCount = 0
    /// Each group's list is `pool[listStart[g] ..< listStart[g] + listCount[g]]`, with room up to
    /// `listCapacity[g]`; a list that outgrows its room moves to the end of the pool. Lists may
    /// hold entries of dead links until their group next merges.
    private var pool: UnsafeMutablePointer<Entry>
    private var poolCount = 0
    private var poolCapacity: Int
    private let listStart: UnsafeMutablePointer<Int>
    private let listCount: UnsafeMutablePointer<Int32>
    private let listCapacity: UnsafeMutablePointer<Int32>
    /// Live links per group: the number of neighbouring groups.
    private let degrees: UnsafeMutablePointer<Int32>
    private var stamp: Int32 = 0
    private let threshold: Double
    private let evidence: AverageLinkage.Evidence
    private let comparable: ComparablePairs?

    /// Sums the edges per pair of groups, each pair's weights added in edge order.
    ///
    /// - Parameters:
    ///   - groupOf: each node's group; a group is named by one of its nodes.
    ///   - edge: edge `k` as its two groups (different) and weight, `nil` to skip it; called
    ///     once per edge.
    init(groupOf: [Int], threshold: Double, evidence: AverageLinkage.Evidence = AverageLinkage.Evidence(),
         comparable: ComparablePairs? = nil, edgeCount: Int, edge: (Int) -> (a: Int, b: Int, weight: Float, gap: Float)?) {
        let n = groupOf.count
        groupCount = n
        self.threshold = threshold
        self.evidence = evidence
        self.comparable = comparable
        groups = .allocate(capacity: n)
        groups.initialize(repeating: Group(size: 0, mark: 0, foldedLink: -1), count: n)
        for node in 0..<n { groups[groupOf[node]].size += 1 }

        // The edges by their lower group, in edge order: a stable counting sort that reads the
        // edges twice rather than holding a copy of them (a month has tens of millions). Engine
        // pairs come sorted by their first article, so the scatter mostly writes in order.
        let start = UnsafeMutablePointer<Int>.allocate(capacity: n + 1)
        start.initialize(repeating: 0, count: n + 1)
        var edges = 0
        for k in 0..<edgeCount {
            guard let e = edge(k) else { continue }
            start[min(e.a, e.b) + 1] += 1
            edges += 1
        }
        for i in 0..<n { start[i + 1] += start[i] }
        let sortedUpper = UnsafeMutablePointer<Int32>.allocate(capacity: max(edges, 1))
        let sortedWeight = UnsafeMutablePointer<Float>.allocate(capacity: max(edges, 1))
        let sortedGap = UnsafeMutablePointer<Float>.allocate(capacity: max(edges, 1))
        do {
            let fill = UnsafeMutablePointer<Int>.allocate(capacity: n + 1)
            fill.initialize(from: start, count: n + 1)
            defer { fill.deallocate() }
            for k in 0..<edgeCount {
                guard let e = edge(k) else { continue }
                let low = min(e.a, e.b)
                sortedUpper[fill[low]] = Int32(max(e.a, e.b))
                sortedWeight[fill[low]] = e.weight
                sortedGap[fill[low]] = e.gap
                fill[low] += 1
            }
            assert((0..<n).allSatisfy { fill[$0] == start[$0 + 1] }, "edge(k) must give the same answer twice")
        }

        // A link per (lower, upper) pair; `linkTo[upper]` is the lower group's latest link.
        let links = UnsafeMutablePointer<Link>.allocate(capacity: max(edges, 1))
        let degrees = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        degrees.initialize(repeating: 0, count: n)
        var linkCount = 0
        let linkTo = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        linkTo.initialize(repeating: -1, count: n)
        for low in 0..<n {
            let low32 = Int32(low)
            for k in start[low]..<start[low + 1] {
                let high = Int(sortedUpper[k])
                let existing = Int(linkTo[high])
                if existing >= 0 && links[existing].a == low32 {
                    links[existing].sum += Double(sortedWeight[k])
                    links[existing].gap = min(links[existing].gap, sortedGap[k])
                } else {
                    linkTo[high] = Int32(linkCount)
                    (links + linkCount).initialize(to: Link(sum: Double(sortedWeight[k]), a: low32, b: Int32(high), gap: sortedGap[k]))
                    linkCount += 1
                    degrees[low] += 1
                    degrees[high] += 1
                }
            }
        }
        // Freed before the lists are made: peak memory counts on a month.
        linkTo.deallocate()
        sortedUpper.deallocate()
        sortedWeight.deallocate()
        sortedGap.deallocate()
        start.deallocate()
        self.links = links
        self.degrees = degrees
        self.linkCount = linkCount

        listStart = .allocate(capacity: n)
        listCount = .allocate(capacity: n)
        listCount.initialize(repeating: 0, count: n)
        listCapacity = .allocate(capacity: n)
        listCapacity.initialize(from: degrees, count: n)
        var offset = 0
        for g in 0..<n {
            listStart[g] = offset
            offset += Int(degrees[g])
        }
        // Room for lists that move as their groups grow; more is allocated when needed.
        poolCapacity = max(offset + offset / 2, 16)
        pool = .allocate(capacity: poolCapacity)
        poolCount = offset
        for index in 0..<linkCount {
            let a = Int(links[index].a), b = Int(links[index].b)
            (pool + listStart[a] + Int(listCount[a])).initialize(to: Entry(link: Int32(index), other: Int32(b)))
            listCount[a] += 1
            (pool + listStart[b] + Int(listCount[b])).initialize(to: Entry(link: Int32(index), other: Int32(a)))
            listCount[b] += 1
        }
    }

    deinit {
        groups.deallocate()
        links.deallocate()
        pool.deallocate()
        listStart.deallocate()
        listCount.deallocate()
        listCapacity.deallocate()
        degrees.deallocate()
    }

    /// The number of groups `group` links to.
    func degree(_ group: Int) -> Int32 { degrees[group] }

    /// A candidate for every link whose mean reaches the threshold.
    func firstCandidates() -> [Candidate] {
        var candidates: [Candidate] = []
        candidates.reserveCapacity(linkCount)
        for index in 0..<linkCount {
            if let c = candidate(index) { candidates.append(c) }
        }
        return candidates
    }

    /// Compares a waiting candidate with its link's state now.
    @inline(__always)
    func check(_ c: Candidate) -> Check {
        // A link between two live groups is alive and still joins them; a folded group's links
        // are dead or name its keeper.
        let low = groups[Int(c.low)].size, high = groups[Int(c.high)].size
        guard low > 0 && high > 0 else { return .stale }
        let link = links[Int(c.link)]
        let order = Candidate.order(of: value(link, low, high))
        if order == c.order { return .current }
        return order < c.order ? .lower(candidate(Int(c.link))) : .stale
    }

    @inline(__always)
    private func candidate(_ index: Int) -> Candidate? {
        let link = links[index]
        let mean = value(link, groups[Int(link.a)].size, groups[Int(link.b)].size)
        guard mean >= threshold else { return nil }
        return Candidate(mean: mean, low: min(link.a, link.b), high: max(link.a, link.b), link: Int32(index))
    }

    /// The value a link is merged by, its groups having `sizeA` and `sizeB` nodes.
    @inline(__always)
    private func value(_ link: Link, _ sizeA: Int32, _ sizeB: Int32) -> Double {
        let pairs = comparable?.count(Int(link.a), Int(link.b)) ?? Double(Int(sizeA) * Int(sizeB))
        return evidence.value(sum: link.sum, pairs: pairs, sizeA, sizeB, gap: link.gap)
    }

    /// The live link of the entry at `position` and the group at its other end from `group`,
    /// `nil` for a dead link.
    @inline(__always)
    private func resolve(_ position: Int, of group: Int32) -> (link: Int, other: Int)? {
        let index = Int(pool[position].link)
        let link = links[index]
        guard link.a >= 0 else { return nil }
        return (index, Int(link.a == group ? link.b : link.a))
    }

    /// Adds the folded group's link to `other` into the keeper's `link`, if there is one.
    @inline(__always)
    private func absorb(into link: Int, other: Int, stamp: Int32, push: (Candidate) -> Void) {
        guard groups[other].mark == stamp else { return }
        let folded = Int(groups[other].foldedLink)
        links[link].sum = links[link].sum + links[folded].sum
        links[link].gap = min(links[link].gap, links[folded].gap)
        links[folded].a = -1
        groups[other].mark = 0
        degrees[other] -= 1
        if let c = candidate(link) { push(c) }
    }

    /// Folds group `fold` into `keep` and calls `push` with the candidates of the keeper's links
    /// whose sums grew or that came from the folded group.
    ///
    /// The two groups' links to a common neighbour become one whose sum is the keeper's plus the
    /// folded group's; the link between the two goes.
    func merge(_ fold: Int, into keep: Int, push: (Candidate) -> Void) {
        stamp &+= 1
        let stamp = stamp
        // A single article that becomes a small group may raise its links' values (the
        // small-group boost): their waiting candidates are no longer upper bounds, so all of
        // them are offered again below.
        let keeperRose = groups[keep].size == 1 && evidence.smallGroupBoost > 1
            && evidence.isSmall(groups[keep].size + groups[fold].size)
        groups[keep].size += groups[fold].size
        groups[fold].size = 0
        comparable?.merge(fold, into: keep)
        let fold32 = Int32(fold), keep32 = Int32(keep)

        // Mark the folded group's neighbours.
        let foldStart = listStart[fold], foldEnd = foldStart + Int(listCount[fold])
        for position in foldStart..<foldEnd {
            guard let (link, other) = resolve(position, of: fold32) else { continue }
            if other == keep {
                links[link].a = -1
            } else {
                groups[other].mark = stamp
                groups[other].foldedLink = Int32(link)
            }
        }
        degrees[keep] -= 1
        degrees[fold] = 0

        // The keeper's links to a common neighbour take the folded group's sum; entries of dead
        // links go.
        let start = listStart[keep]
        var kept = start
        for position in start..<(start + Int(listCount[keep])) {
            let entry = pool[position]
            let other = Int(entry.other)
            if groups[other].size > 0 {
                pool[kept] = entry
                kept += 1
                absorb(into: Int(entry.link), other: other, stamp: stamp, push: push)
            } else if let (link, other) = resolve(position, of: keep32) {
                // The neighbour folded into another group, which this link names now.
                pool[kept] = Entry(link: Int32(link), other: Int32(other))
                kept += 1
                absorb(into: link, other: other, stamp: stamp, push: push)
            }
        }
        listCount[keep] = Int32(kept - start)
        if keeperRose {
            for position in start..<kept {
                if let (link, _) = resolve(position, of: keep32), let c = candidate(link) { push(c) }
            }
        }

        // The folded group's other links move to the keeper.
        for position in foldStart..<foldEnd {
            guard let (link, other) = resolve(position, of: fold32), groups[other].mark == stamp else { continue }
            groups[other].mark = 0
            if links[link].a == fold32 { links[link].a = keep32 } else { links[link].b = keep32 }
            append(Entry(link: Int32(link), other: Int32(other)), to: keep)
            degrees[keep] += 1
            if let c = candidate(link) { push(c) }
        }
        listCount[fold] = 0
    }

    private func append(_ entry: Entry, to group: Int) {
        if listCount[group] == listCapacity[group] {
            let count = Int(listCount[group])
            let capacity = max(4, 2 * count)
            if poolCount + capacity > poolCapacity {
                poolCapacity = max(poolCapacity + poolCapacity / 2, poolCount + capacity)
                let grown = UnsafeMutablePointer<Entry>.allocate(capacity: poolCapacity)
                grown.moveInitialize(from: pool, count: poolCount)
                pool.deallocate()
                pool = grown
            }
            (pool + poolCount).moveInitialize(from: pool + listStart[group], count: count)
            listStart[group] = poolCount
            listCapacity[group] = Int32(capacity)
            poolCount += capacity
        }
        pool[listStart[group] + Int(listCount[group])] = entry
        listCount[group] += 1
    }
}
