import Corpus
import Foundation
import Testing

/// Values that cannot be used as they are: each one keeps its record and says what happened.
@Suite("Unusable values warn, never vanish")
struct ValueWarningTests {
    private func warnings(_ corpus: Corpus) -> [String] {
        corpus.rejects(.warning).map(\.reason)
    }

    @Test("a quality too large for a number warns and keeps the record", arguments: ["a.jsonl", "a.json", "a.md"])
    func hugeQuality(name: String) throws {
        let dir = try TempDir()
        let text = switch name {
        case "a.md": "---\ntitle: Storm\nquality: 1e999\n---\n"
        case "a.json": #"[{"title": "Storm", "quality": 1e999}]"#
        default: #"{"title": "Storm", "quality": 1e999}"# + "\n"
        }
        let corpus = try readCorpus(try dir.write(name, text))
        let article = try #require(corpus.articles.first)
        #expect(article.title == "Storm")
        #expect(article.quality == nil)
        #expect(corpus.rejects(.rejected).isEmpty)
        #expect(warnings(corpus) == ["quality: '1e999' is not a finite number; kept without a quality"])
    }

    @Test("a list-valued title takes its first text, with a warning")
    func listTitle() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", #"{"title": ["Storm hits coast", "Second"], "body": ["One.", "Two."]}"# + "\n")
        let corpus = try readCorpus(file)
        let article = try #require(corpus.articles.first)
        #expect(article.title == "Storm hits coast")
        #expect(article.body == "One.\n\nTwo.")
        #expect(warnings(corpus).contains("title: a list of 2; its first text 'Storm hits coast' used"))
        #expect(warnings(corpus).contains("body: a list of 2; its 2 texts joined as paragraphs"))
    }

    @Test("a boolean publish time is not a date")
    func booleanTime() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", #"{"title": "Storm", "publishedDateTime": true}"# + "\n")
        let corpus = try readCorpus(file)
        #expect(corpus.articles.first?.published == nil)
        #expect(warnings(corpus) == ["publishedDateTime: 'true' is not a date; kept without a publish time"])
    }

    /// Epochs above 1e11 are milliseconds, so these are one millisecond-second past either end.
    @Test("an epoch outside the years 1 to 9999 is out of range", arguments: [
        "253402300800000", "-62135596801000", "9e15", "\"253402300800000\"", "\"0000-06-01T00:00:00Z\"",
    ])
    func epochOutOfRange(value: String) throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", #"{"title": "Storm", "published": \#(value)}"# + "\n")
        let corpus = try readCorpus(file)
        #expect(corpus.articles.first?.published == nil)
        let warning = try #require(warnings(corpus).first)
        #expect(warning.contains("out of range"), "\(warning)")
    }

    @Test("the last second of year 9999 is still a time")
    func lastSecond() {
        #expect(Timestamp.parse("253402300799000") == 253_402_300_799)
        #expect(Timestamp.iso8601(253_402_300_799) == "9999-12-31T23:59:59Z")
        #expect(Timestamp.parse("0001-01-01T00:00:00Z") == -62_135_596_800)
    }

    @Test("a record without any text key names the keys it has and suggests --field")
    func keysSeen() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", #"{"hed": "Storm", "lede": "A long storm story hits the coast", "link": "https://e.com/a"}"# + "\n")
        let corpus = try readCorpus(file)
        let reject = try #require(corpus.rejects(.rejected).first)
        #expect(reject.reason == "no text: no title/excerpt/body field; keys seen: hed, lede, link (map them with --field title=lede or --field body=lede)")
    }
}
