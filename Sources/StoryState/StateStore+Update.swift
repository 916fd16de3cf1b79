public import Corpus
import Foundation
import GRDB

/// Everything one update records, written in one transaction by ``StateStore/record(_:)``.
public struct StateUpdate: Sendable {
    /// The clustering settings, as a canonical JSON text compared with the next run's.
    public var parameters: String
    /// The input files, as JSON (path, format, bytes, SHA-256, records).
    public var inputs: String
    public var articlesSeen = 0
    public var rejected = 0
    /// The window: articles published at or after it were clustered; stories with nothing
    /// after it are closed.
    public var windowStart: Int64?
    public var horizon: Int64?
    /// Articles new to the state, and newer versions of stored ones (under the stored id).
    public var newArticles: [Article] = []
    public var updatedArticles: [Article] = []
    /// The `exact_url` copies of new or updated articles, kept for `export` (never clustered again).
    public var urlDuplicates: [URLDuplicate] = []
    /// Articles clustered: the new ones and the stored ones inside the window.
    public var windowArticles = 0
    /// The story of each article of the window that is new or changed story.
    public var memberships: [(article: String, story: Int64)] = []
    /// The canonical article of each story of the window; stored for the stories the update
    /// touched (a member added or moved, a merge or split), the others keep theirs.
    public var canonical: [Int64: String] = [:]
    /// What the matcher found (born, grew, merged_into, split_from).
    public var changes: [StoryChange] = []
    public var nextStoryID: Int64

    public init(parameters: String, inputs: String, nextStoryID: Int64) {
        self.parameters = parameters
        self.inputs = inputs
        self.nextStoryID = nextStoryID
    }
}

extension StateStore {
    /// Records `update` in one transaction and returns the stories it closed.
    ///
    /// Killed at any point (``CrashPoint``), the file is as before: SQLite rolls the journal
    /// back on the next open. The stories' sizes and times are recomputed from the memberships
    /// in the same transaction, so they never disagree with them.
    public func record(_ update: StateUpdate) throws(StateError) -> (run: Int64, closed: [StoryChange]) {
        CrashPoint.reach("before-transaction")
        do {
            let result = try db.write { db -> (Int64, [StoryChange]) in
                let started = ISO8601DateFormatter().string(from: Date())
                let counts = Dictionary(grouping: update.changes, by: \.kind).mapValues(\.count)
                try db.execute(sql: """
                    INSERT INTO runs(started, parameters, inputs, articles_new, articles_updated, articles_seen, articles_window,
                                     rejected, window_start, horizon, stories_born, stories_merged, stories_split, stories_closed)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                    """, arguments: [
                        started, update.parameters, update.inputs, update.newArticles.count, update.updatedArticles.count,
                        update.articlesSeen, update.windowArticles, update.rejected, update.windowStart, update.horizon,
                        counts[.born] ?? 0, counts[.mergedInto] ?? 0, counts[.splitFrom] ?? 0,
                    ])
                let run = db.lastInsertedRowID
                try Self.writeArticles(update, run: run, db)
                CrashPoint.reach("after-articles")

                // New stories first (memberships point at them), then the memberships. Each
                // statement is compiled once: a day brings some 10,000 stories and 20,000 changes.
                let born = try db.makeStatement(sql: "INSERT INTO stories(id, status, size, born_run, split_from) VALUES (?, 'open', 0, ?, ?)")
                for change in update.changes where change.kind == .born || change.kind == .splitFrom {
                    try born.execute(arguments: [change.story, run, change.kind == .splitFrom ? change.other : nil])
                }
                let membership = try db.makeStatement(sql: """
                    INSERT INTO memberships(article, story, run) VALUES (?, ?, ?)
                    ON CONFLICT(article) DO UPDATE SET story = excluded.story, run = excluded.run WHERE story != excluded.story
                    """)
                // In key order, so that the B-tree is walked once instead of at random.
                for (article, story) in update.memberships.sorted(by: { $0.article < $1.article }) {
                    try membership.execute(arguments: [article, story, run])
                }
                let follow = try db.makeStatement(sql: "UPDATE memberships SET story = ?, run = ? WHERE story = ?")
                let merged = try db.makeStatement(sql: "UPDATE stories SET status = 'merged', merged_into = ?, size = 0 WHERE id = ?")
                for change in update.changes where change.kind == .mergedInto {
                    // Members outside the window follow the story they merged into.
                    try follow.execute(arguments: [change.other, run, change.story])
                    try merged.execute(arguments: [change.other, change.story])
                }
                CrashPoint.reach("after-memberships")

                try Self.refreshStories(update, run: run, db)
                let closed = try Self.closeStories(before: update.windowStart, except: Set(update.canonical.keys), run: run, db)
                let changed = try db.makeStatement(sql: "INSERT INTO changes(run, story, change, other_story, articles_added, size) VALUES (?, ?, ?, ?, ?, ?)")
                for change in update.changes + closed {
                    try changed.execute(arguments: [run, change.story, change.kind.rawValue, change.other, change.articlesAdded, change.size])
                }
                try db.execute(sql: "UPDATE runs SET stories_closed = ? WHERE id = ?", arguments: [closed.count, run])
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'next_story'", arguments: ["\(update.nextStoryID)"])
                CrashPoint.reach("after-stories")
                CrashPoint.reach("before-commit")
                return (run, closed)
            }
            CrashPoint.reach("after-commit")
            return result
        } catch let error as StateError {
            throw error
        } catch {
            throw StateError.database(path: path, reason: Self.reason(error))
        }
    }

