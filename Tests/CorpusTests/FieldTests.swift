import Corpus
import Testing

@Suite("Field names and values")
struct FieldTests {
    @Test("aliases fill the canonical fields", arguments: [
        (#"{"headline": "H"}"#, "title", "H"),
        (#"{"title": "T", "headline": "H"}"#, "title", "T"),
        (#"{"title": "", "headline": "H"}"#, "title", "H"),
        (#"{"title": "x", "description": "D"}"#, "excerpt", "D"),
        (#"{"title": "x", "summary": "S"}"#, "excerpt", "S"),
        (#"{"text": "B"}"#, "body", "B"),
        (#"{"content": "  C  "}"#, "body", "C"),
        (#"{"title": "x", "provider": {"name": "PN"}, "publisher": "P"}"#, "publisher", "PN"),
        (#"{"title": "x", "publisher": "P"}"#, "publisher", "P"),
        (#"{"title": "x", "source": {"name": "SN"}}"#, "publisher", "SN"),
        (#"{"title": "x", "source": "S"}"#, "publisher", "S"),
        (#"{"title": "x", "provider.name": "Flat"}"#, "publisher", "Flat"),
        (#"{"title": "x", "Provider": {"Domain": "d.com"}}"#, "domain", "d.com"),
        (#"{"title": "x", "link": "https://www.e.com/a"}"#, "domain", "e.com"),
        (#"{"TITLE": "Upper"}"#, "title", "Upper"),
        (#"{"id": 123, "title": "x"}"#, "id", "123"),
    ] as [(String, String, String)])
    func aliases(json: String, field: String, expected: String) throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", json + "\n")
        let article = try #require(try readCorpus(file).articles.first)
        let values = ["title": article.title, "excerpt": article.excerpt, "body": article.body,
                      "publisher": article.publisher, "domain": article.domain, "id": article.id]
        #expect(values[field] == expected)
    }

    @Test("times are read from every published alias, in order", arguments: [
        (#"{"title": "x", "publishedDateTime": "2020-05-20T18:37:00Z", "published": false}"#, 1_589_999_820),
        (#"{"title": "x", "publishedAt": "2020-05-20T20:37:00+02:00"}"#, 1_589_999_820),
        (#"{"title": "x", "date": 1589999820}"#, 1_589_999_820),
        (#"{"title": "x", "pubDate": "Wed, 20 May 2020 18:37:00 GMT"}"#, 1_589_999_820),
        (#"{"title": "x", "published": "1589999820000"}"#, 1_589_999_820),
    ] as [(String, Int64)])
    func publishedAliases(json: String, expected: Int64) throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", json + "\n")
        let corpus = try readCorpus(file)
        #expect(corpus.articles.first?.published == expected)
        #expect(corpus.rejects.isEmpty)
    }

    @Test("urls fall back to the AMP urls and topics split on commas and semicolons")
    func urlFallbackAndTopics() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", """
        {"title": "x", "ampWebUrl": "https://www.e.com/a/amp/", "topics": "AI, Cloud; Chips"}
        {"title": "y", "cdnAmpWebUrl": "https://www-e-com.cdn.ampproject.org/c/s/www.e.com/b/amp/", "topics": ["One", " Two "]}

        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.canonicalURL) == ["https://e.com/a", "https://e.com/b"])
        #expect(corpus.articles.map(\.url) == ["https://www.e.com/a/amp/", "https://www-e-com.cdn.ampproject.org/c/s/www.e.com/b/amp/"])
        #expect(corpus.articles.map(\.topics) == [["AI", "Cloud", "Chips"], ["One", "Two"]])
    }

    @Test("--field puts its source first for the field")
    func fieldOption() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", #"{"title": "Title", "name": "Headline", "meta": {"when": "2020-05-20"}, "story": "s1"}"# + "\n")
        let corpus = try readCorpus(file, fields: ["title=name", "PUBLISHED=meta.when", "id=story"])
        let article = try #require(corpus.articles.first)
        #expect(article.title == "Headline")
        #expect(article.published == Timestamp.parse("2020-05-20"))
        #expect(article.id == "s1")
    }

    @Test("FieldMap.add puts the source first and keeps the others")
    func fieldMapOrder() throws {
        var map = FieldMap.standard
        try map.add("title=name")
        try map.add("title=headline")
        #expect(map.keys(for: "title") == ["headline", "name", "title"])
        #expect(FieldMap.fieldNames.contains("cdnAmpUrl"))
    }

    @Test("bad --field specs are refused with the valid names", arguments: ["title", "nosuch=x", "=x", "title="])
    func badFieldSpecs(spec: String) {
        var map = FieldMap.standard
        #expect {
            try map.add(spec)
        } throws: { error in
            guard let error = error as? CorpusError, case .badFieldMapping(let message) = error else { return false }
            return message.contains(spec) && (message.contains("valid names: id, title") || spec == "title=")
        }
        #expect(map == FieldMap.standard)
    }

    @Test("an unparsable date or quality keeps the article and warns")
    func badDateWarns() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", """
        {"id": "a", "title": "x", "published": "last Tuesday", "quality": "high"}
        {"id": "b", "title": "y", "published": "2020-05-20"}

        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.id) == ["a", "b"])
        #expect(corpus.articles[0].published == nil)
        #expect(corpus.articles[0].quality == nil)
        let warnings = corpus.rejects(.warning)
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.articleID == "a" && $0.source.line == 1 && $0.source.file == file })
        #expect(warnings.contains { $0.reason.contains("published") && $0.reason.contains("last Tuesday") })
        #expect(warnings.contains { $0.reason.contains("quality") && $0.reason.contains("high") })
    }

    @Test("a record without title, excerpt and body is rejected")
    func noText() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", """
        {"id": "a", "url": "https://e.com/a", "title": "  "}
        {"id": "b", "title": "kept"}

        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.id) == ["b"])
        let reject = try #require(corpus.rejects.first)
        #expect(reject.severity == .rejected)
        #expect(reject.source.line == 1)
        #expect(reject.reason == "no text: title, excerpt and body are empty")
    }

    @Test("a location prints the line, else the record, else just the file")
    func locationDescription() {
        #expect(SourceLocation(file: "a.jsonl", line: 3, record: 2).description == "a.jsonl:3")
        #expect(SourceLocation(file: "a.json", record: 2).description == "a.json#2")
        #expect(SourceLocation(file: "a.bin", record: 0).description == "a.bin")
    }

    @Test("errors tell the user what to do")
    func errorDescriptions() {
        #expect(CorpusError.missingInput(path: "x/y").description == "input not found: x/y")
    }
}
