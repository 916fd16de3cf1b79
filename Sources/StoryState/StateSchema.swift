import GRDB

/// The tables of a state file, and how a file is recognised as one.
///
/// The schema has one version number, kept in `meta` and in SQLite's `user_version`; a file
/// of any other version is refused before anything is written, so an older build never damages
/// a newer state and the other way round. The application id tells a state from other SQLite files.
enum StateSchema {
    /// The version this build reads and writes.
    static let version = 1
    /// `PRAGMA application_id`: "STCL".
    static let applicationID: Int32 = 0x5354_434C

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    started TEXT NOT NULL,
                    parameters TEXT NOT NULL,
                    inputs TEXT NOT NULL,
                    articles_new INTEGER NOT NULL,
                    articles_updated INTEGER NOT NULL,
                    articles_seen INTEGER NOT NULL,
                    articles_window INTEGER NOT NULL,
                    rejected INTEGER NOT NULL,
                    window_start INTEGER,
                    horizon INTEGER,
                    stories_born INTEGER NOT NULL,
                    stories_merged INTEGER NOT NULL,
                    stories_split INTEGER NOT NULL,
                    stories_closed INTEGER NOT NULL
                );
                CREATE TABLE articles (
                    id TEXT PRIMARY KEY NOT NULL,
                    canonical_url TEXT,
                    text_hash TEXT NOT NULL,
                    published INTEGER,
                    first_run INTEGER NOT NULL REFERENCES runs(id),
                    last_run INTEGER NOT NULL REFERENCES runs(id),
                    title TEXT NOT NULL,
                    excerpt TEXT NOT NULL,
                    body TEXT NOT NULL,
                    url TEXT,
                    publisher TEXT NOT NULL,
                    domain TEXT NOT NULL,
                    quality REAL,
                    topics TEXT NOT NULL,
                    listed_by TEXT,
                    label TEXT,
                    source_file TEXT NOT NULL,
                    source_line INTEGER,
                    source_record INTEGER NOT NULL,
                    duplicate_of TEXT
                ) WITHOUT ROWID;
                CREATE INDEX articles_by_url ON articles(canonical_url) WHERE canonical_url IS NOT NULL;
                CREATE INDEX articles_by_time ON articles(published);
                CREATE TABLE stories (
                    id INTEGER PRIMARY KEY,
                    status TEXT NOT NULL CHECK (status IN ('open', 'merged', 'closed')),
                    first_published INTEGER,
                    last_published INTEGER,
                    size INTEGER NOT NULL,
                    canonical_article TEXT,
                    born_run INTEGER NOT NULL REFERENCES runs(id),
                    merged_into INTEGER REFERENCES stories(id),
                    split_from INTEGER REFERENCES stories(id),
                    closed_run INTEGER REFERENCES runs(id)
                );
                CREATE INDEX stories_open ON stories(status, last_published);
                CREATE TABLE memberships (
                    article TEXT PRIMARY KEY NOT NULL REFERENCES articles(id),
                    story INTEGER NOT NULL REFERENCES stories(id),
                    run INTEGER NOT NULL REFERENCES runs(id)
                ) WITHOUT ROWID;
                CREATE INDEX memberships_by_story ON memberships(story);
                CREATE TABLE changes (
                    run INTEGER NOT NULL REFERENCES runs(id),
                    story INTEGER NOT NULL REFERENCES stories(id),
                    change TEXT NOT NULL,
                    other_story INTEGER REFERENCES stories(id),
                    articles_added INTEGER NOT NULL,
                    size INTEGER NOT NULL
                );
                CREATE INDEX changes_by_run ON changes(run);
                """)
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('schema_version', ?), ('next_story', '1')", arguments: ["\(version)"])
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
        return migrator
    }

    /// Refuses a file that is not a state of this version; creates the tables in a new file.
    ///
    /// Reads only, but for the creation of an empty file's tables.
    static func prepare(_ db: DatabaseQueue, path: String) throws {
        let (applicationID, userVersion, tableCount) = try db.read { db in
            (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
             try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
        }
        if tableCount == 0 && applicationID == 0 {
            try migrator.migrate(db)
            return
        }
        guard applicationID == Self.applicationID else { throw StateError.notState(path: path) }
        guard userVersion == version else { throw StateError.schema(path: path, found: userVersion, supported: version) }
    }
}
