import Corpus
import Foundation
import Testing

@Suite("JSON envelopes from news APIs")
struct JSONEnvelopeTests {
    @Test("the records array of a news API envelope is found by itself", arguments: [
        #"{"status": "ok", "totalResults": 2, "articles": [{"title": "One"}, {"title": "Two"}]}"#,
        #"{"page": 1, "items": [{"title": "One"}, {"title": "Two"}]}"#,
        #"{"response": {"status": "ok", "results": [{"title": "One"}, {"title": "Two"}]}}"#,
        #"{"meta": {"count": 2}, "data": [{"title": "One"}, {"title": "Two"}]}"#,
        #"{"took": 3, "hits": {"total": 2, "hits": [{"_id": "e1", "_source": {"title": "One"}}, {"_id": "e2", "_source": {"title": "Two", "id": "own"}}]}}"#,
    ])
    func envelope(json: String) throws {
        let dir = try TempDir()
        let file = try dir.write("api.json", json)
        let corpus = try readCorpus(file)
        #expect(corpus.rejects.isEmpty)
        #expect(corpus.articles.map(\.title) == ["One", "Two"])
        #expect(corpus.articles.map(\.source.record) == [1, 2])
        #expect(corpus.files.first?.records == 2)
    }

    @Test("Elasticsearch hits are unwrapped from _source and take _id when the source has no id")
    func elasticsearchIDs() throws {
        let dir = try TempDir()
        let file = try dir.write("es.json", #"{"hits": {"hits": [{"_id": "e1", "_source": {"title": "One"}}, {"_id": "e2", "_source": {"title": "Two", "id": "own"}}]}}"#)
        #expect(try readCorpus(file).articles.map(\.id) == ["e1", "own"])
    }

    @Test("an article holding an array of objects stays one record")
    func articleWithImages() throws {
        let dir = try TempDir()
        let file = try dir.write("one.json", #"{"title": "Solo", "images": [{"url": "https://img.example/1.jpg"}]}"#)
        #expect(try readCorpus(file).articles.map(\.title) == ["Solo"])
    }

    @Test("several arrays of records are a reject naming them, and --records picks one")
    func ambiguous() throws {
        let dir = try TempDir()
        let file = try dir.write("two.json", #"{"articles": [{"title": "A"}], "results": [{"title": "R"}], "tags": ["x"]}"#)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.isEmpty)
        let reason = try #require(corpus.rejects(.rejected).first?.reason)
        #expect(reason.contains("several arrays of records (articles, results)"))
        #expect(reason.contains("--records KEY"))

        let picked = try CorpusReader(options: ReadOptions(recordsKey: "results")).read(paths: [file])
        #expect(picked.articles.map(\.title) == ["R"])
    }

    @Test("--records names a dotted path, matched ignoring case, and says what is missing")
    func recordsKey() throws {
        let dir = try TempDir()
        let file = try dir.write("nested.json", #"{"Payload": {"stories": [{"title": "Deep"}]}}"#)
        let found = try CorpusReader(options: ReadOptions(recordsKey: "payload.stories")).read(paths: [file])
        #expect(found.articles.map(\.title) == ["Deep"])

        let missing = try CorpusReader(options: ReadOptions(recordsKey: "payload.items")).read(paths: [file])
        #expect(missing.rejects(.rejected).first?.reason == "--records payload.items: 'payload' has no key 'items' (its keys: stories)")
        let notArray = try CorpusReader(options: ReadOptions(recordsKey: "payload")).read(paths: [file])
        #expect(notArray.rejects(.rejected).first?.reason == "--records payload: the value there is an object, not an array of records")
    }
}
