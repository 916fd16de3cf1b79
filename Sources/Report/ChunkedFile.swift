import Glibc

/// A file read front to back through a buffer of a few megabytes, for the readers of large
/// reports (``LineReader``, ``CSVRecordScanner``): a month's report never sits in memory whole
/// (nor mapped, which counts it all the same). The bytes not yet consumed are `buffer[start...]`.
final class ChunkedFile {
    let path: String
    private let descriptor: Int32
    /// Where each chunk is read to before it joins ``buffer``.
    private let scratch: UnsafeMutableRawBufferPointer
    /// Bytes read so far that are still held; those before ``start`` are consumed.
    private(set) var buffer: [UInt8] = []
    /// Where the bytes not yet consumed start in ``buffer``.
    var start = 0
    /// Whether the rest of the file is in ``buffer``.
    private(set) var atEnd = false

    static let chunk = 4 << 20

    init(path: String) throws(ReportError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .read(path: path, reason: ReportReader.reason(path, nil)) }
        scratch = .allocate(byteCount: Self.chunk, alignment: 1)
    }

    deinit {
        close(descriptor)
        scratch.deallocate()
    }

    /// Drops the consumed bytes and appends the next chunk of the file; at its end, none, and
    /// ``atEnd`` is set.
    func fill() throws(ReportError) {
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
