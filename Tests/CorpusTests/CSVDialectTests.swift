import Corpus
import Foundation
import Testing

@Suite("CSV quoting damage and dialects")
struct CSVDialectTests {
    /// Every physical data line of the file: an article's line or a reject's line.
    private func accountedLines(_ corpus: Corpus) -> Set<Int> {
        Set(corpus.articles.compactMap(\.source.line) + corpus.rejects.compactMap(\.source.line))
    }

    @Test("a stray quote after a closed field rejects its row only and the 1,000 after it are read")
    func strayQuote() throws {
        let dir = try TempDir()
        var text = "id,title,url\nq1,First storm,https://e.com/1\nq2,\"closed\"junk storm,https://e.com/2\n"
        for index in 3...1_001 { text += "q\(index),\"Storm, part \(index)\",https://e.com/\(index)\n" }
        let corpus = try readCorpus(try dir.write("a.csv", text))
        #expect(corpus.articles.count == 1_000)
        let reject = try #require(corpus.rejects(.rejected).first)
        #expect(corpus.rejects(.rejected).count == 1)
        #expect(reject.source.line == 3)
        #expect(reject.source.record == 2)
        #expect(reject.reason.contains("malformed CSV quoting"), "\(reject.reason)")
        #expect(reject.reason.contains("'j'"), "\(reject.reason)")
        #expect(accountedLines(corpus) == Set(2...1_002))
    }

    @Test("an unclosed quote rejects its row and the rows after it are read", arguments: [
        "q2,\"unclosed storm,https://e.com/2", "q2,Unclosed url,\"https://e.com/2",
    ])
    func unclosedQuote(row: String) throws {
        let dir = try TempDir()
        var text = "id,title,url\nq1,First,https://e.com/1\n\(row)\n"
        for index in 3...6 { text += "q\(index),\"Storm\nover two lines \(index)\",https://e.com/\(index)\n" }
        text += "q7,Unclosed \"again,\"https://e.com/7\nq8,Last,https://e.com/8\n"
        let corpus = try readCorpus(try dir.write("a.csv", text))
        #expect(corpus.articles.map(\.id) == ["q1", "q3", "q4", "q5", "q6", "q8"])
        #expect(corpus.articles.map(\.source.line) == [2, 4, 6, 8, 10, 13])
        let rejected = corpus.rejects(.rejected)
        #expect(rejected.map(\.source.line) == [3, 12], "\(rejected.map(\.reason))")
        #expect(rejected.allSatisfy { $0.reason.hasPrefix("malformed CSV quoting") }, "\(rejected.map(\.reason))")
    }

    @Test("a quote left open to the end of the file costs its own line only")
    func quoteOpenToTheEnd() throws {
        let dir = try TempDir()
        let corpus = try readCorpus(try dir.write("a.csv", "id,title\nq1,\"never closed\nq2,Second\nq3,Third\n"))
        #expect(corpus.articles.map(\.id) == ["q2", "q3"])
        #expect(corpus.rejects(.rejected).map(\.source.line) == [2])
        #expect(corpus.rejects(.rejected).map(\.reason) == [
            "malformed CSV quoting: the quote opened on line 2 is never closed; line 2 is not read, the next line is",
        ])
    }

    @Test("the separator is detected from the header line, outside quotes", arguments: [
        (";", "a.csv"), ("\t", "a.csv"), ("|", "a.csv"), (",", "a.csv"), ("\t", "a.tsv"),
    ])
    func detected(separator: String, name: String) throws {
        let dir = try TempDir()
        let cells = [["id", "title", "\"notes, or; any|thing\"", "url"],
                     ["a1", "\"Storm; hits, coast\"", "n", "https://e.com/1"],
                     ["a2", "Second", "", "https://e.com/2"]]
        let text = cells.map { $0.joined(separator: separator) }.joined(separator: "\r\n") + "\r\n"
        let corpus = try readCorpus(try dir.write(name, text))
        #expect(corpus.rejects.isEmpty, "\(corpus.rejects.map(\.reason))")
        #expect(corpus.articles.map(\.title) == ["Storm; hits, coast", "Second"])
        #expect(corpus.articles.map(\.url) == ["https://e.com/1", "https://e.com/2"])
    }

    @Test("a .tsv file is read as tab-separated even when its header has more commas")
    func tsvExtension() throws {
        let dir = try TempDir()
        let file = try dir.write("a.tsv", "id\ttitle,with,commas\nb1\tStorm, coast\n")
        let corpus = try readCorpus(file, fields: ["title=title,with,commas"])
        #expect(corpus.articles.map(\.title) == ["Storm, coast"])
    }

    @Test("a delimiter given in the options wins over detection")
    func explicitDelimiter() throws {
        let dir = try TempDir()
        let file = try dir.write("a.csv", "id;title\nc1;Storm, coast; and more\n")
        let options = ReadOptions(csvDelimiter: .comma)
        let corpus = try CorpusReader(options: options).read(paths: [file])
        #expect(corpus.articles.isEmpty)
        #expect(corpus.rejects(.rejected).first?.reason.contains("row has 2 fields, the header has 1") == true)
        #expect(CSVDelimiter(argument: "\\t") == .tab && CSVDelimiter(argument: "semicolon") == .semicolon)
        #expect(CSVDelimiter(argument: "colon") == nil)
    }

    @Test("a damaged header rejects the file with its reason")
    func damagedHeader() throws {
        let dir = try TempDir()
        let file = try dir.write("a.csv", "\"id\"x,title\nd1,Storm\n")
        let corpus = try readCorpus(file)
        #expect(corpus.articles.isEmpty)
        let reject = try #require(corpus.rejects.first)
        #expect(reject.source.record == 0)
        #expect(reject.reason.contains("cannot read the CSV header row"))
    }
}
