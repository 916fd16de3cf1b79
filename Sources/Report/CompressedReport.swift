import Corpus
import Foundation

/// Reports kept compressed: a shard's `pairs.csv` may be stored as `pairs.csv.zst` (or `.gz`)
/// where it is kept, and is read as if it were plain. The plain file wins when both exist.
enum CompressedReport {
    /// The extensions tried after a missing `NAME`, in order.
    static let extensions = ["zst", "gz"]

    /// The file to read for the report `path`: itself when it exists, else its compressed
    /// form, with the compression; `path` itself when neither exists (the open names it).
    static func locate(_ path: String) -> (path: String, compression: Compression?) {
        if FileManager.default.fileExists(atPath: path) { return (path, nil) }
        for ext in extensions {
            let candidate = path + "." + ext
            if FileManager.default.fileExists(atPath: candidate) { return (candidate, Compression(extension: ext)) }
        }
        return (path, nil)
    }

    /// The whole inflated contents of a small report kept compressed (`rejects.csv`,
    /// `calibration.csv`); `nil` when `path` itself exists or nothing stands in for it.
    static func inflated(_ path: String) throws(ReportError) -> (path: String, data: Data)? {
        let found = locate(path)
        guard found.compression != nil else { return nil }
        let file = try ChunkedFile(path, located: found)
        var data = Data()
        while !file.atEnd {
            try file.fill()
            data.append(contentsOf: file.buffer[file.start...])
            file.start = file.buffer.count
        }
        return (found.path, data)
    }
}
