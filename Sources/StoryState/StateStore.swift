public import Corpus
import Foundation
import GRDB

/// An article as the state keeps it, with the story it belongs to (if any yet).
public struct StoredArticle: Sendable {
    public var article: Article
    public var textHash: String
    public var story: Int64?
}

/// What the state knows of an article it has seen, to tell a repeat from a newer version.
public struct SeenArticle: Sendable, Hashable {
    public var id: String
    public var textHash: String
    public var published: Int64?
    /// The story it belongs to.
    public var story: Int64?
    /// For an `exact_url` copy kept beside its original: the original's id.
    public var duplicateOf: String?
}

/// A state file: every article seen, the stories with their stable ids, and the runs.
///
/// Opening it checks that it is a state of this schema and reads nothing else; the articles
/// are read by time range only (``articles(from:to:includeUndated:)``), so an update holds one
/// window in memory however long the state's history.
public final class StateStore: @unchecked Sendable {
    public let path: String
    let db: DatabaseQueue

    /// Opens the state at `path`, creating it when it does not exist.
    ///
    /// - Throws: ``StateError`` when the file is not a state, of another schema version, or not
    ///   a database; the file is then as it was.
    public init(path: String) throws(StateError) {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "storyclust state"
        configuration.busyMode = .timeout(10)
        // An update writes a day of articles in one transaction: a page cache of 32 MiB keeps
        // most of it from spilling to the file before the commit (SQLite's default is 2 MiB).
        // Each row's insert (a table and its indexes, foreign keys checked) keeps a statement
        // journal of the pages it changes, so that it can be undone alone: in a temporary file
        // by default, which cost a day's update about 520,000 write calls (1 GB) for pages that
        // are thrown away at the end of each statement. In memory it is a few pages at a time.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -32768")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do {
            db = try DatabaseQueue(path: path, configuration: configuration)
            try StateSchema.prepare(db, path: path)
        } catch let error as StateError {
            throw error
        } catch {
            throw StateError.database(path: path, reason: Self.reason(error))
        }
    }

    /// A state with no run yet.
    public var isEmpty: Bool {
        get throws(StateError) { try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") == 0 } }
    }

    /// The parameters the last run recorded, `nil` before the first.
    public func lastParameters() throws(StateError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT parameters FROM runs ORDER BY id DESC LIMIT 1") }
    }

    /// The stored article with this id, else the one with this canonical URL.
    public func seen(id: String, canonicalURL: String?) throws(StateError) -> SeenArticle? {
        try seen([(id, canonicalURL)])[0]
    }

    /// ``seen(id:canonicalURL:)`` of each record, in one read.
    ///
    /// The ids, then the URLs of the records not found by id, are looked up some hundreds at a
    /// time: a day's update brings tens of thousands of records, nearly all new, and a query per
    /// record cost more than the rest of the read.
    public func seen(_ records: [(id: String, canonicalURL: String?)]) throws(StateError) -> [SeenArticle?] {
        try read { db in
            let select = """
                SELECT a.id, a.text_hash, a.published, a.duplicate_of, m.story, a.canonical_url
                FROM articles a LEFT JOIN memberships m ON m.article = a.id WHERE
                """
            func found(_ column: String, _ keys: Set<String>, _ body: (Row) -> Void) throws {
                try Self.rows(db, "\(select) \(column)", in: keys.sorted(), body)
            }
            func seen(_ row: Row) -> SeenArticle {
                SeenArticle(id: row[0], textHash: row[1], published: row[2], story: row[4], duplicateOf: row[3])
            }
            var byID: [String: SeenArticle] = [:]
            try found("a.id", Set(records.map(\.id))) { byID[$0[0]] = seen($0) }
            // By URL, the original before its copies, then the lowest id.
            func rank(_ article: SeenArticle) -> (Int, String) { (article.duplicateOf == nil ? 0 : 1, article.id) }
            var byURL: [String: SeenArticle] = [:]
            let urls = Set(records.compactMap { byID[$0.id] == nil ? $0.canonicalURL : nil })
            try found("a.canonical_url", urls) { row in
                let candidate = seen(row), url: String = row[5]
                if let known = byURL[url], rank(known) <= rank(candidate) { return }
                byURL[url] = candidate
            }
            return records.map { record in byID[record.id] ?? record.canonicalURL.flatMap { byURL[$0] } }
        }
    }

    /// Keys bound to one `IN (...)` lookup: well under SQLite's limit of bound values.
    static let keysPerQuery = 500

    /// The rows of `select` (a query ending in the column to match) whose column is among
    /// `keys`, ``keysPerQuery`` keys to a query.
    private static func rows(
        _ db: Database, _ select: String, in keys: [some DatabaseValueConvertible], _ body: (Row) -> Void
    ) throws {
        for start in stride(from: 0, to: keys.count, by: keysPerQuery) {
            let chunk = Array(keys[start..<min(start + keysPerQuery, keys.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "\(select) IN (\(marks))", arguments: StatementArguments(chunk)) { body(row) }
        }
    }

    /// Hands SQLite's page cache back to the allocator: after the window is read, its pages
    /// (up to the 32 MiB cache) would otherwise sit beside the window's vectors and pairs at
    /// the update's peak. The write that follows reads what it needs again.
    public func releaseMemory() {
        db.releaseMemory()
    }

    /// The latest publish time stored, `nil` when no stored article has one.
    public func latestPublished() throws(StateError) -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(published) FROM articles") }
    }

    /// The first story id never handed out.
    public func nextStoryID() throws(StateError) -> Int64 {
        try read { db in Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'next_story'") ?? "1") ?? 1 }
    }

    /// Stored articles published in `from...to` (either end open when `nil`), with undated ones
    /// too when `includeUndated`; by id, so that the order never depends on the order of runs.
    public func articles(from: Int64?, to: Int64?, includeUndated: Bool) throws(StateError) -> [StoredArticle] {
        try select(from: from, to: to, includeUndated: includeUndated, duplicates: false).map { $0.0 }
    }

    /// The `exact_url` copies whose originals are among ``articles(from:to:includeUndated:)``'s.
    public func urlDuplicates(from: Int64?, to: Int64?, includeUndated: Bool) throws(StateError) -> [URLDuplicate] {
        try select(from: from, to: to, includeUndated: includeUndated, duplicates: true).map { URLDuplicate(article: $0.0.article, originalID: $0.1 ?? "") }
    }

    private func select(from: Int64?, to: Int64?, includeUndated: Bool, duplicates: Bool) throws(StateError) -> [(StoredArticle, String?)] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let from { conditions.append("a.published >= ?"); arguments += [from] }
            if let to { conditions.append("a.published <= ?"); arguments += [to] }
            var dated = conditions.isEmpty ? "a.published IS NOT NULL" : conditions.joined(separator: " AND ")
            if includeUndated { dated = "(\(dated)) OR a.published IS NULL" }
            // A copy is selected by its original's time, so that it always comes with it.
            // A time range reads the time index: ordered by id, SQLite would walk the whole table.
            let byTime = conditions.isEmpty ? "" : "INDEXED BY articles_by_time"
            let columns = Self.storedColumns.map { (duplicates ? "c." : "a.") + $0 }.joined(separator: ", ")
            let rows = try Row.fetchCursor(db, sql: duplicates ? """
                SELECT \(columns), NULL AS story FROM articles a \(byTime) JOIN articles c ON c.duplicate_of = a.id
                WHERE a.duplicate_of IS NULL AND (\(dated))
                """ : """
                SELECT \(columns), m.story FROM articles a \(byTime) LEFT JOIN memberships m ON m.article = a.id
                WHERE a.duplicate_of IS NULL AND (\(dated))
                """, arguments: arguments)
            var found: [(StoredArticle, String?)] = []
            var shared = SharedStrings()
            while let row = try rows.next() { found.append(Self.stored(row, &shared)) }
            found.sort { $0.0.article.id < $1.0.article.id }
            return found
        }
    }

    /// The size of each of `stories` as stored (members inside and outside any window).
    public func sizes(of stories: some Sequence<Int64>) throws(StateError) -> [Int64: Int] {
        let ids = Array(Set(stories))
        return try read { db in
            var sizes: [Int64: Int] = [:]
            try Self.rows(db, "SELECT id, size FROM stories WHERE id", in: ids) { sizes[$0["id"]] = $0["size"] }
            return sizes
        }
    }

    /// Counts of what the state holds, for messages and the README's size figures.
    public func counts() throws(StateError) -> (runs: Int, articles: Int, stories: Int) {
        try read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM articles") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM stories WHERE status != 'merged'") ?? 0)
        }
    }

    /// SHA-256 of what is clustered of an article: a changed title, excerpt or body is a new version.
    public static func textHash(_ article: Article) -> String {
        StableHash.sha256Hex(article.title + "\u{1F}" + article.excerpt + "\u{1F}" + article.body)
    }

    /// The text id a story goes by in the reports.
    public static func storyName(_ id: Int64) -> String { "s\(id)" }

    func read<T>(_ body: (Database) throws -> T) throws(StateError) -> T {
        do { return try db.read(body) } catch let error as StateError { throw error } catch {
            throw StateError.database(path: path, reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return "SQLite: \(error.message ?? "\(error.resultCode)")" }
        return "\(error)"
    }

    /// Topics are stored as one text, separated by a character no topic holds.
    static let topicSeparator = "\u{1F}"

    /// The columns ``stored(_:_:)`` reads, by position (a window is some 100,000 rows: by name,
    /// each value is a search of the row's column names), then the story.
    private static let storedColumns = [
        "id", "title", "excerpt", "body", "published", "url", "canonical_url", "publisher", "domain", "quality", "topics",
        "listed_by", "label", "source_file", "source_line", "source_record", "text_hash", "duplicate_of",
    ]

    /// One text per distinct value of the columns most rows repeat (the input file, the
    /// outlet), so that a window does not hold a copy of each per article.
    private struct SharedStrings {
        var seen: [String: String] = [:]

        mutating func callAsFunction(_ value: String) -> String {
            if let known = seen[value] { return known }
            seen[value] = value
            return value
        }
    }

    /// A row of ``storedColumns`` and the story, and the article's original when it is a copy.
    private static func stored(_ row: Row, _ shared: inout SharedStrings) -> (StoredArticle, String?) {
        let topics: String = row[10]
        let article = Article(
            id: row[0], title: row[1], excerpt: row[2], body: row[3], published: row[4],
            url: row[5], canonicalURL: row[6], publisher: shared(row[7]), domain: shared(row[8]),
            quality: row[9], topics: topics.isEmpty ? [] : topics.components(separatedBy: topicSeparator),
            listedBy: row[11], label: row[12],
            source: SourceLocation(file: shared(row[13]), line: row[14], record: row[15]))
        return (StoredArticle(article: article, textHash: row[16], story: row[18]), row[17])
    }
}
