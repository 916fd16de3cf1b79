/// Which input keys feed each ``Article`` field.
///
/// Every canonical field name has a list of keys tried in order; the first one present in a
/// record (and not null) wins. A key is a dotted path into nested objects (`provider.name`); the
/// same text is also tried as a flat key, which is how CSV headers like `provider.name` match.
/// Keys match case-insensitively.
public struct FieldMap: Sendable, Equatable {
    /// The canonical names accepted as `NAME` in `--field NAME=SOURCE`.
    public static let fieldNames: [String] = [
        "id", "title", "excerpt", "body", "published", "url", "ampUrl", "cdnAmpUrl",
        "publisher", "domain", "quality", "topics", "label",
    ]

    /// The keys StoryClust understands without any `--field` option.
    public static let standard = FieldMap(keys: [
        "id": ["id"],
        "title": ["title", "headline"],
        "excerpt": ["excerpt", "description", "summary"],
        "body": ["body", "text", "content"],
        "published": ["publishedDateTime", "published", "publishedAt", "date", "pubDate"],
        "url": ["webUrl", "url", "link"],
        "ampUrl": ["ampWebUrl"],
        "cdnAmpUrl": ["cdnAmpWebUrl"],
        "publisher": ["provider.name", "publisher", "source"],
        "domain": ["provider.domain", "domain"],
        "quality": ["quality"],
        "topics": ["topics"],
        // No default key: a label is read only when asked for (`--label-field`), so that a
        // corpus's own `label` column never changes what a plain run reads.
        "label": [],
    ])

    private var keys: [String: [String]]

    private init(keys: [String: [String]]) {
        self.keys = keys
    }

    /// The keys tried for canonical field `name`, in order; empty for an unknown name.
    public func keys(for name: String) -> [String] {
        keys[name] ?? []
    }

    /// Parses a `NAME=SOURCE` command-line spec and puts SOURCE first among NAME's keys.
    ///
    /// `NAME` is one of ``fieldNames`` (any case); `SOURCE` is a key or dotted path in the input.
    ///
    /// - Throws: ``CorpusError/badFieldMapping(_:)`` when the `=` is missing, either side is
    ///   empty, or `NAME` is not a field name; the message lists the valid names.
    public mutating func add(_ spec: String) throws(CorpusError) {
        let valid = "valid names: \(Self.fieldNames.joined(separator: ", "))"
        guard let equals = spec.firstIndex(of: "=") else {
            throw .badFieldMapping("--field '\(spec)' must be NAME=SOURCE, e.g. title=headline; \(valid)")
        }
        let name = String(spec[..<equals]).trimmingASCIIWhitespace()
        let source = String(spec[spec.index(after: equals)...]).trimmingASCIIWhitespace()
        guard let canonical = Self.fieldNames.first(where: { $0.lowercased() == name.lowercased() }) else {
            throw .badFieldMapping("--field '\(spec)': unknown field name '\(name)'; \(valid)")
        }
        guard !source.isEmpty else {
            throw .badFieldMapping("--field '\(spec)': SOURCE is empty, give the input key to read \(canonical) from")
        }
        var list = keys[canonical] ?? []
        list.removeAll { $0.lowercased() == source.lowercased() }
        list.insert(String(source), at: 0)
        keys[canonical] = list
    }
}

/// How ``CorpusReader`` reads its inputs.
public struct ReadOptions: Sendable {
    /// Which input keys feed which article fields.
    public var fields: FieldMap
    /// Threads that parse the lines of a JSON Lines file; the result does not depend on it.
    public var threads: Int
    /// The format of standard input (`-`); `nil` tells it from the first bytes.
    public var standardInputFormat: InputFormat?
    /// The dotted key of a JSON document's array of records (`articles`, `hits.hits`); `nil`
    /// finds a news API's envelope by itself.
    public var recordsKey: String?
    /// A compressed input may inflate to this many times its size, and always to
    /// ``minimumInflationLimit``; past that it is cut off and rejected (a decompression bomb).
    public var inflationRatio: Int = 100
    /// The inflated size every compressed input may reach, however small it is: 1 GiB.
    public var minimumInflationLimit: Int = 1 << 30
    /// The separator of every CSV file; `nil` detects each file's from its header line (a
    /// `.tsv` file is tab-separated).
    public var csvDelimiter: CSVDelimiter?
    /// Directories never read (the reports' own), with a `.skipped` reject each.
    public var excludedDirectories: [String]
    /// Which records to keep, by publish time and id (before a repeated id gets its `~2`): a
    /// shard of a sharded run keeps its own time range and the window around it. The others
    /// are dropped before exact-URL copies are resolved, so the corpus is what reading only
    /// the kept records would give. `nil` keeps every record.
    public var keep: (@Sendable (_ published: Int64?, _ id: String) -> Bool)?

    public init(fields: FieldMap = .standard, threads: Int = 1, standardInputFormat: InputFormat? = nil, recordsKey: String? = nil,
                csvDelimiter: CSVDelimiter? = nil, excludedDirectories: [String] = []) {
        precondition(threads >= 1, "at least one thread")
        self.fields = fields
        self.threads = threads
        self.standardInputFormat = standardInputFormat
        self.recordsKey = recordsKey
        self.csvDelimiter = csvDelimiter
        self.excludedDirectories = excludedDirectories
    }

    /// The most a compressed input of `bytes` bytes may inflate to.
    func inflationLimit(compressedBytes bytes: Int) -> Int {
        let (scaled, overflow) = bytes.multipliedReportingOverflow(by: inflationRatio)
        return overflow ? Int.max : max(scaled, minimumInflationLimit)
    }
}
