import Synchronization
import Testing
@testable import StoryPipeline

/// The live counters are called from the similarity workers at once.
@Suite struct ProgressLinesTests {
    @Test func aLineIsDueAtTheEndOrATenthOfASecondAfterTheLast() {
        #expect(ProgressLines.due(now: 250_000_000, lastShown: 100_000_000, done: 3, total: 9))
        #expect(!ProgressLines.due(now: 150_000_000, lastShown: 100_000_000, done: 3, total: 9))
        #expect(ProgressLines.due(now: 150_000_000, lastShown: 100_000_000, done: 9, total: 9))
    }

    /// A worker that read the clock before another worker showed a line sees a last line stamped
    /// after its own time: it shows nothing (the difference once wrapped around and trapped).
    @Test func aWorkerWhoseClockReadingPredatesTheLastLineShowsNothing() {
        #expect(!ProgressLines.due(now: 100, lastShown: 200_000_000, done: 3, total: 9))
        let readings = Mutex<[UInt64]>([0, 300_000_000, 250_000_000, 500_000_000])
        let clock: @Sendable () -> UInt64 = { readings.withLock { $0.isEmpty ? 600_000_000 : $0.removeFirst() } }
        let counter = ProgressLines(enabled: true).counter("test", unit: "steps", clock: clock)
        counter?(1, 9)   // at 0.3 s: shown
        counter?(2, 9)   // read 0.25 s, before the line just shown: not shown, and no trap
        counter?(3, 9)   // at 0.5 s: shown
        #expect(readings.withLock { $0.isEmpty })
    }
}
