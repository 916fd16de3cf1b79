import Dispatch
import Foundation
import Synchronization

/// Wall time per pipeline stage.
public struct StageClock: Sendable {
    private var last = DispatchTime.now().uptimeNanoseconds
    public private(set) var laps: [(stage: String, seconds: Double)] = []

    public init() {}

    public mutating func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((stage, Double(now - last) / 1e9))
        last = now
    }

    public var total: Double { laps.reduce(0) { $0 + $1.seconds } }
}

/// Progress lines on standard error: one per stage, and live counters with rate and ETA.
public final class ProgressLines: Sendable {
    public let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    public func stage(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(elapsed)] \(message)\n".utf8))
    }

    /// Rewrites the current line (no line break): for counters that tick.
    public func status(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(message)".utf8))
    }

    /// A live counter for one stage: done of total, rate and ETA, at most ten times a second.
    public func counter(_ stage: String, unit: String) -> (@Sendable (Int, Int) -> Void)? {
        counter(stage, unit: unit) { DispatchTime.now().uptimeNanoseconds }
    }

    /// ``counter(_:unit:)`` reading `clock` (nanoseconds; tests pass their own).
    func counter(_ stage: String, unit: String, clock: @escaping @Sendable () -> UInt64) -> (@Sendable (Int, Int) -> Void)? {
        guard enabled else { return nil }
        let begun = clock()
        let lastShown = Atomic<UInt64>(0)
        return { done, total in
            let now = clock()
            let previous = lastShown.load(ordering: .relaxed)
            guard Self.due(now: now, lastShown: previous, done: done, total: total),
                  lastShown.compareExchange(expected: previous, desired: now, ordering: .relaxed).exchanged
            else { return }
            let seconds = Double(now >= begun ? now - begun : 0) / 1e9
            let rate = Double(done) / max(seconds, 1e-9)
            let eta = Double(total - done) / max(rate, 1e-9)
            FileHandle.standardError.write(Data(String(
                format: "\r\u{1B}[K%@: %d/%d %@, %.0f/s, ETA %.0f s", stage, done, total, unit, rate, eta).utf8))
        }
    }

    /// Whether a counter shows a line at `now`: at the end, or a tenth of a second after the
    /// last line. Workers read the clock before they read `lastShown`, so another worker may have
    /// shown a line stamped after `now`: that is not due (a difference of clock readings would
    /// wrap around, and did stop a month's update in its similarity stage).
    static func due(now: UInt64, lastShown: UInt64, done: Int, total: Int) -> Bool {
        done == total || (now >= lastShown && now - lastShown >= 100_000_000)
    }

    public func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(elapsed)] done\n".utf8))
    }

    private var elapsed: String {
        String(format: "%6.2fs", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
