import ArgumentParser
import Foundation
import Report

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
