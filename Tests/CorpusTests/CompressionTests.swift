@testable import Corpus
import Foundation
import Testing

@Suite("Compressed inputs")
struct CompressionTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Bundle.module.resourcePath! + "/Fixtures/compressed/" + name)))
    }

    @Test("gzip and zstd dumps are inflated in memory and read as their inner extension says", arguments: ["articles.jsonl.gz", "articles.jsonl.zst"])
    func inflates(name: String) throws {
        let dir = try TempDir()
        let bytes = try Self.fixture(name)
        let file = try dir.write(name, bytes: bytes)
        let corpus = try readCorpus(file)
        #expect(corpus.rejects.isEmpty)
        #expect(corpus.articles.count == 200)
        #expect(corpus.articles.first?.title == "Report number 1 on the harbour works")
        #expect(corpus.articles.last?.source.line == 200)
        let input = try #require(corpus.files.first)
        // The manifest describes the file as it is on disk: its compressed bytes.
        #expect(input.bytes == bytes.count)
        #expect(input.sha256 == StableHash.sha256Hex(chunks: [Data(bytes)]))
        #expect(input.format == (name.hasSuffix(".gz") ? "jsonl+gzip" : "jsonl+zstd"))
        #expect(input.records == 200)
    }

    @Test("gzip is found by its magic bytes whatever the name, and a bare .gz by its content")
    func magic() throws {
        let dir = try TempDir()
        let bytes = try Self.fixture("articles.jsonl.gz")
        let misnamed = try dir.write("plain.jsonl", bytes: bytes)
        let bare = try dir.write("dump.gz", bytes: bytes)
        let corpus = try readCorpus(misnamed, bare)
        #expect(corpus.files.map(\.format) == ["jsonl+gzip", "jsonl+gzip"])
        #expect(corpus.files.map(\.records) == [200, 200])
        #expect(corpus.rejects(.rejected).isEmpty)
    }

    @Test("a truncated gzip keeps the records before the cut and rejects the rest naming the file", arguments: ["articles.jsonl.gz", "articles.jsonl.zst"])
    func truncated(name: String) throws {
        let dir = try TempDir()
        let bytes = try Self.fixture(name)
        let file = try dir.write(name, bytes: Array(bytes.prefix(bytes.count * 6 / 10)))
        let corpus = try readCorpus(file)
        let count = corpus.articles.count
        // gzip emits as it goes; zstd emits nothing of a block it has not got whole, and this
        // small file is one block.
        #expect(name.hasSuffix(".gz") ? count > 10 && count < 200 : count == 0)
        #expect(corpus.articles.map(\.id) == (0..<count).map { "a\($0 + 1)" })
        let damage = try #require(corpus.rejects(.rejected).first { $0.source.record == 0 })
        #expect(damage.source.file == file)
        #expect(damage.reason.hasPrefix(name + ": "))
        #expect(damage.reason.contains("ends early"))
        // The line cut in half is rejected, not dropped.
        if count > 0 {
            #expect(corpus.rejects(.rejected).contains { $0.source.line == count + 1 && $0.reason.hasPrefix("invalid JSON") })
        }
    }

    @Test("corrupt gzip data is a reject saying so, and the records before the damage are kept")
    func corrupt() throws {
        let dir = try TempDir()
        var bytes = try Self.fixture("articles.jsonl.gz")
        for index in stride(from: bytes.count / 2, to: bytes.count / 2 + 64, by: 1) { bytes[index] ^= 0x5A }
        let file = try dir.write("bad.jsonl.gz", bytes: bytes)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.count > 10)
        let damage = try #require(corpus.rejects(.rejected).first { $0.source.record == 0 })
        #expect(damage.reason.contains("bad.jsonl.gz: the gzip data is corrupt"))
    }

    @Test("a decompression bomb is cut off at the inflation limit and rejected")
    func bomb() throws {
        let dir = try TempDir()
        let bytes = try Self.fixture("zeros.jsonl.gz")  // 10 MiB of zeros in 10 KB
        let file = try dir.write("zeros.jsonl.gz", bytes: bytes)
        var options = ReadOptions()
        options.minimumInflationLimit = 1 << 20
        let corpus = try CorpusReader(options: options).read(paths: [file])
        #expect(corpus.articles.isEmpty)
        let reasons = corpus.rejects(.rejected).map(\.reason)
        #expect(reasons.contains { $0.contains("inflates to more than \(1 << 20) bytes") })
        let result = Decompressor.inflate(Data(bytes), .gzip, limit: 4096)
        #expect(result.data.count == 4096)
        #expect(result.problem != nil)
    }

    @Test("a name saying gzip over plain data is read as plain, with a reject saying so")
    func namedButPlain() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl.gz", "{\"title\": \"Plain\"}\n")
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.title) == ["Plain"])
        #expect(corpus.rejects(.rejected).first?.reason.contains("the name says gzip") == true)
    }

    @Test("an archive of another kind (.tar.gz) is skipped unread")
    func tarball() throws {
        let dir = try TempDir()
        let file = try dir.write("backup.tar.gz", bytes: try Self.fixture("articles.jsonl.gz"))
        let corpus = try readCorpus(file)
        #expect(corpus.files.isEmpty)
        #expect(corpus.rejects(.skipped).first?.reason == "not an input format (.tar.gz), skipped")
    }
}

@Suite("Formats told from the first bytes")
struct FormatDetectionTests {
    @Test("feeds, JSON, JSON Lines and front matter are told apart; CSV is not guessed", arguments: [
        ("\u{FEFF}  <?xml version=\"1.0\"?><rss/>", InputFormat.feed),
        ("[{\"a\": 1}]", .json),
        ("{\"a\": 1}\n{\"a\": 2}\n", .jsonLines),
        ("{\"status\": \"ok\", \"articles\": []}\n", .json),
        ("{\n  \"a\": 1\n}\n", .json),
        ("---\ntitle: x\n---\n", .frontMatter),
    ] as [(String, InputFormat)])
    func detects(text: String, format: InputFormat) {
        #expect(InputFormat.detect(Data(text.utf8)) == format)
    }

    @Test("CSV and empty input show no format")
    func undetected() {
        #expect(InputFormat.detect(Data("id,title\n1,x\n".utf8)) == nil)
        #expect(InputFormat.detect(Data("  \n".utf8)) == nil)
    }
}
