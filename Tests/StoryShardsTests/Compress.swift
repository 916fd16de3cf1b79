import CZlib
import CZstd
import Foundation

/// Compresses files in place for the tests of reports kept compressed, as `zstd --rm` and
/// `gzip` would: `NAME` becomes `NAME.zst` or `NAME.gz`.
enum Compress {
    static func zstd(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let count = data.withUnsafeBytes { ZSTD_compress(&out, out.count, $0.baseAddress, $0.count, 3) }
        precondition(ZSTD_isError(count) == 0)
        try Data(out[..<count]).write(to: URL(fileURLWithPath: path + ".zst"))
        try FileManager.default.removeItem(atPath: path)
    }

    static func gzip(_ path: String) throws {
        var data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        let written = data.withUnsafeMutableBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output -> Int in
                stream.next_in = input.baseAddress
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return output.count - Int(stream.avail_out)
            }
        }
        deflateEnd(&stream)
        try Data(out[..<written]).write(to: URL(fileURLWithPath: path + ".gz"))
        try FileManager.default.removeItem(atPath: path)
    }
}
