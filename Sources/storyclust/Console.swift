import ArgumentParser
import Dispatch
import Foundation
import Report
import Synchronization

/// Messages on standard error and the exit statuses that go with them.
enum Console {
    /// Writes `storyclust: MESSAGE` and a line break to standard error.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("storyclust: \(message)\n".utf8))
    }

    /// Prints the message and returns the I/O exit status (EX_IOERR, 74).
    static func ioFailure(_ message: String) -> ExitCode {
        error("error: \(message)")
        return ExitCode(74)
    }

    /// Prints the message and returns the data-error exit status (EX_DATAERR, 65).
    static func dataFailure(_ message: String) -> ExitCode {
        error("error: \(message)")
        return ExitCode(65)
    }

    /// Prints the message and returns the usage exit status (EX_USAGE, 64).
    static func usageFailure(_ message: String) -> ExitCode {
        error("error: \(message)")
        return ExitCode(64)
    }

    /// Prints a report error and returns its status: 65 for a report that is not what StoryClust
    /// writes, 74 for one that cannot be read or written.
    static func reportFailure(_ error: ReportError) -> ExitCode {
        if case .malformed = error { return dataFailure("\(error)") }
        return ioFailure("\(error)")
    }

    /// A setting as short as it can be written, as one would type it: 0.18, 2, 0.5.
    static func number(_ value: Float) -> String {
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Writes `storyclust: warning: MESSAGE` to standard error (even under `--quiet`: a warning
    /// says the numbers printed may not mean what they seem).
    static func warning(_ message: String) {
        error("warning: \(message)")
    }
}

/// Wall time per pipeline stage.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var laps: [(stage: String, seconds: Double)] = []

    mutating func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((stage, Double(now - last) / 1e9))
        last = now
    }

    var total: Double { laps.reduce(0) { $0 + $1.seconds } }
}

/// Progress lines on standard error: one per stage, and live counters with rate and ETA.
final class Progress: Sendable {
    let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func stage(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(elapsed)] \(message)\n".utf8))
    }

    /// Rewrites the current line (no line break): for counters that tick.
    func status(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(message)".utf8))
    }

    /// A live counter for one stage: done of total, rate and ETA, at most ten times a second.
    func counter(_ stage: String, unit: String) -> (@Sendable (Int, Int) -> Void)? {
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

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(elapsed)] done\n".utf8))
    }

    private var elapsed: String {
        String(format: "%6.2fs", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
