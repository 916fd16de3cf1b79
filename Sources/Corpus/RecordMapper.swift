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
        let a = article, b = other.article
        if a.textLength != b.textLength { return a.textLength > b.textLength }
        if (a.published != nil) != (b.published != nil) { return a.published != nil }
        if a.publisher.isEmpty != b.publisher.isEmpty { return !a.publisher.isEmpty }
        if let p = a.published, let q = b.published, p != q { return p < q }
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

    func map(_ raw: RawRecord) -> MapOutcome {
        let fields = raw.fields
        var warnings: [String] = []
        let title = text("title", in: fields) ?? ""
        let excerpt = text("excerpt", in: fields) ?? ""
        let body = raw.markdownBody ?? text("body", in: fields) ?? ""
        if title.isEmpty, excerpt.isEmpty, body.isEmpty {
            return .rejected(Reject(source: raw.location, severity: .rejected, reason: "no text: title, excerpt and body are empty"))
        }

        var published: Int64?
        if let (key, value) = value("published", in: fields) {
            switch value {
            case .number(let number, _): published = Timestamp.fromEpoch(number)
            default: published = value.text.flatMap(Timestamp.parse)
            }
            if published == nil {
                warnings.append("\(key.original): cannot read '\(value.text ?? "?")' as a time; kept without a publish time")
            }
        }

        var quality: Double?
        if let (key, value) = value("quality", in: fields) {
            switch value {
            case .number(let number, _): quality = number
            default: quality = value.text.flatMap(Double.init)
            }
            if quality?.isFinite != true {
                quality = nil
                warnings.append("\(key.original): '\(value.text ?? "?")' is not a number; kept without a quality")
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
        var domain = text("domain", in: fields) ?? ""
        if domain.isEmpty, let canonicalURL { domain = Self.host(of: canonicalURL) }

        let ownID = text("id", in: fields)
        let baseID = ownID
            ?? canonicalURL.map { StableHash.id("u", $0) }
            ?? StableHash.id("r", "\(raw.location.file)#\(raw.location.record)")

        let article = Article(
            id: baseID, title: title, excerpt: excerpt, body: body, published: published, url: url,
            canonicalURL: canonicalURL, publisher: text("publisher", in: fields) ?? "", domain: domain,
            quality: quality, topics: topics, listedBy: nil, label: text("label", in: fields), source: raw.location)
        return .candidate(Candidate(article: article, baseID: baseID, hasOwnID: ownID != nil, warnings: warnings))
    }

    /// The host of a canonical URL (`https://HOST[:PORT]/...`).
    private static func host(of canonicalURL: String) -> String {
        let afterScheme = canonicalURL.dropFirst("https://".count)
        return String(afterScheme.prefix { $0 != "/" && $0 != ":" && $0 != "?" })
    }
}
