@testable import Corpus
import Foundation
import Glibc
import Testing

@Suite("Compressed reports read as a stream")
struct InflatingReaderTests {
    /// Everything `reader` gives, `size` bytes at a time at most.
    static func drain(_ path: String, _ compression: Compression, size: Int) throws -> Data {
        let descriptor = open(path, O_RDONLY)
        #expect(descriptor >= 0)
        let reader = try InflatingReader(descriptor: descriptor, compression: compression)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
        defer { buffer.deallocate() }
        var out = Data()
        while true {
            let count = try reader.read(into: buffer)
            if count == 0 { return out }
            #expect(count <= size)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }

    static let cases: [(String, Compression)] = [("articles.jsonl.gz", .gzip), ("articles.jsonl.zst", .zstd)]

    @Test("the stream is the bytes the in-memory inflater gives, whatever the buffer size", arguments: cases)
    func sameBytes(name: String, compression: Compression) throws {
        let bytes = try CompressionTests.fixture(name)
        let whole = Decompressor.inflate(Data(bytes), compression, limit: 1 << 30)
        #expect(whole.problem == nil)
        #expect(whole.data.count > 10_000)
        let dir = try TempDir()
        let file = try dir.write(name, bytes: bytes)
        for size in [1, 7, 4096, 1 << 20] {
            #expect(try Self.drain(file, compression, size: size) == whole.data, "buffer \(size)")
        }
        // Concatenated members or frames read on, as `zcat` and `zstdcat` do; gzip's zero padding is not data.
        let twice = try dir.write("twice-" + name, bytes: bytes + bytes + (compression == .gzip ? [0, 0, 0] : []))
        #expect(try Self.drain(twice, compression, size: 1000) == whole.data + whole.data)
    }

    @Test("a truncated stream is an error, not a short report", arguments: cases)
    func truncated(name: String, compression: Compression) throws {
        let bytes = try CompressionTests.fixture(name)
        let dir = try TempDir()
        for keep in [bytes.count - 1, bytes.count / 2, 20] {
            let file = try dir.write("cut-\(keep)-" + name, bytes: Array(bytes.prefix(keep)))
            #expect { try Self.drain(file, compression, size: 4096) } throws: { error in
                (error as? InflatingReader.Failure)?.reason.contains("ends early") == true
            }
        }
    }

    @Test("corrupt data is an error naming the damage", arguments: cases)
    func corrupt(name: String, compression: Compression) throws {
        var bytes = try CompressionTests.fixture(name)
        for k in stride(from: 30, to: min(bytes.count, 400), by: 1) { bytes[k] ^= 0x5A }
        let dir = try TempDir()
        let file = try dir.write("bad-" + name, bytes: bytes)
        #expect { try Self.drain(file, compression, size: 4096) } throws: { error in
            (error as? InflatingReader.Failure)?.reason.contains("corrupt") == true
        }
    }

    @Test("gzip hands out what it inflated before the damage, the same bytes whatever the buffer")
    func bytesBeforeDamage() throws {
        var bytes = try CompressionTests.fixture("articles.jsonl.gz")
        for k in (bytes.count * 6 / 10)..<(bytes.count * 6 / 10 + 64) { bytes[k] ^= 0xA5 }
        let dir = try TempDir()
        let file = try dir.write("late-damage.jsonl.gz", bytes: bytes)
        var outcomes: [Data] = []
        for size in [37, 1 << 20] {
            let descriptor = open(file, O_RDONLY)
            let reader = try InflatingReader(descriptor: descriptor, compression: .gzip)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
            defer { buffer.deallocate() }
            var out = Data()
            #expect(throws: InflatingReader.Failure.self) {
                while true {
                    let count = try reader.read(into: buffer)
                    if count == 0 { break }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                }
            }
            outcomes.append(out)
        }
        #expect(outcomes[0].count > 1_000)
        #expect(outcomes[0] == outcomes[1])
    }
}
