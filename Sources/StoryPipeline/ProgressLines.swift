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
        guard enabled else { return nil }
        let begun = DispatchTime.now().uptimeNanoseconds
        let lastShown = Atomic<UInt64>(0)
        return { done, total in
            let now = DispatchTime.now().uptimeNanoseconds
            let previous = lastShown.load(ordering: .relaxed)
            guard done == total || now - previous >= 100_000_000,
                  lastShown.compareExchange(expected: previous, desired: now, ordering: .relaxed).exchanged
            else { return }
            let seconds = Double(now - begun) / 1e9
            let rate = Double(done) / max(seconds, 1e-9)
            let eta = Double(total - done) / max(rate, 1e-9)
            FileHandle.standardError.write(Data(String(
                format: "\r\u{1B}[K%@: %d/%d %@, %.0f/s, ETA %.0f s", stage, done, total, unit, rate, eta).utf8))
        }
    }

    public func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(elapsed)] done\n".utf8))
    }

    private var elapsed: String {
        String(format: "%6.2fs", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
