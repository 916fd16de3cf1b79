import Corpus
import Foundation
import Testing

/// Inputs the fuzz targets (Fuzz/, `scripts/fuzz`) found crashing, hanging or running out of
/// memory, minimised and kept under Fixtures/fuzz/TARGET/. Each goes through the same reader
/// as in a real run, without sanitizers.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
    /// The reader targets; each fixture's extension picks the reader, as in a run.
    static let readerTargets = ["FuzzFrontMatter", "FuzzJSONLines", "FuzzJSON", "FuzzCSV", "FuzzFeed"]

    @Test("every fuzz finding for a reader is read into records or rejects with reasons", arguments: readerTargets)
    func readerFinding(_ target: String) throws {
        for file in fixtures(of: target) {
            let corpus = try readCorpus(file)
            #expect(corpus.files.map(\.path) == [file], "\(file) was not read as an input file")
            #expect(!corpus.articles.isEmpty || !corpus.rejects.isEmpty, "\(file) gave neither articles nor rejects")
            for reject in corpus.rejects {
                #expect(!reject.reason.isEmpty, "\(file): a reject without a reason")
                #expect(reject.source.file == file, "\(file): a reject naming \(reject.source.file)")
            }
        }
    }

    @Test("every fuzz finding for URL canonicalization gives nil or an https URL without a fragment")
    func urlFinding() throws {
        for file in fixtures(of: "FuzzURL") {
            let url = try #require(String(data: try Data(contentsOf: URL(fileURLWithPath: file)), encoding: .utf8))
            if let canonical = URLCanonicalizer.canonicalize(url) {
                #expect(canonical.utf8.starts(with: "https://".utf8), "\(file): \(canonical.debugDescription)")
                #expect(!canonical.utf8.contains(UInt8(ascii: "#")), "\(file): \(canonical.debugDescription)")
            }
        }
    }

    @Test("a feed whose bytes are not valid in its declared multi-byte encoding is one reject naming the offset")
    func feedInvalidInDeclaredEncoding() throws {
        // libxml2 2.9 read a NULL pointer on this input (FuzzFeed found it with UTF-7 and a NUL).
        let dir = try TempDir()
        let file = try dir.write("bad.rss", bytes: Array(#"<?xml version="1.0" encoding="Shift_JIS"?><rss><channel>"#.utf8) + [0xFF, 0xFF])
        let corpus = try readCorpus(file)
        #expect(corpus.articles.isEmpty)
        #expect(corpus.rejects.map(\.source.record) == [0])
        #expect(corpus.rejects.first?.reason == "the feed is in the encoding 'Shift_JIS' but the bytes at offset 56 are not valid in it")
    }

    @Test("a feed in a declared multi-byte encoding is read as that encoding")
    func feedInDeclaredEncoding() throws {
        let dir = try TempDir()
        let head = #"<?xml version='1.0' encoding='Shift_JIS'?><rss version="2.0"><channel><item><title>"#
        let tail = "</title><link>https://paper.example/a</link></item></channel></rss>"
        // 日本 in Shift_JIS.
        let file = try dir.write("jp.rss", bytes: Array(head.utf8) + [0x93, 0xFA, 0x96, 0x7B] + Array(tail.utf8))
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.title) == ["日本"])
        #expect(corpus.rejects.isEmpty)
    }

    @Test("a processing instruction without data in a feed is skipped, the items around it read")
    func feedInstructionWithoutData() throws {
        // XMLParser called strlen on the instruction's NULL data.
        let dir = try TempDir()
        let file = try dir.write("pi.rss", """
        <rss version="2.0"><channel><item><title>One</title></item><?tidy?>
        <item><title>Two <![CDATA[<?kept?>]]></title></item></channel></rss>
        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.title) == ["One", "Two <?kept?>"])
        #expect(corpus.rejects.isEmpty)
    }

    @Test("a feed declaring an encoding nobody knows is one reject naming it")
    func feedUnknownEncoding() throws {
        // libxml2 read a NULL pointer for some unknown names ("UT-F8") and for "html".
        let dir = try TempDir()
        let file = try dir.write("odd.rss", #"<?xml version="1.0" encoding="html"?><rss/>"#)
        let corpus = try readCorpus(file)
        #expect(corpus.rejects.map(\.reason) == ["the feed declares the encoding 'html', which is not a known character encoding"])
    }

    /// The fixture files of one target, sorted; none when nothing was found.
    private func fixtures(of target: String) -> [String] {
        let directory = Bundle.module.resourcePath! + "/Fixtures/fuzz/" + target
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory + "/" + $0 }
    }
}
