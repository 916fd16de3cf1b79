import Corpus
import Foundation

/// A fresh directory under the system temp directory, removed when the test drops it.
final class TempDir {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "corpus-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` (creating parent directories) and returns the file's path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func mkdir(_ name: String) throws -> String {
        let directory = path + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }
}

enum Fixtures {
    /// The directory holding the two seed front-matter files.
    static var seeds: String {
        Bundle.module.resourcePath! + "/Fixtures/seeds"
    }
}

extension Corpus {
    func article(titled title: String) -> Article? {
        articles.first { $0.title == title }
    }

    func rejects(_ severity: Reject.Severity) -> [Reject] {
        rejects.filter { $0.severity == severity }
    }
}

/// Reads `paths` with the standard options.
func readCorpus(_ paths: String..., fields: [String] = []) throws -> Corpus {
    var map = FieldMap.standard
    for spec in fields { try map.add(spec) }
    return try CorpusReader(options: ReadOptions(fields: map)).read(paths: paths)
}
