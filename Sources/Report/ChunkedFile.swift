import Corpus
import Glibc

/// A file read front to back through a buffer of a few megabytes, for the readers of large
/// reports (``LineReader``, ``CSVRecordScanner``): a month's report never sits in memory whole
/// (nor mapped, which counts it all the same). The bytes not yet consumed are `buffer[start...]`.
///
/// A report kept compressed is read as well: when `NAME` is missing, `NAME.zst` or `NAME.gz` is
/// inflated as it is read (see ``CompressedReport``).
final class ChunkedFile {
    /// The file read: `NAME`, or the compressed file found in its place.
    let path: String
    private let descriptor: Int32
    private let inflater: InflatingReader?
    /// Where each chunk is read to before it joins ``buffer``.
    private let scratch: UnsafeMutableRawBufferPointer
    /// Bytes read so far that are still held; those before ``start`` are consumed.
    private(set) var buffer: [UInt8] = []
    /// Where the bytes not yet consumed start in ``buffer``.
    var start = 0
    /// Whether the rest of the file is in ``buffer``.
    private(set) var atEnd = false

    static let chunk = 4 << 20

    /// Opens the report `path`, or the compressed file in its place.
    convenience init(path: String) throws(ReportError) {
        try self.init(path, located: CompressedReport.locate(path))
    }

    /// Opens `found`, what ``CompressedReport/locate(_:)`` gave for the report `path`.
    init(_ path: String, located found: (path: String, compression: Compression?)) throws(ReportError) {
        self.path = found.path
        descriptor = open(found.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .read(path: path, reason: ReportReader.reason(path, nil)) }
        if let compression = found.compression {
            do {
                inflater = try InflatingReader(descriptor: descriptor, compression: compression)
            } catch {
                close(descriptor)
                throw .read(path: found.path, reason: error.reason)
            }
        } else {
            inflater = nil
        }
        scratch = .allocate(byteCount: Self.chunk, alignment: 1)
    }

    deinit {
        if inflater == nil { close(descriptor) }  // the inflater closes its own
        scratch.deallocate()
    }

    /// Drops the consumed bytes and appends the next chunk of the file; at its end, none, and
    /// ``atEnd`` is set.
    func fill() throws(ReportError) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let count: Int
        if let inflater {
            do {
                count = try inflater.read(into: scratch)
            } catch {
                throw .read(path: path, reason: error.reason)
            }
        } else {
            count = read(descriptor, scratch.baseAddress, scratch.count)
            guard count >= 0 else { throw .read(path: path, reason: ReportError.systemReason()) }
        }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
        if count == 0 { atEnd = true }
    }
}
