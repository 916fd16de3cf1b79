import Corpus
import Foundation
import Testing

@Suite("Special files and StoryClust's own reports")
struct SpecialFileTests {
    @Test("a FIFO in a directory or given as an argument is skipped without opening it")
    func fifo() throws {
        let dir = try TempDir()
        try dir.write("a.jsonl", #"{"title": "kept"}"# + "\n")
        let pipe = dir.path + "/b.jsonl"
        #expect(mkfifo(pipe, 0o644) == 0)
        // Opening the FIFO to read would block until a writer came: none ever does.
        for corpus in [try readCorpus(dir.path), try readCorpus(pipe, dir.path + "/a.jsonl"), try readCorpus(pipe, dir.path)] {
            #expect(corpus.articles.map(\.title) == ["kept"])
            let rejects = corpus.rejects.filter { $0.source.file == pipe }
            #expect(rejects.count == 1)
            #expect(rejects.first?.severity == .skipped)
            #expect(rejects.first?.reason == "a named pipe (FIFO), not a regular file; skipped")
        }
    }

    @Test("a Unix socket and a device get a reason that says what they are")
    func socketAndDevice() throws {
        let dir = try TempDir()
        let socketPath = dir.path + "/c.jsonl"
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let corpus = try readCorpus(dir.path, "/dev/null")
        let reasons = Dictionary(uniqueKeysWithValues: corpus.rejects.map { ($0.source.file, $0.reason) })
        #expect(reasons[socketPath] == "a socket, not a regular file; skipped")
        #expect(reasons["/dev/null"] == "a character device, not a regular file; skipped")
    }

    @Test("the --out directory and directories holding a StoryClust summary.json are not read")
    func ownReports() throws {
        let dir = try TempDir()
        try dir.write("in/a.jsonl", #"{"title": "kept"}"# + "\n")
        try dir.write("in/out/articles.jsonl", #"{"title": "report of the last run"}"# + "\n")
        try dir.write("in/old/summary.json", #"{"tool": {"name": "storyclust", "version": "1"}, "counts": {}}"#)
        try dir.write("in/old/articles.jsonl", #"{"title": "older report"}"# + "\n")
        try dir.write("in/theirs/summary.json", #"{"tool": {"name": "something else"}}"#)
        try dir.write("in/theirs/b.jsonl", #"{"title": "someone else's"}"# + "\n")
        let options = ReadOptions(excludedDirectories: [dir.path + "/in/out/"])
        let corpus = try CorpusReader(options: options).read(paths: [dir.path + "/in"])
        #expect(corpus.articles.map(\.title) == ["kept", "someone else's"])
        let own = corpus.rejects.filter(CorpusReader.isOwnOutput)
        #expect(own.map { ($0.source.file as NSString).lastPathComponent } == ["old", "out"])
        #expect(own.allSatisfy { $0.reason.contains("reports are never read back as input") })
        #expect(corpus.rejects.contains { $0.source.file.hasSuffix("theirs/summary.json") })
    }
}
