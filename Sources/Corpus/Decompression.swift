import CZlib
import CZstd
import Foundation

/// The compressed containers an input may come in.
package enum Compression: String, Sendable {
    case gzip
    case zstd

    /// The compression a file name's last extension names (`gz`, `gzip`, `zst`, `zstd`).
    package init?(extension ext: String) {
        switch ext.lowercased() {
        case "gz", "gzip": self = .gzip
        case "zst", "zstd": self = .zstd
        default: return nil
        }
    }

    /// The compression the first bytes announce: gzip's `1f 8b`, zstd's `28 b5 2f fd`.
    init?(magic data: Data) {
        let head = Array(data.prefix(4))
        if head.count >= 2, head[0] == 0x1F, head[1] == 0x8B {
            self = .gzip
        } else if head == [0x28, 0xB5, 0x2F, 0xFD] {
            self = .zstd
        } else {
            return nil
        }
    }
}

/// Inflates a compressed input in memory, chunk by chunk, up to a size limit.
enum Decompressor {
    /// The inflated bytes and, when the stream was damaged or too large, why it stopped.
    struct Result {
        var data: Data
        /// Set when the output is only what came before the damage or the limit.
        var problem: String?
    }

    /// Inflates `data`, stopping at `limit` output bytes.
    ///
    /// A truncated or corrupt stream keeps what was inflated before the damage; a stream that
    /// would inflate past `limit` (a decompression bomb, or a dump far beyond any real one)
    /// keeps the first `limit` bytes. Either way `problem` says so.
    ///
    /// - Complexity: O(output), holding the output and one 64 KiB buffer.
    static func inflate(_ data: Data, _ compression: Compression, limit: Int) -> Result {
        switch compression {
        case .gzip: return gunzip(data, limit: limit)
        case .zstd: return unzstd(data, limit: limit)
        }
    }

    private static let chunkSize = 1 << 16

    /// gzip through zlib's `inflate` (`inflateInit2_` with automatic header detection);
    /// concatenated members are read one after the other, as `gzip -d` does.
    private static func gunzip(_ data: Data, limit: Int) -> Result {
        var output = Data()
        output.reserveCapacity(min(limit, data.count * 4))
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return Result(data: output, problem: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var problem: String?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.bindMemory(to: Bytef.self).baseAddress else {
                problem = "the gzip stream is empty"
                return
            }
            var offset = 0  // input bytes handed to zlib so far
            func feed() {
                // avail_in is 32 bits: hand over at most 1 GiB at a time.
                let count = min(raw.count - offset, 1 << 30)
                stream.next_in = UnsafeMutablePointer(mutating: base + offset)
                stream.avail_in = uInt(count)
                offset += count
            }
            feed()
            while true {
                var status: Int32 = Z_OK
                let produced = buffer.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                guard append(buffer[0..<produced], to: &output, limit: limit) else {
                    problem = tooLarge(limit)
                    return
                }
                if stream.avail_in == 0 && offset < raw.count { feed() }
                let unread = Int(stream.avail_in) + (raw.count - offset)
                switch status {
                case Z_STREAM_END:
                    guard unread > 0 else { return }
                    let rest = UnsafeRawBufferPointer(rebasing: raw[(raw.count - unread)...])
                    // Padding after the last member (tar and some dump tools write zeros) is not data.
                    if rest.allSatisfy({ $0 == 0 }) { return }
                    guard rest.count >= 2, rest[0] == 0x1F, rest[1] == 0x8B else {
                        problem = "\(unread) bytes after the end of the gzip data are not gzip; they are not read"
                        return
                    }
                    inflateReset(&stream)
                case Z_OK:
                    continue
                case Z_BUF_ERROR where unread == 0:
                    problem = "the gzip data ends early (a truncated file?) after \(output.count) inflated bytes"
                    return
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    problem = "the gzip data is corrupt (\(reason)) after \(output.count) inflated bytes"
                    return
                }
            }
        }
        return Result(data: output, problem: problem)
    }

    /// zstd through `ZSTD_decompressStream`; concatenated frames are read one after the other.
    private static func unzstd(_ data: Data, limit: Int) -> Result {
        var output = Data()
        output.reserveCapacity(min(limit, data.count * 4))
        guard let stream = ZSTD_createDStream() else {
            return Result(data: output, problem: "zstd could not start decompressing")
        }
        defer { ZSTD_freeDStream(stream) }
        ZSTD_initDStream(stream)
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var problem: String?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var input = ZSTD_inBuffer(src: raw.baseAddress, size: raw.count, pos: 0)
            var frameOpen = true
            while input.pos < input.size || frameOpen {
                var hint = 0
                let produced = buffer.withUnsafeMutableBytes { out -> Int in
                    var outBuffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                    hint = ZSTD_decompressStream(stream, &outBuffer, &input)
                    return outBuffer.pos
                }
                if ZSTD_isError(hint) != 0 {
                    problem = "the zstd data is corrupt (\(String(cString: ZSTD_getErrorName(hint)))) after \(output.count) inflated bytes"
                    return
                }
                guard append(buffer[0..<produced], to: &output, limit: limit) else {
                    problem = tooLarge(limit)
                    return
                }
                frameOpen = hint != 0
                // No progress with input left means the frame wants bytes that are not there.
                if frameOpen && input.pos == input.size && produced < buffer.count {
                    problem = "the zstd data ends early (a truncated file?) after \(output.count) inflated bytes"
                    return
                }
            }
        }
        return Result(data: output, problem: problem)
    }

    /// Appends `bytes` to `output`; `false`, with `output` cut to `limit` bytes, past the limit.
    private static func append(_ bytes: ArraySlice<UInt8>, to output: inout Data, limit: Int) -> Bool {
        output.append(contentsOf: bytes)
        guard output.count > limit else { return true }
        output.removeSubrange(limit...)
        return false
    }

    private static func tooLarge(_ limit: Int) -> String {
        "inflates to more than \(limit) bytes (the inflation limit; a decompression bomb?); only the first \(limit) bytes are read"
    }
}
