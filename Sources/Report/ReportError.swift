import Glibc

/// Why a report could not be written, or an earlier one read back.
public enum ReportError: Error, CustomStringConvertible {
    /// The output directory could not be created or written.
    case directory(path: String, reason: String)
    /// A report file could not be written.
    case file(path: String, reason: String)
    /// A value could not be encoded (a bug, not bad data).
    case encoding(path: String, reason: String)
    /// A report of an earlier run could not be read.
    case read(path: String, reason: String)
    /// A report of an earlier run is not what StoryClust writes (a missing column, a short row).
    case malformed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .directory(path, reason): "cannot write the output directory \(path): \(reason)"
        case let .file(path, reason): "cannot write \(path): \(reason)"
        case let .encoding(path, reason): "cannot encode \(path): \(reason)"
        case let .read(path, reason): "cannot read \(path): \(reason)"
        case let .malformed(path, reason): "\(path): \(reason)"
        }
    }

    static func systemReason() -> String { String(cString: strerror(errno)) }
}
