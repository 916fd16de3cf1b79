import Corpus
import Testing

@Suite("Story labels")
struct LabelTests {
    @Test("a label is read only when the label field is mapped")
    func labelNeedsAMapping() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", #"{"id": "a", "title": "x", "story": "s1", "label": "other"}"# + "\n")
        #expect(try readCorpus(file).articles.first?.label == nil, "no default key, not even `label`")
        #expect(try readCorpus(file, fields: ["label=story"]).articles.first?.label == "s1")
    }

    @Test("labels come from JSON Lines, JSON, CSV and front matter, numbers as written")
    func everyFormat() throws {
        let dir = try TempDir()
        try dir.write("in/a.jsonl", """
            {"id": "j1", "title": "x", "story": "1_10ecb"}
            {"id": "j2", "title": "x", "story": 7}
            {"id": "j3", "title": "x"}
            {"id": "j4", "title": "x", "story": null}

            """)
        try dir.write("in/b.json", #"[{"id": "o1", "title": "x", "story": "s9"}]"#)
        try dir.write("in/c.csv", "id,title,story\nc1,x,s3\nc2,y,\n")
        try dir.write("in/d.md", """
            ---
            id: f1
            title: Front
            story: 12
            related:
              - id: f2
                title: Related
                story: s12
              - id: f3
                title: Unlabelled
            ---
            """)
        let corpus = try readCorpus(dir.path + "/in", fields: ["label=story"])
        let labels = Dictionary(uniqueKeysWithValues: corpus.articles.map { ($0.id, $0.label ?? "<none>") })
        #expect(labels == [
            "j1": "1_10ecb", "j2": "7", "j3": "<none>", "j4": "<none>",
            "o1": "s9", "c1": "s3", "c2": "<none>",
            "f1": "12", "f2": "s12", "f3": "<none>",
        ])
        #expect(corpus.rejects.isEmpty, "a missing label is not a problem with the record: \(corpus.rejects)")
    }
}
