import Cluster
import Testing
import Vectors

@Suite struct StoryTimeScaleTests {
    let rule = StoryTimeScale(minimumPairs: 3)
    let window: Int64 = 84 * 3_600

    /// Pairs (i, i + 1) at the given cosines over articles published at `times`.
    func pairs(_ cosines: [Float]) -> [ScoredPair] {
        cosines.enumerated().map { ScoredPair(first: Int32($0.offset), second: Int32($0.offset + 1), cosine: $0.element) }
    }

    @Test func storiesSecondsApartShortenTheWindowToAHundredTimesTheirMedianGap() {
        // Confident pairs 10, 20 and 30 s apart: window 100 × 20 s.
        let published: [Int64?] = [0, 10, 30, 60]
        let measured = rule.measure(pairs([0.6, 0.7, 0.55]), published: published, duplicateThreshold: 0.85, window: window)
        #expect(measured == StoryTimeScale.Measurement(pairs: 3, medianSeconds: 20, window: 2_000))
    }

    @Test func publishTimesHoursApartKeepTheWindow() {
        let published: [Int64?] = [0, 7_200, 14_400, 25_200]
        let measured = rule.measure(pairs([0.6, 0.7, 0.55]), published: published, duplicateThreshold: 0.85, window: window)
        #expect(measured.medianSeconds == 7_200 && measured.window == window, "100 × 2 h is past 84 h")
    }

    @Test func copiesWeakPairsAndUndatedArticlesAreNotCounted() {
        // Only the pairs at 0.5 to 0.85 with both times count: here two, fewer than the three needed.
        let published: [Int64?] = [0, 1, 2, nil, 4, 5]
        let measured = rule.measure(pairs([0.9, 0.6, 0.7, 0.6, 0.3]), published: published, duplicateThreshold: 0.85, window: window)
        #expect(measured == StoryTimeScale.Measurement(pairs: 1, medianSeconds: nil, window: window))
    }

    @Test func theWindowNeverGoesUnderAQuarterHourNorMovesOnIdenticalStampsOrWithoutAWindow() {
        let seconds: [Int64?] = [0, 1, 2, 3]
        #expect(rule.measure(pairs([0.6, 0.6, 0.6]), published: seconds, duplicateThreshold: 0.85, window: window).window == 900)
        let sameStamp: [Int64?] = [0, 0, 0, 0]
        #expect(rule.measure(pairs([0.6, 0.6, 0.6]), published: sameStamp, duplicateThreshold: 0.85, window: window).window == window,
                "dates without a time of day resolve nothing")
        #expect(rule.measure(pairs([0.6, 0.6, 0.6]), published: seconds, duplicateThreshold: 0.85, window: nil).window == nil)
    }

    @Test func theMedianDoesNotDependOnPairOrder() {
        let published: [Int64?] = (0..<8).map { Int64($0 * $0 * 5) }
        let all = pairs([0.6, 0.7, 0.55, 0.8, 0.65, 0.5, 0.75])
        let reference = rule.measure(all, published: published, duplicateThreshold: 0.85, window: window)
        #expect(rule.measure(all.reversed(), published: published, duplicateThreshold: 0.85, window: window) == reference)
        #expect(reference.medianSeconds == 35 && reference.window == 3_500)
    }

    @Test func pairsOutsideTheAdaptedWindowAreDroppedUndatedOnesKept() {
        let published: [Int64?] = [0, 100, 5_000, nil]
        let all = [ScoredPair(first: 0, second: 1, cosine: 0.3), ScoredPair(first: 1, second: 2, cosine: 0.3),
                   ScoredPair(first: 2, second: 3, cosine: 0.3)]
        #expect(StoryTimeScale.inside(all, published: published, window: 900) == [all[0], all[2]])
    }
}
