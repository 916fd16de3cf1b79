public import Vectors

/// How far apart in time the reports of one story come in this corpus, measured on its own
/// confident pairs, and the comparison window that follows from it (README, "Story time scale").
///
/// The default window (84 hours) is made for publish times: the coverage of one story spreads
/// over hours to days. Some inputs carry other times: an aggregator dump stamps each item when
/// the aggregator filed it under its story, so one story's items are seconds apart while
/// another story on the same subject (the same celebrity, the same company) comes hours
/// later. The corpus says which it is: its *confident pairs* (cosine at least
/// ``lowestCosine`` but under the duplicate threshold, so that copies of one wire text, which
/// often share a time stamp, do not count) are one story most of the time, and their median
/// time apart is the time scale of its stories. The window becomes ``reach`` times that
/// median when this is shorter than the configured window, never shorter than
/// ``shortestWindow``; a median of 0 (dates without a time of day, one stamp for a whole
/// batch) resolves nothing and leaves the window as it is. With publish times the median is hours (synthetic corpora: about 2 h;
/// the window would need a median under 50 minutes to move), so such corpora are compared as
/// before.
public struct StoryTimeScale: Sendable, Hashable {
    /// The lowest cosine of a confident pair.
    public var lowestCosine: Float
    /// Confident dated pairs needed before the median is trusted.
    public var minimumPairs: Int
    /// The window in multiples of the median time apart of the confident pairs.
    public var reach: Int64
    /// The shortest window, in seconds: feeds are polled every few minutes, so times closer
    /// than that say little.
    public var shortestWindow: Int64

    public init(lowestCosine: Float = 0.5, minimumPairs: Int = 50, reach: Int64 = 100, shortestWindow: Int64 = 900) {
        precondition(lowestCosine > 0 && lowestCosine <= 1 && minimumPairs >= 1 && reach >= 1 && shortestWindow >= 0,
                     "story time scale settings out of range")
        self.lowestCosine = lowestCosine
        self.minimumPairs = minimumPairs
        self.reach = reach
        self.shortestWindow = shortestWindow
    }

    /// What was measured on one corpus.
    public struct Measurement: Sendable, Hashable {
        /// Confident pairs with both publish times.
        public var pairs: Int
        /// Their median time apart in seconds; `nil` with fewer than ``StoryTimeScale/minimumPairs``.
        public var medianSeconds: Int64?
        /// The window the linkage compares within: the configured one or, when the stories'
        /// time scale is short, `reach` times the median.
        public var window: Int64?

        public init(pairs: Int, medianSeconds: Int64?, window: Int64?) {
            self.pairs = pairs
            self.medianSeconds = medianSeconds
            self.window = window
        }
    }

    /// Measures the confident pairs among `pairs` (any order: the median does not depend on it)
    /// under the configured `window` (`nil`: no window, which is kept).
    /// - Complexity: O(P) for P pairs, plus sorting the confident ones.
    public func measure(_ pairs: [ScoredPair], published: [Int64?], duplicateThreshold: Float, window: Int64?) -> Measurement {
        var gaps: [Int64] = []
        for pair in pairs where pair.cosine >= lowestCosine && pair.cosine < duplicateThreshold {
            guard let a = published[Int(pair.first)], let b = published[Int(pair.second)] else { continue }
            gaps.append(a > b ? a - b : b - a)
        }
        guard gaps.count >= minimumPairs else { return Measurement(pairs: gaps.count, medianSeconds: nil, window: window) }
        gaps.sort()
        let median = gaps.count % 2 == 1 ? gaps[gaps.count / 2] : (gaps[gaps.count / 2 - 1] + gaps[gaps.count / 2]) / 2
        // A median of 0 says the times do not resolve the stories (dates without a time of
        // day, one time stamp for a whole batch): nothing to adapt to.
        guard let window, median > 0 else { return Measurement(pairs: gaps.count, medianSeconds: median, window: window) }
        let (scaled, overflow) = median.multipliedReportingOverflow(by: reach)
        let adapted = overflow ? window : min(window, max(shortestWindow, scaled))
        return Measurement(pairs: gaps.count, medianSeconds: median, window: adapted)
    }

    /// The pairs inside `window`: those with a publish time missing (compared with all, as the
    /// engine does) or at most `window` seconds apart.
    public static func inside(_ pairs: [ScoredPair], published: [Int64?], window: Int64) -> [ScoredPair] {
        pairs.filter { pair in
            guard let a = published[Int(pair.first)], let b = published[Int(pair.second)] else { return true }
            return (a > b ? a - b : b - a) <= window
        }
    }
}
