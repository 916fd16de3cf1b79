/// An article read from a record, before ids are made unique and URL duplicates set aside.
struct Candidate {
    var article: Article
    /// The record's own id, or one derived from its URL or position.
    var baseID: String
    /// Whether `baseID` came from the record's `id` field (only those get duplicate-id warnings).
    var hasOwnID: Bool
    /// Fields that were present but unusable: become `.warning` rejects once the id is final.
    var warnings: [String]
    /// For a `related` entry: the candidate index of the record that listed it.
    var parent: Int?

    /// The exact-URL tie-breakers: longer text, then a known time, then a known publisher, then
    /// the earlier time, then the smaller id; only a record equal in all of these loses to the
    /// one read before it. The original, and with it the cluster's canonical article and id,
    /// therefore does not depend on the order the records arrive in.
    func isMoreComplete(than other: Candidate) -> Bool {
        let (length, otherLength) = (article.textLength, other.article.textLength)
        if length != otherLength { return length > otherLength }
        let (published, otherPublished) = (article.published, other.article.published)
        if (published != nil) != (otherPublished != nil) { return published != nil }
        if article.publisher.isEmpty != other.article.publisher.isEmpty { return !article.publisher.isEmpty }
        if let p = published, let q = otherPublished, p != q { return p < q }
        return baseID < other.baseID
    }
}

/// A record mapped: an article candidate, or the reason it cannot be one.
enum MapOutcome: Sendable {
    case candidate(Candidate)
    case rejected(Reject)
}

/// Turns a ``RawRecord`` into a ``Candidate`` through the ``FieldMap``.
struct RecordMapper: Sendable {
    private let keys: [String: [FieldKey]]

    init(fields: FieldMap) {
        var keys: [String: [FieldKey]] = [:]
        for name in FieldMap.fieldNames { keys[name] = fields.keys(for: name).map(FieldKey.init) }
        self.keys = keys
    }

    /// The first key of `name` present in `fields` with a non-empty value.
    private func value(_ name: String, in fields: [String: Value]) -> (key: FieldKey, value: Value)? {
        for key in keys[name] ?? [] {
            guard let value = key.lookup(in: fields) else { continue }
            switch value {
            case .null: continue
            case .string(let s) where s.allSatisfy(\.isWhitespace): continue
            case .array(let items) where items.isEmpty: continue
            default: return (key, value)
            }
        }
        return nil
    }

    private func text(_ name: String, in fields: [String: Value]) -> String? {
        value(name, in: fields)?.value.text
    }

    /// The text of field `name`, reading a list as its first entry (a body as its entries
    /// joined) and saying so in `warnings`, so that no value present is dropped unnoticed.
    private func text(_ name: String, in fields: [String: Value], warnings: inout [String]) -> String? {
        guard let (key, value) = value(name, in: fields) else { return nil }
        switch value {
        case .array(let items):
            let texts = items.compactMap(\.text)
            guard let first = texts.first else {
                warnings.append("\(key.original): a list without text; ignored")
                return nil
            }
            if name == "body" {
                warnings.append("\(key.original): a list of \(items.count); its \(texts.count) texts joined as paragraphs")
                return texts.joined(separator: "\n\n")
            }
            warnings.append("\(key.original): a list of \(items.count); its first text '\(first)' used")
            return first
        case .object:
            if let name = value.text { return name }
            warnings.append("\(key.original): an object without a name, not text; ignored")
            return nil
        default:
            return value.text
        }
    }

