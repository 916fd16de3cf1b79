import Glibc

/// Why a report could not be written.
public enum ReportError: Error, CustomStringConvertible {
    /// The output directory could not be created or written.
    case directory(path: String, reason: String)
    /// A report file could not be written.
    case file(path: String, reason: String)
    /// A value could not be encoded (a bug, not bad data).
    case encoding(path: String, reason: String)

    public var description: String {
        switch self {
        case let .directory(path, reason): "cannot write the output directory \(path): \(reason)"
        case let .file(path, reason): "cannot write \(path): \(reason)"
        case let .encoding(path, reason): "cannot encode \(path): \(reason)"
        }
    }

    static func systemReason() -> String { String(cString: strerror(errno)) }
}
