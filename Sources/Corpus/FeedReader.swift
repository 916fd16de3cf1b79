import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads RSS 2.0, Atom and RSS 1.0 (RDF) feeds, one record per item or entry.
///
/// The XML is streamed through Foundation's `XMLParser` (libxml2's SAX interface), so no tree of
/// the document is built. Each item's fields are stored under the keys ``FieldMap`` reads by
/// default (`title`, `description`/`summary`, `content`, `link`, `id`, `published`/`pubdate`/
/// `date`, `publisher`), and under their feed names (`guid`, `updated`, `author`, `category`,
/// `source`, `feed`) so that `--field` can pick another one.
enum FeedReader {
    /// The items of a feed, in document order.
    ///
    /// A malformed document keeps the items that ended before the error; the error becomes a
    /// reject naming its line. A document that is not a feed, or that declares XML entities, is
    /// one record-0 reject.
    static func read(_ data: Data, file: String) -> [Item] {
        if let entity = declaredEntity(in: data) {
            // Entities are what "billion laughs" documents expand; news feeds do not declare any.
            return [.reject(Reject(source: SourceLocation(file: file, record: 0), severity: .rejected,
                                   reason: "the feed declares the XML entity '\(entity)' in its DOCTYPE; feeds declaring entities are not read (their expansion can exhaust memory)"))]
        }
        let document: Data
        do {
            document = try prepared(data)
        } catch {
            return [.reject(Reject(source: SourceLocation(file: file, record: 0), severity: .rejected, reason: error.reason))]
        }
        let parser = XMLParser(data: document)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let handler = FeedParserDelegate(file: file)
        parser.delegate = handler
        let completed = parser.parse()
        handler.finish(completed: completed, parser: parser)
        return handler.items
    }

    /// The name of the first `<!ENTITY` declared before the root element, if any.
    ///
    /// `XMLParser` on Linux does not report entity declarations to its delegate, so the prolog
    /// (everything before the first `<` followed by a letter) is searched for them as bytes.
    private static func declaredEntity(in data: Data) -> String? {
        let marker = Array("<!ENTITY".utf8)
        var index = data.startIndex
        while index < data.endIndex {
            guard data[index] == UInt8(ascii: "<") else { index += 1; continue }
            let next = index + 1 < data.endIndex ? data[index + 1] : 0
            if (next >= 0x41 && next <= 0x5A) || (next >= 0x61 && next <= 0x7A) { return nil }
            if data[index...].starts(with: marker) {
                let name = data[(index + marker.count)...].drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == UInt8(ascii: "%") }
                    .prefix { $0 > 0x20 && $0 != UInt8(ascii: ">") }.prefix(64)
                return String(decoding: name, as: UTF8.self)
            }
            index += 1
        }
        return nil
    }
}

// MARK: - Namespaces

/// The XML namespaces whose elements a feed item's fields come from.
private enum Namespace {
    static let atom = "http://www.w3.org/2005/Atom"
    static let rss1 = "http://purl.org/rss/1.0/"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let content = "http://purl.org/rss/1.0/modules/content/"

    /// The element's name as an item field sees it: plain for the feed's own vocabulary,
    /// `dc:` and `content:` prefixed for those modules, `nil` for any other namespace.
    static func key(_ local: String, namespace: String?) -> String? {
        switch namespace ?? "" {
        case "", atom, rss1: return local
        case dublinCore: return "dc:" + local
        case content: return "content:" + local
        default: return nil
        }
    }
}

/// The three feed dialects, told apart by the root element.
enum FeedKind {
    case rss2, atom, rdf

    var itemElement: String { self == .atom ? "entry" : "item" }
    var channelElement: String { self == .atom ? "feed" : "channel" }
}

// MARK: - Parsing

/// Collects items from `XMLParser`'s events.
private final class FeedParserDelegate: NSObject, XMLParserDelegate {
    let file: String
    private(set) var items: [Item] = []

    private var kind: FeedKind?
    /// One frame per open element: its field key (`nil` outside the vocabulary), attributes,
    /// and text so far.
    private var stack: [Frame] = []
    private var item: ItemBuilder?
    private var channelTitle: String?
    /// The channel's (feed's) web page, against which relative item links are resolved.
    private var channelLink: URL?
    private var recordCount = 0
    /// Why parsing was stopped on purpose (not a feed, entity declarations).
    private var refusal: String?
    /// Where libxml2 first reported an error, and its code.
    private var firstError: (line: Int, column: Int, code: Int)?

    private struct Frame {
        var key: String?
        var attributes: [String: String]
        var text = ""
        /// Inside Atom `type="xhtml"` text: descendants' text belongs to this frame's field.
        var gathersDescendants = false
    }

