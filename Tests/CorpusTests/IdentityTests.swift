import Corpus
import Foundation
import Testing

@Suite("Ids and duplicates")
struct IdentityTests {
    @Test("ids are stable across reads and independent of path order")
    func stableIDs() throws {
        let dir = try TempDir()
        let jsonl = try dir.write("b/x.jsonl", """
        {"title": "no id, url", "url": "https://www.e.com/one?utm_source=feed"}
        {"title": "no id, no url"}

        """)
        let first = try readCorpus(Fixtures.seeds, jsonl)
        let second = try readCorpus(jsonl, Fixtures.seeds)
        #expect(first.articles.map(\.id) == second.articles.map(\.id))
        #expect(first.articles.map(\.source) == second.articles.map(\.source))
        #expect(Set(first.articles.map(\.id)).count == first.articles.count)
        let byTitle = Dictionary(uniqueKeysWithValues: first.articles.map { ($0.title, $0.id) })
        #expect(byTitle["no id, url"] == StableHash.id("u", "https://e.com/one"))
        #expect(byTitle["no id, no url"] == StableHash.id("r", "\(jsonl)#2"))
    }

    @Test("a repeated id gets a ~2, ~3 suffix and a warning, and both records stay")
    func duplicateIDs() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", """
        {"id": "x", "title": "one"}
        {"id": "x~2", "title": "two"}
        {"id": "x", "title": "three"}
        {"id": "x", "title": "four"}

        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.id) == ["x", "x~2", "x~3", "x~4"])
        #expect(corpus.articles.map(\.title) == ["one", "two", "three", "four"])
        let warnings = corpus.rejects(.warning)
        #expect(warnings.map(\.articleID) == ["x~3", "x~4"])
        #expect(warnings.map(\.source.line) == [3, 4])
        #expect(warnings.allSatisfy { $0.reason.contains("duplicate id 'x'") })
    }

    @Test("of records with one canonical URL the most complete stays and the others are duplicates")
    func urlDuplicates() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", """
        {"id": "short", "title": "Short", "url": "https://www.e.com/story?utm_source=x"}
        {"id": "other", "title": "Unrelated", "url": "https://e.com/other"}
        {"id": "long", "title": "A longer title", "url": "http://e.com/story/"}
        {"id": "long-no-time", "title": "A longer title", "url": "https://e.com/story/amp"}
        {"id": "long-timed", "title": "A longer title", "url": "https://e.com/story#x", "published": "2020-05-20"}

        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.id) == ["other", "long-timed"])
        #expect(corpus.urlDuplicates.map(\.article.id) == ["short", "long", "long-no-time"])
        #expect(corpus.urlDuplicates.allSatisfy { $0.originalID == "long-timed" })
        #expect(corpus.rejects.isEmpty)
    }

    @Test("exact URL ties go to the record with a publisher, then to the earliest")
    func urlDuplicateTies() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", """
        {"id": "first", "title": "Same", "url": "https://e.com/s"}
        {"id": "second", "title": "Same", "url": "https://e.com/s"}
        {"id": "published", "title": "Same", "url": "https://e.com/s", "publisher": "P"}
        {"id": "late", "title": "Same", "url": "https://e.com/t"}
        {"id": "later", "title": "Same", "url": "https://e.com/t"}

        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.id) == ["published", "late"])
        #expect(corpus.urlDuplicates.map(\.article.id) == ["first", "second", "later"])
        #expect(corpus.urlDuplicates.map(\.originalID) == ["published", "published", "late"])
    }

    @Test("the exact URL original does not depend on the order of the records")
    func urlDuplicateOriginalIgnoresRecordOrder() throws {
        let lines = [
            #"{"id": "b", "title": "Same", "url": "https://e.com/s", "published": "2020-05-20T10:00:00Z"}"#,
            #"{"id": "a", "title": "Same", "url": "https://e.com/s?utm_source=x", "published": "2020-05-20T10:05:00Z"}"#,
            #"{"id": "d", "title": "Other", "url": "https://e.com/t", "published": "2020-05-20T11:00:00Z"}"#,
            #"{"id": "c", "title": "Other", "url": "https://e.com/t/amp", "published": "2020-05-20T11:00:00Z"}"#,
        ]
        var originals: [[String]] = []
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]] {
            let dir = try TempDir()
            let file = try dir.write("a.jsonl", order.map { lines[$0] }.joined(separator: "\n") + "\n")
            let corpus = try readCorpus(file)
            originals.append(corpus.articles.map(\.id).sorted())
            #expect(Set(corpus.urlDuplicates.map(\.originalID)) == ["b", "c"])
        }
        // The earlier time wins ("b" over "a"); at the same time the smaller id ("c" over "d").
        #expect(originals.allSatisfy { $0 == ["b", "c"] })
    }

    @Test("the same file content read twice keeps one article per URL without id warnings")
    func sameRecordsTwice() throws {
        let dir = try TempDir()
        let text = #"{"title": "Same", "url": "https://e.com/s"}"# + "\n"
        try dir.write("a.jsonl", text)
        try dir.write("b.jsonl", text)
        let corpus = try readCorpus(dir.path)
        #expect(corpus.articles.count == 1)
        #expect(corpus.articles.first?.source.file.hasSuffix("a.jsonl") == true)
        #expect(corpus.urlDuplicates.count == 1)
        #expect(corpus.urlDuplicates.first?.article.id != corpus.articles.first?.id)
        #expect(corpus.rejects.isEmpty)
    }
}