    private static func writeArticles(_ update: StateUpdate, run: Int64, _ db: Database) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO articles(id, canonical_url, text_hash, published, first_run, last_run, title, excerpt, body, url,
                                 publisher, domain, quality, topics, listed_by, label, source_file, source_line, source_record, duplicate_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET canonical_url = excluded.canonical_url, text_hash = excluded.text_hash,
                published = excluded.published, last_run = excluded.last_run, title = excluded.title,
                excerpt = excluded.excerpt, body = excluded.body, url = excluded.url, publisher = excluded.publisher,
                domain = excluded.domain, quality = excluded.quality, topics = excluded.topics,
                listed_by = excluded.listed_by, label = excluded.label, source_file = excluded.source_file,
                source_line = excluded.source_line, source_record = excluded.source_record, duplicate_of = excluded.duplicate_of
            """)
        let rows = (update.newArticles + update.updatedArticles).map { ($0, String?.none) }
            + update.urlDuplicates.map { ($0.article, Optional($0.originalID)) }
        for (article, original) in rows.sorted(by: { $0.0.id < $1.0.id }) {
            let arguments: [(any DatabaseValueConvertible)?] = [
                article.id, article.canonicalURL, textHash(article), article.published, run, run, article.title,
                article.excerpt, article.body, article.url, article.publisher, article.domain, article.quality,
                article.topics.joined(separator: topicSeparator), article.listedBy, article.label, article.source.file,
                article.source.line, article.source.record, original,
            ]
            try insert.execute(arguments: StatementArguments(arguments))
        }
    }

    /// Sizes, first and last times of every story the update touched, from the memberships;
    /// the canonical article of each story of the window.
    private static func refreshStories(_ update: StateUpdate, run: Int64, _ db: Database) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS touched (id INTEGER PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM touched")
        let touch = try db.makeStatement(sql: "INSERT OR IGNORE INTO touched(id) VALUES (?)")
        let touched = Set(update.memberships.map(\.story)).union(update.changes.compactMap(\.other)).union(update.changes.map(\.story))
        for story in touched { try touch.execute(arguments: [story]) }
        // One pass over the touched stories' members (a story left empty keeps the zeros).
        try db.execute(sql: """
            UPDATE stories SET
                size = 0, first_published = NULL, last_published = NULL,
                status = CASE WHEN status = 'merged' THEN 'merged' ELSE 'open' END,
                closed_run = CASE WHEN status = 'merged' THEN closed_run ELSE NULL END
            WHERE id IN (SELECT id FROM touched)
            """)
        try db.execute(sql: """
            UPDATE stories SET size = agg.size, first_published = agg.first, last_published = agg.last
            FROM (SELECT m.story AS id, count(*) AS size, min(a.published) AS first, max(a.published) AS last
                  FROM touched t JOIN memberships m ON m.story = t.id JOIN articles a ON a.id = m.article
                  GROUP BY m.story) AS agg
            WHERE stories.id = agg.id
            """)
        let canonical = try db.makeStatement(sql: "UPDATE stories SET canonical_article = ? WHERE id = ?")
        for (story, article) in update.canonical where touched.contains(story) { try canonical.execute(arguments: [article, story]) }
        // A story whose last member went elsewhere has nothing left to show.
        try db.execute(sql: """
            UPDATE stories SET status = 'closed', closed_run = ?, canonical_article = NULL
            WHERE id IN (SELECT id FROM touched) AND size = 0 AND status = 'open'
            """, arguments: [run])
    }

    /// Closes the open stories the window has passed: nothing of theirs is at or after `start`
    /// and none is among the stories the window clustered.
    private static func closeStories(before start: Int64?, except window: Set<Int64>, run: Int64, _ db: Database) throws -> [StoryChange] {
        guard let start else { return [] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, size FROM stories WHERE status = 'open' AND (last_published IS NULL OR last_published < ?) ORDER BY id
            """, arguments: [start])
        var closed: [StoryChange] = []
        let close = try db.makeStatement(sql: "UPDATE stories SET status = 'closed', closed_run = ? WHERE id = ?")
        for row in rows {
            let story: Int64 = row["id"]
            guard !window.contains(story) else { continue }
            try close.execute(arguments: [run, story])
            closed.append(StoryChange(story: story, kind: .closed, articlesAdded: 0, size: row["size"]))
        }
        return closed
    }
}