    func map(_ raw: RawRecord) -> MapOutcome {
        let fields = raw.fields
        var warnings: [String] = []
        let title = text("title", in: fields, warnings: &warnings) ?? ""
        let excerpt = text("excerpt", in: fields, warnings: &warnings) ?? ""
        let body = raw.markdownBody ?? text("body", in: fields, warnings: &warnings) ?? ""
        if title.isEmpty, excerpt.isEmpty, body.isEmpty {
            return .rejected(Reject(source: raw.location, severity: .rejected, reason: noTextReason(fields)))
        }

        var published: Int64?
        if let (key, value) = value("published", in: fields) {
            let reading: Timestamp.Reading
            switch value {
            case .number(let number, _): reading = Timestamp.read(epoch: number)
            case .string: reading = value.text.map(Timestamp.read) ?? .notATime
            default: reading = .notATime
            }
            let shown = value.text ?? Self.kind(of: value)
            switch reading {
            case .time(let seconds):
                published = seconds
            case .outOfRange:
                warnings.append("\(key.original): '\(shown)' is out of range (a time must fall in the years 1 to 9999); kept without a publish time")
            case .notATime:
                warnings.append("\(key.original): '\(shown)' is not a date; kept without a publish time")
            }
        }

        var quality: Double?
        if let (key, value) = value("quality", in: fields) {
            switch value {
            case .number(let number, _): quality = number
            case .string: quality = value.text.flatMap(Double.init)
            default: quality = nil
            }
            if quality?.isFinite != true {
                quality = nil
                warnings.append("\(key.original): '\(value.text ?? Self.kind(of: value))' is not a finite number; kept without a quality")
            }
        }

        var topics: [String] = []
        if let (_, value) = value("topics", in: fields) {
            switch value {
            case .array(let items): topics = items.compactMap(\.text)
            default:
                topics = (value.text ?? "").split(whereSeparator: { $0 == "," || $0 == ";" })
                    .map { String($0).trimmingASCIIWhitespace() }.map(String.init).filter { !$0.isEmpty }
            }
        }

        let urls = ["url", "ampUrl", "cdnAmpUrl"].compactMap { text($0, in: fields) }
        let url = urls.first
        let canonicalURL = urls.lazy.compactMap(URLCanonicalizer.canonicalize).first
        var domain = text("domain", in: fields, warnings: &warnings) ?? ""
        if domain.isEmpty, let canonicalURL { domain = Self.host(of: canonicalURL) }

        let ownID = text("id", in: fields)
        let baseID = ownID
            ?? canonicalURL.map { StableHash.id("u", $0) }
            ?? StableHash.id("r", "\(raw.location.file)#\(raw.location.record)")

        let article = Article(
            id: baseID, title: title, excerpt: excerpt, body: body, published: published, url: url,
            canonicalURL: canonicalURL, publisher: text("publisher", in: fields, warnings: &warnings) ?? "", domain: domain,
            quality: quality, topics: topics, listedBy: nil, label: text("label", in: fields), source: raw.location)
        return .candidate(Candidate(article: article, baseID: baseID, hasOwnID: ownID != nil, warnings: warnings))
    }

    /// Why a record without text is rejected: when it has none of the text keys, the keys it
    /// has, so the user sees what to map with `--field`.
    private func noTextReason(_ fields: [String: Value]) -> String {
        let textKeys = ["title", "excerpt", "body"].flatMap { keys[$0] ?? [] }
        if textKeys.contains(where: { $0.lookup(in: fields) != nil }) {
            return "no text: title, excerpt and body are empty"
        }
        let seen = fields.keys.sorted()
        guard !seen.isEmpty else { return "no text: the record has no fields" }
        let listed = seen.prefix(12).joined(separator: ", ") + (seen.count > 12 ? ", ... (\(seen.count) keys)" : "")
        // The key holding the longest text is the likeliest title or body.
        let longest = seen.max { (fields[$0]?.text?.count ?? 0, $1) < (fields[$1]?.text?.count ?? 0, $0) }
        let hint = longest.map { " (map them with --field title=\($0) or --field body=\($0))" } ?? ""
        return "no text: no title/excerpt/body field; keys seen: \(listed)\(hint)"
    }

    /// A value's kind, for warnings about values that have no text.
    private static func kind(of value: Value) -> String {
        switch value {
        case .null: return "null"
        case .string(let s): return s
        case .number(_, let text): return text
        case .bool(let b): return b ? "true" : "false"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// The host of a canonical URL (`https://HOST[:PORT]/...`).
    private static func host(of canonicalURL: String) -> String {
        let afterScheme = canonicalURL.dropFirst("https://".count)
        return String(afterScheme.prefix { $0 != "/" && $0 != ":" && $0 != "?" })
    }
}
