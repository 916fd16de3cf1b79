import Corpus
import Foundation
import Testing

@Suite("JSON Lines, JSON and CSV files")
struct FormatTests {
    @Test("JSON Lines records are read with their line numbers, blank lines skipped")
    func jsonLines() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", """
        {"id": "a1", "title": "First", "published": "2020-05-20T18:37:00Z", "publisher": "P"}

        {"id": 2, "title": "Second", "published": 1589999820000}
        {"id": "a3", "title": "Third"}\r

        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.id) == ["a1", "2", "a3"])
        #expect(corpus.articles.map(\.source.line) == [1, 3, 4])
        #expect(corpus.articles.map(\.source.record) == [1, 2, 3])
        #expect(corpus.articles[1].published == 1_589_999_820)
        #expect(corpus.articles[0].published == 1_589_999_820)
        #expect(corpus.files.first?.records == 3)
        #expect(corpus.files.first?.format == "jsonl")
    }

    @Test("bad JSON and non-object lines are rejected and the other lines read")
    func badJSONLines() throws {
        let dir = try TempDir()
        let file = try dir.write("a.ndjson", """
        {"title": "One"}
        {"title": "Two",
        [1, 2, 3]
        "just a string"
        {"title": "Five"}
        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.title) == ["One", "Five"])
        let rejected = corpus.rejects(.rejected)
        #expect(rejected.map(\.source.line) == [2, 3, 4])
        #expect(rejected.map(\.source.file) == [file, file, file])
        #expect(rejected[0].reason.hasPrefix("invalid JSON"))
        #expect(rejected[1].reason.contains("an array, not a JSON object"))
        #expect(rejected[2].reason.contains("a string, not a JSON object"))
        #expect(corpus.files.first?.records == 5)
    }

    @Test("a JSON array of objects gives one record per element")
    func jsonArray() throws {
        let dir = try TempDir()
        let file = try dir.write("a.json", """
        [{"title": "One", "source": {"id": "x", "name": "Reuters"}}, 42, {"headline": "Three", "source": "AP"}]
        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.title) == ["One", "Three"])
        #expect(corpus.articles.map(\.publisher) == ["Reuters", "AP"])
        #expect(corpus.articles.map(\.source.record) == [1, 3])
        #expect(corpus.rejects(.rejected).map(\.source.record) == [2])
    }

    @Test("a JSON file holding one object gives one record")
    func jsonObject() throws {
        let dir = try TempDir()
        let file = try dir.write("a.json", #"{"title": "Only", "webUrl": "http://www.example.com/x/"}"#)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.title) == ["Only"])
        #expect(corpus.articles.first?.canonicalURL == "https://example.com/x")
        #expect(corpus.articles.first?.domain == "example.com")
    }

    @Test("an invalid JSON file is rejected as a whole")
    func invalidJSONFile() throws {
        let dir = try TempDir()
        let file = try dir.write("a.json", #"[{"title": "x"},"#)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.isEmpty)
        let reject = try #require(corpus.rejects.first)
        #expect(reject.source.record == 0)
        #expect(reject.reason.hasPrefix("invalid JSON"))
    }

    @Test("CSV rows with quoted commas and line breaks are read, with their starting lines")
    func csv() throws {
        let dir = try TempDir()
        let file = try dir.write("a.csv", #"""
        id,title,excerpt,provider.name,published
        c1,"Title, with comma","Two
        lines",Pub One,2020-05-20T18:37:00Z
        c2,Plain,"He said ""hi""",Pub Two,Tue, 19 May 2020 15:53:00 GMT
        c3,Third,"Three
        line
        excerpt",Pub Three,
        c4,Fourth,x,Pub Four,2020-05-20

        """#)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.id) == ["c1", "c3", "c4"])
        #expect(corpus.articles[0].title == "Title, with comma")
        #expect(corpus.articles[0].excerpt == "Two\nlines")
        #expect(corpus.articles[0].publisher == "Pub One")
        #expect(corpus.articles[0].published == Timestamp.parse("2020-05-20T18:37:00Z"))
        #expect(corpus.articles[1].published == nil)
        #expect(corpus.articles.map(\.source.line) == [2, 5, 8])
        #expect(corpus.articles.map(\.source.record) == [1, 3, 4])
        // The unquoted date holds a comma, so row 2 has one field too many.
        let reject = try #require(corpus.rejects(.rejected).first)
        #expect(reject.source.line == 4)
        #expect(reject.source.record == 2)
        #expect(reject.reason == "row has 6 fields, the header has 5")
        #expect(corpus.files.first?.records == 4)
    }

    @Test("the benchmark generator's CSV columns are understood")
    func generatorColumns() throws {
        let dir = try TempDir()
        let file = try dir.write("g.csv", """
        id,title,excerpt,url,publisher,domain,published,story
        a0000001,A title,An excerpt,https://www.geerdispatch.com/news/a-1,Géer Dispatch,geerdispatch.com,2020-05-01T15:29:00Z,s000000

        """)
        let article = try #require(try readCorpus(file).articles.first)
        #expect(article.id == "a0000001")
        #expect(article.publisher == "Géer Dispatch")
        #expect(article.url == "https://www.geerdispatch.com/news/a-1")
        #expect(article.canonicalURL == "https://geerdispatch.com/news/a-1")
        #expect(article.published == Timestamp.parse("2020-05-01T15:29:00Z"))
    }

    @Test("input files are fingerprinted")
    func fingerprints() throws {
        let dir = try TempDir()
        let text = "{\"title\": \"x\"}\n"
        let file = try dir.write("a.jsonl", text)
        let input = try #require(try readCorpus(file).files.first)
        #expect(input.path == file)
        #expect(input.bytes == text.utf8.count)
        #expect(input.sha256 == StableHash.sha256Hex(text))
        #expect(input.records == 1)
    }

    /// Many chunks of lines, parsed and mapped on several threads, keep file order and find
    /// every URL duplicate across chunk borders. (Speed is measured by benchmarks, not here.)
    @Test("a large JSON Lines file reads whole, in order, with its URL duplicates")
    func largeJSONLines() throws {
        let dir = try TempDir()
        var text = ""
        text.reserveCapacity(2_000_000)
        for i in 0..<20_000 {
            text += #"{"id": "a\#(i)", "title": "Title \#(i)", "excerpt": "Some words about \#(i)", "url": "https://example.com/\#(i % 10_000)", "published": "2020-05-01T15:29:00Z"}"# + "\n"
        }
        let file = try dir.write("big.jsonl", text)
        let corpus = try CorpusReader(options: ReadOptions(threads: 3)).read(paths: [file])
        #expect(corpus.articles.count == 10_000)
        #expect(corpus.urlDuplicates.count == 10_000)
        let records = corpus.articles.map(\.source.record)
        #expect(zip(records, records.dropFirst()).allSatisfy { $0 < $1 }, "articles keep file order")
        #expect(corpus.articles == (try readCorpus(file)).articles, "one thread and three read the same")
    }
}