    init(file: String) {
        self.file = file
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let key = Namespace.key(elementName, namespace: namespaceURI)
        if stack.isEmpty {
            switch (elementName, namespaceURI ?? "") {
            case ("rss", ""): kind = .rss2
            case ("feed", Namespace.atom): kind = .atom
            case ("RDF", Namespace.rdf): kind = .rdf
            default:
                refuse(parser, "not an RSS, Atom or RSS 1.0 feed: the document's root element is <\(qName ?? elementName)>")
                return
            }
        }
        var frame = Frame(key: key, attributes: attributeDict)
        // Markup inside a text field (Atom XHTML, or HTML a feed left unescaped) is text.
        frame.gathersDescendants = (stack.last?.gathersDescendants ?? false)
            || (item != nil && attributeDict["type"]?.lowercased() == "xhtml")
            || (item.map { stack.count == $0.depth + 1 } == true && Self.textFields.contains(key ?? ""))
        if let kind, item == nil, key == kind.itemElement, isItemPosition(kind) {
            recordCount += 1
            item = ItemBuilder(kind: kind, depth: stack.count, line: parser.lineNumber, record: recordCount,
                               about: Self.attribute("about", in: attributeDict))
        }
        stack.append(frame)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let frame = stack.popLast() else { return }
        if let parent = stack.last, parent.gathersDescendants {
            // An element's text flows into its parent, paragraphs kept apart.
            let lineBreak = HTMLText.blockTags.contains(elementName.lowercased()) ? "\n" : ""
            stack[stack.count - 1].text += lineBreak + frame.text + lineBreak
            return
        }
        if var current = item {
            if stack.count == current.depth {
                items.append(current.finish(file: file))
                item = nil
            } else {
                // The element's path below the item, e.g. `title` or `author/name`.
                let path = stack[(current.depth + 1)...].map { $0.key ?? "?" } + [frame.key ?? "?"]
                current.add(path: path, text: frame.text, attributes: frame.attributes)
                item = current
            }
            return
        }
        guard let kind, stack.last?.key == kind.channelElement else { return }
        if frame.key == "title", channelTitle == nil {
            channelTitle = frame.text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if frame.key == "link", channelLink == nil {
            // RSS gives the page as text; Atom as the href of its alternate link.
            let rel = frame.attributes["rel"]?.lowercased() ?? "alternate"
            let page = kind == .atom ? (rel == "alternate" ? frame.attributes["href"] : nil) : frame.text
            channelLink = page.flatMap { URL(string: $0.trimmingCharacters(in: .whitespacesAndNewlines)) }.flatMap { $0.scheme == nil ? nil : $0 }
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        // libxml2 may go on after an error; what follows is not to be trusted, so stop here.
        guard firstError == nil else { return }
        firstError = (parser.lineNumber, parser.columnNumber, (parseError as NSError).code)
        parser.abortParsing()
    }

    /// Called once parsing stops: fills in the feed's title as the publisher of items naming
    /// none, resolves relative item links against the feed's page, and turns an error into a
    /// reject.
    func finish(completed: Bool, parser: XMLParser) {
        if let refusal {
            items = [.reject(Reject(source: SourceLocation(file: file, line: parser.lineNumber, record: 0),
                                    severity: .rejected, reason: refusal))]
            return
        }
        let title = channelTitle.flatMap { $0.isEmpty ? nil : $0 }
        if title != nil || channelLink != nil {
            items = items.map { item in
                guard case .record(var record) = item else { return item }
                if let title {
                    record.fields["feed"] = .string(title)
                    if record.fields["publisher"] == nil { record.fields["publisher"] = .string(title) }
                }
                if let channelLink, case .string(let link)? = record.fields["link"], !link.contains("://"),
                   let resolved = URL(string: link, relativeTo: channelLink)?.absoluteString {
                    record.fields["link"] = .string(resolved)
                }
                return .record(record)
            }
        }
        guard !completed || firstError != nil else {
            if kind == nil {
                items.append(.reject(Reject(source: SourceLocation(file: file, record: 0), severity: .rejected,
                                            reason: "not an RSS, Atom or RSS 1.0 feed: no root element")))
            }
            return
        }
        let line = firstError?.line ?? parser.lineNumber
        let column = firstError?.column ?? parser.columnNumber
        let read = items.count
        let lost = item.map { " (item \($0.record), opened on line \($0.line), is not read)" } ?? ""
        items.append(.reject(Reject(
            source: SourceLocation(file: file, line: line, record: item?.record ?? recordCount + 1), severity: .rejected,
            reason: "malformed feed XML at line \(line), column \(column): \(Self.describe(firstError?.code ?? (parser.parserError as NSError?)?.code)); "
                + "the \(read) item\(read == 1 ? "" : "s") before it \(read == 1 ? "was" : "were") read\(lost)")))
    }

    // MARK: Helpers

    /// The item fields whose child elements are markup, not fields of their own.
    private static let textFields: Set<String> = ["title", "description", "summary", "content", "content:encoded"]

    /// Whether an item element opening now belongs to the feed: RSS 2.0 items sit in the
    /// channel, RSS 1.0 items beside it, Atom entries in the feed.
    private func isItemPosition(_ kind: FeedKind) -> Bool {
        switch kind {
        case .rss2: return stack.count == 2 && stack[1].key == "channel"
        case .atom, .rdf: return stack.count == 1
        }
    }

    private func refuse(_ parser: XMLParser, _ reason: String) {
        guard refusal == nil else { return }
        refusal = reason
        parser.abortParsing()
    }

    /// An attribute by local name, whether or not the parser kept its prefix (`rdf:about`).
    static func attribute(_ name: String, in attributes: [String: String]) -> String? {
        attributes[name] ?? attributes.first { $0.key.hasSuffix(":" + name) }?.value
    }

    /// libxml2's error as words: `XMLParser` keeps only its code (libxml2's `xmlParserErrors`).
    private static func describe(_ code: Int?) -> String {
        guard let code else { return "the document ends early" }
        let words: [Int: String] = [
            4: "the document is empty", 5: "extra content after the end of the document",
            9: "invalid character", 23: "an entity reference lacks its ';'", 26: "undeclared entity",
            38: "'<' in an attribute value", 39: "attribute value not quoted", 40: "attribute value not closed",
            41: "attribute without a value", 42: "attribute given twice", 45: "comment not closed",
            63: "CDATA section not closed", 68: "name expected", 73: "'>' expected", 76: "start and end tags do not match",
            77: "element not closed before the end of the document",
        ]
        return (words[code] ?? "XML error") + " (libxml2 error \(code))"
    }
}
