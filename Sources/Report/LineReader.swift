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

    /// Where each chunk is read to before it joins ``buffer``.
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 1)

    deinit {
        close(descriptor)
        scratch.deallocate()
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
            let count = read(descriptor, scratch.baseAddress, scratch.count)
            guard count >= 0 else { throw .read(path: path, reason: ReportError.systemReason()) }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
            if count == 0 { atEnd = true }
        }
    }
}
