import Foundation
import Glibc

/// The lines of a file, read through a buffer of a few megabytes: a month's `clusters.json`
/// read back this way never sits in memory whole (nor mapped, which counts it all the same).
final class LineReader {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    init(path: String) throws(ReportError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .read(path: path, reason: ReportReader.reason(path, nil)) }
    }

    deinit {
        close(descriptor)
    }

    /// The next line without its line break, `nil` at the end.
    func next() throws(ReportError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                defer { start = newline + 1 }
                return buffer[start..<newline]
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                return buffer[start...]
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let old = buffer.count, chunk = max(4 << 20, old)
            buffer.append(contentsOf: repeatElement(0, count: chunk))
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + old, chunk) }
            guard count >= 0 else { throw .read(path: path, reason: ReportError.systemReason()) }
            buffer.removeLast(chunk - count)
            if count == 0 { atEnd = true }
        }
    }
}
