import Foundation

/// One feed item's elements as they are parsed, turned into a ``RawRecord`` when it closes.
struct ItemBuilder {
    let dialect: FeedKind
    /// The parser's element depth of the item element.
    let depth: Int
    let line: Int
    let record: Int
    /// RSS 1.0's `rdf:about`: the item's URI.
    let about: String?

    /// The first text of each element path below the item (`title`, `author/name`).
    private var texts: [String: String] = [:]
    /// The `type` attribute of Atom text constructs (`text`, `html`, `xhtml`).
    private var types: [String: String] = [:]
    private var guidIsPermaLink = true
    private var authors: [String] = []
    private var categories: [String] = []
    /// Atom links: relation (alternate when absent), media type, target.
    private var links: [(rel: String, type: String, href: String)] = []

    init(kind: FeedKind, depth: Int, line: Int, record: Int, about: String?) {
        dialect = kind
        self.depth = depth
        self.line = line
        self.record = record
        self.about = about
    }

    mutating func add(path: [String], text: String, attributes: [String: String]) {
        let name = path.joined(separator: "/")
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "link" where dialect == .atom:
            if let href = attributes["href"], !href.isEmpty {
                links.append((attributes["rel"]?.lowercased() ?? "alternate", attributes["type"]?.lowercased() ?? "", href))
            }
            return
        case "author/name", "author", "dc:creator":
            // An Atom author is a name (with an email and a URI); RSS gives one text.
            if dialect == .atom && name == "author" { return }
            if !trimmed.isEmpty { authors.append(trimmed) }
            return
        case "category", "dc:subject":
            let term = dialect == .atom ? (attributes["label"] ?? attributes["term"] ?? trimmed) : trimmed
            if !term.isEmpty { categories.append(term) }
            return
        case "guid":
            guidIsPermaLink = attributes["isPermaLink"]?.lowercased() != "false"
        default:
            break
        }
        guard texts[name] == nil, !trimmed.isEmpty else { return }
        texts[name] = trimmed
        if let type = attributes["type"] { types[name] = type.lowercased() }
    }

    /// The item as a record with the field names ``FieldMap`` reads.
    func finish(file: String) -> Item {
        var fields: [String: Value] = [:]
        func put(_ key: String, _ text: String?) {
            if let text, !text.isEmpty { fields[key] = .string(text) }
        }
        switch dialect {
        case .atom:
            put("title", texts["title"].map { atomText($0, type: types["title"]) })
            put("summary", texts["summary"].map { atomText($0, type: types["summary"]) })
            put("content", texts["content"].map { atomText($0, type: types["content"]) })
            put("id", texts["id"])
            put("link", atomLink())
            put("published", texts["published"] ?? texts["issued"] ?? texts["updated"] ?? texts["modified"])
            put("updated", texts["updated"])
            put("source", texts["source/title"])
        case .rss2, .rdf:
            put("title", texts["title"].map(HTMLText.decodeReferences))
            put("description", texts["description"].map(HTMLText.reduce))
            put("content", texts["content:encoded"].map(HTMLText.reduce))
            let guid = texts["guid"]
            put("guid", guid)
            put("id", guid ?? (dialect == .rdf ? about : nil))
            let permalink = guid.flatMap { guidIsPermaLink && Self.isWebURL($0) ? $0 : nil }
            put("link", texts["link"] ?? permalink ?? (dialect == .rdf ? about : nil))
            put("pubdate", texts["pubDate"])
            put("source", texts["source"])
        }
        put("date", texts["dc:date"])
        put("publisher", texts["dc:publisher"] ?? fields["source"]?.text)
        if !authors.isEmpty { fields["author"] = .string(authors.joined(separator: ", ")) }
        if !categories.isEmpty { fields["category"] = .array(categories.map(Value.string)) }
        return .record(RawRecord(fields: fields, location: SourceLocation(file: file, line: line, record: record)))
    }

    /// An Atom text construct's text: `html` is reduced, `xhtml` was gathered as text already.
    private func atomText(_ text: String, type: String?) -> String {
        switch type {
        case "html", "text/html": return HTMLText.reduce(text)
        case "xhtml": return HTMLText.collapse(text)
        default: return text
        }
    }

    /// The entry's web page: its `alternate` link, an HTML one first.
    private func atomLink() -> String? {
        let alternates = links.filter { $0.rel == "alternate" }
        return (alternates.first { $0.type.isEmpty || $0.type.contains("html") } ?? alternates.first)?.href
    }

    private static func isWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }
}
