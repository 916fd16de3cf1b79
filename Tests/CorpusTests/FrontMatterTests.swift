import Corpus
import Foundation
import Testing

@Suite("Front-matter files")
struct FrontMatterTests {
    @Test("the seeds give two documents and their related entries")
    func seeds() throws {
        let corpus = try readCorpus(Fixtures.seeds)
        #expect(corpus.articles.count == 8)
        #expect(corpus.rejects.isEmpty)
        #expect(corpus.urlDuplicates.isEmpty)
        #expect(corpus.files.count == 2)
        #expect(corpus.files.allSatisfy { $0.format == "frontmatter" })
        #expect(corpus.files.map(\.records) == [4, 4])

        let mint = try #require(corpus.article(titled: "Microsoft builds supercomputer for OpenAI to help train massive AI models"))
        #expect(mint.publisher == "Mint")
        #expect(mint.domain == "livemint.com")
        #expect(mint.published == Timestamp.parse("2020-05-19T15:53:00Z"))
        #expect(mint.quality == 73)
        #expect(mint.topics == ["AI", "Microsoft AI"])
        #expect(mint.listedBy == nil)
        #expect(mint.source.record == 1)
        #expect(mint.canonicalURL == URLCanonicalizer.canonicalize(
            "https://www.livemint.com/technology/tech-news/microsoft-builds-supercomputer-for-openai-to-help-train-massive-ai-models-11589902587352.html"))

        let crn = try #require(corpus.article(titled: "6 Top Azure Announcements From Microsoft Build"))
        #expect(crn.publisher == "CRN")
        #expect(crn.published == Timestamp.parse("2020-05-19T15:24:00Z"))
        #expect(crn.listedBy == mint.id)
        #expect(crn.source.record == 4)

        let extremeTech = try #require(corpus.article(titled:
            "Microsoft Built One of the Most Powerful Supercomputers in the World to Develop Human-Like AI"))
        #expect(extremeTech.publisher == "ExtremeTech")
        let listed = corpus.articles.filter { $0.listedBy == extremeTech.id }.map(\.publisher)
        #expect(listed == ["Redmond Magazine", "Webindia 123", "Sify.com"])
    }

    @Test("related entries carry the file line where they start")
    func relatedLines() throws {
        let corpus = try readCorpus(Fixtures.seeds)
        let lines = corpus.articles.map { "\(($0.source.file as NSString).lastPathComponent):\($0.source.line ?? -1)#\($0.source.record)" }
        #expect(lines == [
            "000_ff925c624c0c2eeb.txt:1#1", "000_ff925c624c0c2eeb.txt:27#2", "000_ff925c624c0c2eeb.txt:40#3", "000_ff925c624c0c2eeb.txt:49#4",
            "001_d7ac3558be593459.txt:1#1", "001_d7ac3558be593459.txt:30#2", "001_d7ac3558be593459.txt:45#3", "001_d7ac3558be593459.txt:60#4",
        ])
    }

    @Test("the Markdown body becomes the body and an id field is used")
    func markdownBody() throws {
        let dir = try TempDir()
        let file = try dir.write("a.md", """
        ---
        id: story-1
        title: Hello
        ---

        First paragraph.

        Second paragraph.

        """)
        let corpus = try readCorpus(file)
        let article = try #require(corpus.articles.first)
        #expect(article.id == "story-1")
        #expect(article.body == "First paragraph.\n\nSecond paragraph.")
        #expect(article.text == article.body)
    }

    @Test("a file without front matter is rejected while other files are read")
    func noFrontMatter() throws {
        let dir = try TempDir()
        try dir.write("a.md", "# Just Markdown\n\nNo front matter here.\n")
        try dir.write("b.md", "---\ntitle: Kept\n---\n")
        let corpus = try readCorpus(dir.path)
        #expect(corpus.articles.map(\.title) == ["Kept"])
        let reject = try #require(corpus.rejects.first)
        #expect(reject.source.file.hasSuffix("a.md"))
        #expect(reject.source.record == 0)
        #expect(reject.reason.contains("no YAML front matter"))
    }

    @Test("unparsable YAML is rejected with Yams' message and the file line")
    func badYAML() throws {
        let dir = try TempDir()
        try dir.write("a.md", "---\ntitle: ok\nexcerpt: \"unterminated\nother: [1, 2\n---\nbody\n")
        try dir.write("b.md", "---\ntitle: Kept\n---\n")
        let corpus = try readCorpus(dir.path)
        #expect(corpus.articles.map(\.title) == ["Kept"])
        let reject = try #require(corpus.rejects(.rejected).first)
        #expect(reject.source.file.hasSuffix("a.md"))
        #expect(reject.reason.hasPrefix("invalid YAML front matter:"))
        let line = try #require(reject.source.line)
        #expect(line >= 3 && line <= 5)
    }

    @Test("a billion-laughs alias bomb is rejected quickly")
    func aliasBomb() throws {
        let dir = try TempDir()
        var yaml = "---\ntitle: lol\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            let refs = Array(repeating: "*\(previous)", count: 9).joined(separator: ",")
            yaml += "\(name): &\(name) [\(refs)]\n"
        }
        yaml += "---\n"
        try dir.write("bomb.md", yaml)
        try dir.write("ok.md", "---\ntitle: Kept\n---\n")
        let clock = ContinuousClock()
        let start = clock.now
        let corpus = try readCorpus(dir.path)
        #expect(clock.now - start < .seconds(10))
        #expect(corpus.articles.map(\.title) == ["Kept"])
        let reject = try #require(corpus.rejects(.rejected).first)
        #expect(reject.source.file.hasSuffix("bomb.md"))
        #expect(reject.reason.contains("aliases"))
    }

    @Test("a billion-laughs bomb is refused with a reason that names the expansion")
    func aliasBombReason() throws {
        let dir = try TempDir()
        var yaml = "---\ntitle: lol\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]
        for (previous, name) in zip(names, names.dropFirst()) {
            yaml += "\(name): &\(name) [\(Array(repeating: "*\(previous)", count: 10).joined(separator: ", "))]\n"
        }
        let corpus = try readCorpus(try dir.write("bomb.md", yaml + "---\n"))
        let reject = try #require(corpus.rejects(.rejected).first)
        #expect(reject.reason.contains("expands through aliases to more than"), "\(reject.reason)")
        #expect(reject.reason.contains("alias bomb"))
    }

    @Test("40,000 related entries without an alias are read, not taken for an alias bomb")
    func manyRelated() throws {
        let dir = try TempDir()
        var yaml = "---\ntitle: Main story\nrelated:\n"
        for index in 1...40_000 { yaml += "  - title: Related \(index)\n    url: https://e.com/\(index)\n    publisher: P\n" }
        let corpus = try readCorpus(try dir.write("big.md", yaml + "---\nBody.\n"))
        #expect(corpus.rejects(.rejected).isEmpty, "\(corpus.rejects.prefix(1).map(\.reason))")
        #expect(corpus.articles.count == 40_001)
        #expect(corpus.articles.last?.source.line == 3 + 3 * 39_999 + 1)
    }

    @Test("merge keys fill what the mapping does not set itself")
    func mergeKeys() throws {
        let dir = try TempDir()
        let file = try dir.write("a.md", """
        ---
        base: &base
          publisher: Wire
          quality: 0.5
        other: &other
          publisher: Other
          domain: other.example
        title: Storm hits coast
        <<: *base
        related:
          - <<: [*other, *base]
            title: Second storm
            quality: 0.9
        ---
        Body.
        """)
        let corpus = try readCorpus(file)
        let main = try #require(corpus.article(titled: "Storm hits coast"))
        #expect(main.publisher == "Wire")
        #expect(main.quality == 0.5)
        let related = try #require(corpus.article(titled: "Second storm"))
        #expect(related.publisher == "Other")
        #expect(related.domain == "other.example")
        #expect(related.quality == 0.9)
        #expect(related.source.line == 11)
    }

    @Test("front matter with Windows line endings, with or without a byte-order mark, reads like LF",
          arguments: [false, true])
    func crlf(bom: Bool) throws {
        let dir = try TempDir()
        let lf = "---\ntitle: Storm hits coast\npublisher: Wire\nrelated:\n  - title: Second\n---\nFirst line.\n\nSecond line.\n"
        let crlf = Array(lf.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        try dir.write("lf.md", lf)
        try dir.write("crlf.md", bytes: (bom ? [0xEF, 0xBB, 0xBF] : []) + crlf)
        let corpus = try readCorpus(dir.path)
        #expect(corpus.rejects.isEmpty, "\(corpus.rejects.map(\.reason))")
        let byFile = Dictionary(grouping: corpus.articles) { ($0.source.file as NSString).lastPathComponent }
        let fromLF = try #require(byFile["lf.md"]), fromCRLF = try #require(byFile["crlf.md"])
        #expect(fromCRLF.map(\.title) == fromLF.map(\.title))
        #expect(fromCRLF.map(\.publisher) == fromLF.map(\.publisher))
        #expect(fromCRLF.map(\.body) == fromLF.map(\.body))
        #expect(fromCRLF.map(\.source.line) == fromLF.map(\.source.line))
        #expect(fromCRLF.first?.body == "First line.\n\nSecond line.")
    }

    @Test("an unclosed front matter is rejected")
    func unclosed() throws {
        let dir = try TempDir()
        let file = try dir.write("a.md", "---\ntitle: never closed\n")
        let corpus = try readCorpus(file)
        #expect(corpus.articles.isEmpty)
        #expect(corpus.rejects.first?.reason.contains("never closed") == true)
    }
}
