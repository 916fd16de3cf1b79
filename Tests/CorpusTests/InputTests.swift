import Corpus
import Foundation
import Testing

@Suite("Input paths and bad files")
struct InputTests {
    @Test("directories are walked in sorted order, hidden entries skipped, other types reported")
    func directoryWalk() throws {
        let dir = try TempDir()
        try dir.write("b/2.jsonl", #"{"title": "b2"}"# + "\n")
        try dir.write("b/10.jsonl", #"{"title": "b10"}"# + "\n")
        try dir.write("a.md", "---\ntitle: a\n---\n")
        try dir.write("c/deep/d.csv", "title\nd\n")
        try dir.write(".hidden.jsonl", #"{"title": "hidden"}"# + "\n")
        try dir.write(".git/e.jsonl", #"{"title": "in hidden dir"}"# + "\n")
        try dir.write("notes.pdf", "%PDF")
        try dir.write("README", "text")
        let corpus = try readCorpus(dir.path)
        #expect(corpus.articles.map(\.title) == ["a", "b10", "b2", "d"])
        #expect(corpus.files.map { String($0.path.dropFirst(dir.path.count + 1)) } == ["a.md", "b/10.jsonl", "b/2.jsonl", "c/deep/d.csv"])
        let skipped = corpus.rejects(.skipped)
        #expect(skipped.map { ($0.source.file as NSString).lastPathComponent } == ["README", "notes.pdf"])
        #expect(skipped.map(\.reason) == ["not an input format (no extension), skipped", "not an input format (.pdf), skipped"])
        #expect(skipped.allSatisfy { $0.source.record == 0 })
    }

    @Test("the result does not depend on the order of the paths")
    func pathOrder() throws {
        let dir = try TempDir()
        let a = try dir.write("a.jsonl", #"{"title": "a"}"# + "\n")
        let b = try dir.write("z/b.jsonl", #"{"title": "b"}"# + "\n")
        let c = try dir.write("m.csv", "title\nc\n")
        let forward = try readCorpus(a, b, c)
        let backward = try readCorpus(c, b, a)
        #expect(forward.articles == backward.articles)
        #expect(forward.files == backward.files)
        #expect(forward.articles.map(\.title) == ["a", "c", "b"])
    }

    @Test("a symbolic link loop is not followed forever and each file is read once")
    func symlinkLoop() throws {
        let dir = try TempDir()
        try dir.write("top/x.jsonl", #"{"title": "x"}"# + "\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/top/loop", withDestinationPath: dir.path + "/top")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/top/same.jsonl", withDestinationPath: dir.path + "/top/x.jsonl")
        let corpus = try readCorpus(dir.path, dir.path + "/top")
        #expect(corpus.articles.map(\.title) == ["x"])
        #expect(corpus.files.count == 1)
    }

    @Test("a missing path throws")
    func missingPath() throws {
        let dir = try TempDir()
        let missing = dir.path + "/nope.jsonl"
        #expect(throws: CorpusError.missingInput(path: missing)) {
            try CorpusReader().read(paths: [dir.path, missing])
        }
    }

    @Test("a binary file is rejected as a whole and the other files are read")
    func binaryFile() throws {
        let dir = try TempDir()
        try dir.write("a.jsonl", bytes: Array(#"{"title": "x"}"#.utf8) + [0, 1, 2, 0x0A])
        try dir.write("b.jsonl", #"{"title": "kept"}"# + "\n")
        let corpus = try readCorpus(dir.path)
        #expect(corpus.articles.map(\.title) == ["kept"])
        let reject = try #require(corpus.rejects.first)
        #expect(reject.source.file.hasSuffix("a.jsonl"))
        #expect(reject.source.record == 0)
        #expect(reject.severity == .rejected)
        #expect(reject.reason.contains("binary file"))
        #expect(corpus.files.count == 2)
    }

    @Test("invalid UTF-8 in a file that is one document rejects it and says where the byte is", arguments: ["a.md", "a.json"])
    func invalidUTF8(name: String) throws {
        let dir = try TempDir()
        let content: [UInt8] = switch name {
        case "a.md": Array("---\ntitle: caf".utf8) + [0xFF] + Array("\n---\n".utf8)
        default: Array(#"[{"title": "caf"#.utf8) + [0xC3] + Array(#""}]"#.utf8)
        }
        try dir.write(name, bytes: content)
        try dir.write("z.jsonl", #"{"title": "kept"}"# + "\n")
        let corpus = try readCorpus(dir.path)
        #expect(corpus.articles.map(\.title) == ["kept"])
        let reject = try #require(corpus.rejects.first)
        #expect(reject.source.file.hasSuffix(name))
        #expect(reject.source.record == 0)
        #expect(reject.reason.contains("not UTF-8"))
        let expectedLine = name == "a.md" ? 2 : 1
        #expect(reject.reason.contains("line \(expectedLine)"))
        if name == "a.md" { #expect(reject.reason.contains("invalid byte 0xFF at byte 11 on line 2")) }
    }

    @Test("invalid UTF-8 on one line of a line-based file rejects that line only", arguments: ["a.jsonl", "a.csv"])
    func invalidUTF8Line(name: String) throws {
        let dir = try TempDir()
        var content: [UInt8] = name == "a.csv" ? Array("title\n".utf8) : []
        func line(_ title: String) -> [UInt8] { Array((name == "a.csv" ? title : #"{"title": "\#(title)"}"#).utf8) }
        for index in 1...1_000 { content += line("ok \(index)") + [0x0A] }
        content += line("caf") + [0xC3, 0x28] + line("e") + [0x0A]
        content += line("after") + [0x0A]
        let file = try dir.write(name, bytes: content)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.count == 1_001)
        #expect(corpus.articles.last?.title == "after")
        let reject = try #require(corpus.rejects(.rejected).first)
        #expect(corpus.rejects(.rejected).count == 1)
        #expect(reject.source.line == (name == "a.csv" ? 1_002 : 1_001))
        #expect(reject.source.record == 1_001)
        #expect(reject.reason.contains("not UTF-8"))
        #expect(reject.reason.contains("invalid byte 0x28") || reject.reason.contains("invalid byte 0xC3"))
    }

    @Test("an unreadable file is rejected with the system's reason", .enabled(if: getuid() != 0, "root can read anything"))
    func unreadable() throws {
        let dir = try TempDir()
        let file = try dir.write("a.jsonl", #"{"title": "x"}"# + "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.isEmpty)
        #expect(corpus.rejects.first?.reason.contains("Permission denied") == true)
    }
}
