/// What the editorial reports (`publishers.csv`, `report.html`) are made of: the stories with
/// their members, the rejects and the run's headline facts.
///
/// It is built either from a run (``init(_:)``) or read back from a reports directory
/// (``ReportReader/editorialReport()``), so that `storyclust report DIR` renders the same page
/// as the run that wrote DIR.
public struct EditorialReport: Sendable {
    /// One story cluster, as `clusters.json` holds it.
    public struct Story: Sendable {
        public var id: String
        /// The members in `articles.csv` order: canonical first.
        public var members: [Member]
        /// Distinct outlets, sorted.
        public var outlets: [String]
        public var first: Int64?
        public var last: Int64?
        public var topTerms: [String]
        public var duplicates: Int

        public var canonical: Member { members[0] }
    }

    /// One article of a story.
    public struct Member: Sendable {
        public var id: String
        public var title: String
        public var publisher: String
        public var domain: String
        public var url: String?
        public var published: Int64?
        /// `canonical`, `exact_url`, `exact_text`, `near_duplicate`, `same_story` or `singleton`.
        public var relation: String
        public var duplicateOf: String?
        /// Cosine to the canonical article.
        public var similarity: Double
        /// Cosine to the article it copies; `nil` for an original.
        public var similarityToOriginal: Double?

        /// The outlet it counts for: its publisher, else its domain (possibly empty).
        public var outlet: String { publisher.isEmpty ? domain : publisher }
    }

    /// A rejected record, a warning or a skipped file, as `rejects.csv` lists it.
    public struct Reject: Sendable {
        public var file: String
        public var line: String
        public var record: String
        public var severity: String
        public var reason: String
    }

    /// An input file of the run.
    public struct Input: Sendable {
        public var path: String
        public var format: String
        public var records: Int
    }

    /// Largest first, as in `clusters.csv`.
    public var stories: [Story]
    public var rejects: [Reject]
    public var inputs: [Input]
    public var version: String

    /// Articles that copy another (`exact_url`, `exact_text`, `near_duplicate`).
    public var copies: Int { stories.reduce(0) { $0 + $1.duplicates } }
    public var articles: Int { stories.reduce(0) { $0 + $1.members.count } }
    public var rejected: Int { rejects.count { $0.severity == "rejected" } }

    /// The first and last publish time of any article.
    public var span: (first: Int64, last: Int64)? {
        let firsts = stories.compactMap(\.first), lasts = stories.compactMap(\.last)
        guard let first = firsts.min(), let last = lasts.max() else { return nil }
        return (first, last)
    }
}
