/// One news article as StoryClust sees it, whatever file format it came from.
///
/// Times are seconds since the Unix epoch (UTC) so that the hot modules never need Foundation's
/// `Date`. Text fields are never optional: an absent field is the empty string.
public struct Article: Sendable, Hashable {
    /// Stable identifier: the record's own `id`, else derived from the canonical URL, else from
    /// the file and record position. Unique within one run (duplicates get a `~2`, `~3` suffix).
    public var id: String
    public var title: String
    public var excerpt: String
    public var body: String
    /// Publish time in whole seconds since 1970-01-01T00:00:00Z; `nil` when unknown.
    public var published: Int64?
    /// The URL as given in the input (`webUrl`, `url`, `link`, ...).
    public var url: String?
    /// `url` after ``URLCanonicalizer`` rules; the key for `exact_url` duplicates.
    public var canonicalURL: String?
    public var publisher: String
    public var domain: String
    /// The input's `quality` score, higher is better; used to break canonical ties.
    public var quality: Double?
    public var topics: [String]
    /// For an entry of a front-matter file's `related` list: the id of the record that listed it.
    public var listedBy: String?
    /// The true story this article belongs to, for scoring a clustering against labelled data.
    ///
    /// Read only when the field map gives the `label` field a key (`--label-field story`):
    /// clustering never looks at it. `nil` when not asked for or absent from the record.
    public var label: String?
    /// Where the record was read from.
    public var source: SourceLocation

    public init(
        id: String,
        title: String = "",
        excerpt: String = "",
        body: String = "",
        published: Int64? = nil,
        url: String? = nil,
        canonicalURL: String? = nil,
        publisher: String = "",
        domain: String = "",
        quality: Double? = nil,
        topics: [String] = [],
        listedBy: String? = nil,
        label: String? = nil,
        source: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.excerpt = excerpt
        self.body = body
        self.published = published
        self.url = url
        self.canonicalURL = canonicalURL
        self.publisher = publisher
        self.domain = domain
        self.quality = quality
        self.topics = topics
        self.listedBy = listedBy
        self.label = label
        self.source = source
    }

    /// The text that is vectorized besides the title: the body when there is one, else the excerpt.
    ///
    /// An excerpt is usually the body's first sentences, so using both would count them twice.
    public var text: String { body.isEmpty ? excerpt : body }

    /// Characters of title and text: the "longest text" tie-breaker and the completeness measure.
    public var textLength: Int { Self.scalarCount(title) + Self.scalarCount(text) }

    /// `string.unicodeScalars.count`, from its UTF-8 bytes: every scalar has one byte that is
    /// not a continuation byte (`10xxxxxx`). A pass over the bytes instead of decoding them.
    static func scalarCount(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { bytes in
            var continuations = 0
            for byte in bytes { continuations &+= Int(byte & 0xC0 == 0x80 ? 1 : 0) }
            return bytes.count - continuations
        }
    }
}

/// Where a record came from: a file, and a line (text formats) and record number within it.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file path as it was reached from the command line (not made absolute).
    public var file: String
    /// 1-based line where the record starts, when the format has lines.
    public var line: Int?
    /// 1-based record number within the file: a JSONL line's object, a CSV data row, or for a
    /// front-matter file 1 for the document and 2... for the entries of its `related` list.
    public var record: Int

    public init(file: String, line: Int? = nil, record: Int) {
        self.file = file
        self.line = line
        self.record = record
    }

    /// `file:line` when the line is known, else `file#record`; just `file` for record 0, which
    /// stands for the whole file.
    public var description: String {
        if let line { return "\(file):\(line)" }
        if record == 0 { return file }
        return "\(file)#\(record)"
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.file != b.file { return a.file < b.file }
        return a.record < b.record
    }
}

/// A record, or a field of one, that could not be used, with the reason.
public struct Reject: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable {
        /// The record was not used at all.
        case rejected
        /// The article was kept without one field (for example a date that did not parse).
        case warning
        /// A file was not read because it is not an input format (reported, never an error).
        case skipped
    }

    public var source: SourceLocation
    public var severity: Severity
    /// The kept article's id for a warning; `nil` for a rejected record or a skipped file.
    public var articleID: String?
    public var reason: String

    public init(source: SourceLocation, severity: Severity, articleID: String? = nil, reason: String) {
        self.source = source
        self.severity = severity
        self.articleID = articleID
        self.reason = reason
    }
}

/// An input file that was read, for the run manifest.
public struct InputFile: Sendable, Hashable {
    public var path: String
    public var format: String
    public var bytes: Int
    /// Lower-case hex SHA-256 of the file's bytes.
    public var sha256: String
    /// Records found in the file (accepted and rejected).
    public var records: Int

    public init(path: String, format: String, bytes: Int, sha256: String, records: Int) {
        self.path = path
        self.format = format
        self.bytes = bytes
        self.sha256 = sha256
        self.records = records
    }
}

/// A record whose canonical URL was already seen: one article seen twice.
public struct URLDuplicate: Sendable, Hashable {
    /// The less complete record, kept in the output as an `exact_url` duplicate.
    public var article: Article
    /// The id of the record kept as the original.
    public var originalID: String

    public init(article: Article, originalID: String) {
        self.article = article
        self.originalID = originalID
    }
}

/// Everything read from the inputs: the articles to cluster and everything set aside.
///
/// Every record read is in exactly one of `articles`, `urlDuplicates` or (as `.rejected`)
/// `rejects`. Order is deterministic: files in sorted path order, records in file order, so the
/// result does not depend on the order of the paths on the command line.
public struct Corpus: Sendable {
    /// Unique articles (by id and by canonical URL), in input order.
    public var articles: [Article]
    public var urlDuplicates: [URLDuplicate]
    public var rejects: [Reject]
    public var files: [InputFile]

    public init(articles: [Article] = [], urlDuplicates: [URLDuplicate] = [], rejects: [Reject] = [], files: [InputFile] = []) {
        self.articles = articles
        self.urlDuplicates = urlDuplicates
        self.rejects = rejects
        self.files = files
    }
}
