import CZlib
import CZstd
import Glibc

/// Reads a gzip or zstd file as the stream of its inflated bytes, one buffer at a time: for
/// reports that were compressed where they were kept (a year's shards), which are read front to
/// back and never held whole.
///
/// Unlike ``Decompressor`` (inputs, inflated in memory up to a limit, damage kept as a warning)
/// damage here is an error: a report cut short is not a report.
package final class InflatingReader {
    /// Why the stream cannot be read on.
    package struct Failure: Error, Sendable {
        package let reason: String
    }

    package let compression: Compression
    private let descriptor: Int32
    /// Compressed bytes read from the file; those in `inputStart ..< inputEnd` are not inflated yet.
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var endOfFile = false
    /// Inflated bytes handed out so far, for the messages.
    private var produced = 0

    private var zstd: OpaquePointer?
    /// zlib checks that its stream has not moved between calls: it lives at a fixed address.
    private var zlib: UnsafeMutablePointer<z_stream>?
    /// A zstd frame or gzip member is started and not finished.
    private var open = false
    /// The last gzip member ended; what follows is another member or zero padding.
    private var memberEnded = false
    /// Damage found by a call that also inflated bytes: those are handed out first, whatever
    /// the buffer's size, and the failure on the next read.
    private var pending: Failure?

    private static let chunk = 1 << 20

    /// Takes over `descriptor` (closed with the reader).
    package init(descriptor: Int32, compression: Compression) throws(Failure) {
        self.descriptor = descriptor
        self.compression = compression
        input = .allocate(byteCount: Self.chunk, alignment: 16)
        switch compression {
        case .zstd:
            guard let stream = ZSTD_createDStream() else { throw Failure(reason: "zstd could not start decompressing") }
            ZSTD_initDStream(stream)
            zstd = stream
        case .gzip:
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()
                throw Failure(reason: "zlib could not start inflating")
            }
            zlib = stream
        }
    }

    deinit {
        if let zstd { ZSTD_freeDStream(zstd) }
        if let zlib {
            inflateEnd(zlib)
            zlib.deallocate()
        }
        input.deallocate()
        close(descriptor)
    }

    /// Inflates into `output`: the number of bytes written, 0 at the end of the stream.
    ///
    /// - Throws: ``Failure`` when the file cannot be read, the data is corrupt, or it ends
    ///   inside a frame (a truncated file).
    package func read(into output: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
        guard output.count > 0 else { return 0 }
        if let pending { throw pending }
        while true {
            if inputStart == inputEnd && !endOfFile { try refill() }
            let count = switch compression {
            case .zstd: try stepZstd(output)
            case .gzip: try stepGzip(output)
            }
            produced += count
            if count > 0 { return count }
            if inputStart == inputEnd && endOfFile {
                guard !open else {
                    throw Failure(reason: "the \(compression.rawValue) data ends early (a truncated file?) after \(produced) inflated bytes")
                }
                return 0
            }
        }
    }

    private func refill() throws(Failure) {
        inputStart = 0
        inputEnd = 0
        while true {
            let count = Glibc.read(descriptor, input.baseAddress, input.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
            inputEnd = count
            endOfFile = count == 0
            return
        }
    }

    private func stepZstd(_ output: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
        // Between frames with nothing left to read: the end (zstd would ask for a next frame).
        if inputStart == inputEnd && !open { return 0 }
        var source = ZSTD_inBuffer(src: input.baseAddress! + inputStart, size: inputEnd - inputStart, pos: 0)
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let hint = ZSTD_decompressStream(zstd, &target, &source)
        if ZSTD_isError(hint) != 0 {
            let failure = Failure(reason: "the zstd data is corrupt (\(String(cString: ZSTD_getErrorName(hint)))) after \(produced + target.pos) inflated bytes")
            guard target.pos > 0 else { throw failure }
            pending = failure
        }
        inputStart += source.pos
        open = hint != 0
        return target.pos
    }

    private func stepGzip(_ output: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
        guard let stream = zlib else { return 0 }
        if memberEnded {
            guard inputStart < inputEnd else { return 0 }
            let rest = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
            if rest[0] == 0x1F {
                inflateReset(stream)
                memberEnded = false
            } else if rest.allSatisfy({ $0 == 0 }) {
                inputStart = inputEnd  // padding after the last member is not data
                return 0
            } else {
                throw Failure(reason: "bytes after the end of the gzip data at \(produced) inflated bytes are not gzip")
            }
        }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self) + inputStart
        stream.pointee.avail_in = uInt(inputEnd - inputStart)
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let status = inflate(stream, Z_NO_FLUSH)
        inputStart = inputEnd - Int(stream.pointee.avail_in)
        let count = output.count - Int(stream.pointee.avail_out)
        switch status {
        case Z_STREAM_END:
            open = false
            memberEnded = true
        case Z_OK:
            open = true
        case Z_BUF_ERROR:
            open = true  // no progress: more input is needed (at the end of the file, it is cut short)
        default:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            let failure = Failure(reason: "the gzip data is corrupt (\(reason)) after \(produced + count) inflated bytes")
            guard count > 0 else { throw failure }
            pending = failure
        }
        return count
    }
}
