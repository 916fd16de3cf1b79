/// The cross pairs of two groups that the similarity engine could compare: those published
/// within the window of each other, or with a publish time missing (compared with all).
///
/// Pairs further apart were never scored. Counting them as zero in the mean would punish a story
/// for lasting longer than the window (its first and last articles are never compared); they
/// are left out of the mean instead, while pairs inside the window that scored below the floor
/// still count as zero.
final class ComparablePairs {
    private let window: Int64
    /// Each group's dated members' times, sorted, and its number of undated members.
    private var times: [[Int64]]
    private var undated: [Int]

    init(groupOf: [Int], published: [Int64?], window: Int64) {
        precondition(published.count == groupOf.count, "one publish time per node")
        self.window = window
        times = [[Int64]](repeating: [], count: groupOf.count)
        undated = [Int](repeating: 0, count: groupOf.count)
        for (node, group) in groupOf.enumerated() {
            if let t = published[node] { times[group].append(t) } else { undated[group] += 1 }
        }
        for group in times.indices where times[group].count > 1 { times[group].sort() }
    }

    /// The comparable cross pairs of groups `a` and `b`.
    func count(_ a: Int, _ b: Int) -> Double {
        let x = times[a], y = times[b]
        let all = Double((x.count + undated[a]) * (y.count + undated[b]))
        guard let x0 = x.first, let x1 = x.last, let y0 = y.first, let y1 = y.last,
              x1 - y0 > window || y1 - x0 > window else { return all }
        // Dated pairs more than the window apart: for each time in the shorter list, the other
        // list's times below t - window and above t + window, found with two moving bounds.
        let (short, long) = x.count <= y.count ? (x, y) : (y, x)
        var below = 0, atOrBelowTop = 0, far = 0
        for t in short {
            while below < long.count && long[below] < t - window { below += 1 }
            while atOrBelowTop < long.count && long[atOrBelowTop] <= t + window { atOrBelowTop += 1 }
            far += below + (long.count - atOrBelowTop)
        }
        return all - Double(far)
    }

    /// Moves `fold`'s members into `keep`.
    func merge(_ fold: Int, into keep: Int) {
        undated[keep] += undated[fold]
        undated[fold] = 0
        let x = times[keep], y = times[fold]
        times[fold] = []
        guard !y.isEmpty else { return }
        guard !x.isEmpty else {
            times[keep] = y
            return
        }
        var merged: [Int64] = []
        merged.reserveCapacity(x.count + y.count)
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if x[i] <= y[j] { merged.append(x[i]); i += 1 } else { merged.append(y[j]); j += 1 }
        }
        merged.append(contentsOf: x[i...])
        merged.append(contentsOf: y[j...])
        times[keep] = merged
    }
}
