import Corpus
import Foundation
import GRDB
import Testing
@testable import StoryState

/// Opening a file: a new state is created, anything else that is not a state of this schema is
/// refused with a message and left byte for byte as it was.
@Suite struct StateStoreTests {
    static func temporaryPath(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func aMissingFileBecomesAnEmptyStateOfThisSchema() throws {
        let path = try Self.temporaryPath("new.sqlite")
        let store = try StateStore(path: path)
        #expect(try store.isEmpty)
        #expect(try store.nextStoryID() == 1)
        #expect(try store.lastParameters() == nil)
        let version = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(version == StateSchema.version)
    }

    @Test(arguments: [2, 0])
    func aStateOfAnotherSchemaVersionIsRefusedUntouched(version: Int) throws {
        let path = try Self.temporaryPath("other.sqlite")
        _ = try StateStore(path: path)
        try DatabaseQueue(path: path).write { try $0.execute(sql: "PRAGMA user_version = \(version)") }
        let before = try Self.bytes(path)
        #expect {
            _ = try StateStore(path: path)
        } throws: { error in
            guard case StateError.schema(_, let found, let supported) = error else { return false }
            return found == version && supported == StateSchema.version
                && "\(error)".contains(version > StateSchema.version ? "newer" : "older")
        }
        #expect(try Self.bytes(path) == before)
    }

    @Test func anotherSQLiteFileIsNotAState() throws {
        let path = try Self.temporaryPath("other-app.sqlite")
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')") }
        let before = try Self.bytes(path)
        #expect {
            _ = try StateStore(path: path)
        } throws: { error in
            guard case StateError.notState = error else { return false }
            return true
        }
        #expect(try Self.bytes(path) == before)
    }

    @Test func aFileThatIsNotADatabaseIsRefusedUntouched() throws {
        let path = try Self.temporaryPath("text.sqlite")
        try Data("these are notes, not a database\n".utf8).write(to: URL(fileURLWithPath: path))
        let before = try Self.bytes(path)
        #expect {
            _ = try StateStore(path: path)
        } throws: { error in
            guard case StateError.database(_, let reason) = error else { return false }
            return reason.contains("not a database")
        }
        #expect(try Self.bytes(path) == before)
    }

    @Test func aRecordedUpdateIsReadBackWithItsStories() throws {
        let path = try Self.temporaryPath("round.sqlite")
        let store = try StateStore(path: path)
        let source = SourceLocation(file: "in.jsonl", line: 1, record: 1)
        let a = Article(id: "a", title: "A", body: "alpha", published: 100, canonicalURL: "https://x.example/a", topics: ["x", "y"], source: source)
        let b = Article(id: "b", title: "B", body: "beta", published: 200, source: source)
        var update = StateUpdate(parameters: "{}", inputs: "[]", nextStoryID: 2)
        update.newArticles = [a, b]
        update.memberships = [("a", 1), ("b", 1)]
        update.canonical = [1: "a"]
        update.changes = [StoryChange(story: 1, kind: .born, articlesAdded: 2, size: 2)]
        update.windowStart = 0
        _ = try store.record(update)
        let stored = try store.articles(from: 150, to: nil, includeUndated: false)
        #expect(stored.map(\.article.id) == ["b"])
        #expect(stored.first?.story == 1)
        let all = try store.articles(from: nil, to: nil, includeUndated: true)
        #expect(all.first?.article == a)
        #expect(try store.seen(id: "zzz", canonicalURL: "https://x.example/a")?.id == "a")
        #expect(try store.sizes(of: [1]) == [1: 2])
        #expect(try store.nextStoryID() == 2)
        #expect(try store.lastParameters() == "{}")
    }

    /// More records than one lookup binds: each is found by id, else by URL (the original
    /// before its copies), else not at all, wherever it falls among the lookups.
    @Test func manyRecordsAreSeenByIDThenByURLAcrossLookups() throws {
        let path = try Self.temporaryPath("seen.sqlite")
        let store = try StateStore(path: path)
        let source = SourceLocation(file: "in.jsonl", line: 1, record: 1)
        let count = 2 * StateStore.keysPerQuery + 7
        let stored = (0..<count).map { k in
            Article(id: String(format: "a%05d", k), title: "T\(k)", body: "b", published: Int64(k), canonicalURL: "https://x.example/\(k)", source: source)
        }
        var update = StateUpdate(parameters: "{}", inputs: "[]", nextStoryID: 1)
        update.newArticles = stored
        // A copy of article 3 under another id, with the same URL: a lookup by that URL finds the original.
        update.urlDuplicates = [URLDuplicate(article: Article(id: "c3", title: "T3", body: "b", published: 3, canonicalURL: "https://x.example/3", source: source), originalID: stored[3].id)]
        _ = try store.record(update)

        var records: [(id: String, canonicalURL: String?)] = []
        var expected: [String?] = []
        for k in stride(from: 0, to: count, by: 1) {
            switch k % 3 {
            case 0: records.append((stored[k].id, nil)); expected.append(stored[k].id)
            case 1: records.append(("other\(k)", stored[k].canonicalURL)); expected.append(stored[k].id)
            default: records.append(("new\(k)", "https://y.example/\(k)")); expected.append(nil)
            }
        }
        records.append(("c3", nil)); expected.append("c3")
        records.append(("zz", "https://x.example/3")); expected.append(stored[3].id)
        let seen = try store.seen(records)
        #expect(seen.map { $0?.id } == expected)
        #expect(seen.last??.duplicateOf == nil && seen[seen.count - 2]?.duplicateOf == stored[3].id)
    }
}
