/// The cross pairs of two groups that the similarity engine could compare: those published
/// within the window of each other, or with a publish time missing (compared with all).
///
/// Pairs further apart were never scored. Counting them as zero in the mean would punish a story
/// for lasting longer than the window (its first and last articles are never compared); they
/// are left out of the mean instead, while pairs inside the window that scored below the floor
/// still count as zero.
///
/// Most questions are answered from each group's earliest and latest times: when the two groups
/// together span no more than the window, every cross pair was comparable. Only groups that
/// span more need their members' times, sorted; those lists are built when first asked for and
/// kept (merged on a merge) from then on, so a run whose stories fit in the window builds none.
final class ComparablePairs {
    private let window: Int64
    private let published: [Int64?]
    /// Per group (named by one of its nodes): earliest and latest time, dated and undated members.
    private var earliest: [Int64]
    private var latest: [Int64]
    private var dated: [Int]
    private var undated: [Int]
    /// Members as linked lists: `next[node]` (-1 ends), `last[group]` the list's tail.
    private var next: [Int32]
    private var last: [Int32]
    /// A group's dated times, sorted, once some question needed them.
    private var sortedTimes: [Int: [Int64]] = [:]

    /// `nil` when no two dated articles are more than `window` apart: then every pair was compared.
    init?(groupOf: [Int], published: [Int64?], window: Int64) {
        precondition(published.count == groupOf.count, "one publish time per node")
        let times = published.compactMap { $0 }
        guard let low = times.min(), let high = times.max(), high - low > window else { return nil }
        let n = groupOf.count
        self.window = window
        self.published = published
        earliest = [Int64](repeating: .max, count: n)
        latest = [Int64](repeating: .min, count: n)
        dated = [Int](repeating: 0, count: n)
        undated = [Int](repeating: 0, count: n)
        next = [Int32](repeating: -1, count: n)
        last = [Int32](repeating: -1, count: n)
        for node in 0..<n {
            let group = groupOf[node]
            if let t = published[node] {
                earliest[group] = min(earliest[group], t)
                latest[group] = max(latest[group], t)
                dated[group] += 1
            } else {
                undated[group] += 1
            }
        }
        // The group's own node heads its list; the others follow in node order.
        for group in 0..<n where groupOf[group] == group { last[group] = Int32(group) }
        for node in 0..<n where groupOf[node] != node {
            let group = groupOf[node]
            next[Int(last[group])] = Int32(node)
            last[group] = Int32(node)
        }
    }

    /// The comparable cross pairs of groups `a` and `b`.
    func count(_ a: Int, _ b: Int) -> Double {
        let all = Double((dated[a] + undated[a]) * (dated[b] + undated[b]))
        guard dated[a] > 0 && dated[b] > 0,
              max(latest[a], latest[b]) - min(earliest[a], earliest[b]) > window else { return all }
        // Dated pairs more than the window apart: for each time in the shorter list, the other
        // list's times below t - window and above t + window. A few times against a long list
        // search it; lists of like length are walked with two moving bounds.
        let x = times(a), y = times(b)
        let (short, long) = x.count <= y.count ? (x, y) : (y, x)
        var far = 0
        if short.count * (Int.bitWidth - long.count.leadingZeroBitCount) < long.count {
            for t in short {
                far += Self.firstIndex(in: long) { $0 >= t - window }
                far += long.count - Self.firstIndex(in: long) { $0 > t + window }
            }
        } else {
            var below = 0, atOrBelowTop = 0
            for t in short {
                while below < long.count && long[below] < t - window { below += 1 }
                while atOrBelowTop < long.count && long[atOrBelowTop] <= t + window { atOrBelowTop += 1 }
                far += below + (long.count - atOrBelowTop)
            }
        }
        return all - Double(far)
    }

    /// The first index of sorted `list` whose time satisfies `isAbove` (false below it, true from it).
    @inline(__always)
    private static func firstIndex(in list: [Int64], where isAbove: (Int64) -> Bool) -> Int {
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if isAbove(list[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Moves `fold`'s members into `keep`.
    func merge(_ fold: Int, into keep: Int) {
        earliest[keep] = min(earliest[keep], earliest[fold])
        latest[keep] = max(latest[keep], latest[fold])
        dated[keep] += dated[fold]
        undated[keep] += undated[fold]
        dated[fold] = 0
        undated[fold] = 0
        next[Int(last[keep])] = Int32(fold)
        last[keep] = last[fold]
        last[fold] = -1
        let x = sortedTimes.removeValue(forKey: keep), y = sortedTimes.removeValue(forKey: fold)
        if let x, let y { sortedTimes[keep] = Self.merged(x, y) }
    }

    /// Group `group`'s dated times, sorted.
    private func times(_ group: Int) -> [Int64] {
        if let times = sortedTimes[group] { return times }
        var times: [Int64] = []
        times.reserveCapacity(dated[group])
        var node = group
        while node >= 0 {
            if let t = published[node] { times.append(t) }
            node = Int(next[node])
        }
        times.sort()
        sortedTimes[group] = times
        return times
    }

    private static func merged(_ x: [Int64], _ y: [Int64]) -> [Int64] {
        var merged: [Int64] = []
        merged.reserveCapacity(x.count + y.count)
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if x[i] <= y[j] { merged.append(x[i]); i += 1 } else { merged.append(y[j]); j += 1 }
        }
        merged.append(contentsOf: x[i...])
        merged.append(contentsOf: y[j...])
        return merged
    }
}
