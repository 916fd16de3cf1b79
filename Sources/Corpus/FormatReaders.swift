import CSV
import Dispatch
import Foundation
import Synchronization
import Yams

/// One record as a format reader found it, before it becomes an ``Article``.
struct RawRecord: Sendable {
    var fields: [String: Value]
    var location: SourceLocation
    /// For a `related` entry: the index, among the same file's items, of the record that listed it.
    var parentItem: Int?
    /// The Markdown body of a front-matter document, which wins over any `body` key.
    var markdownBody: String?
}

/// What a format reader yields, in file order.
enum Item: Sendable {
    case record(RawRecord)
    case reject(Reject)
}

/// The input formats, chosen by file extension, by `--format`, or from the first bytes.
public enum InputFormat: String, Sendable, CaseIterable {
    case frontMatter = "frontmatter"
    case jsonLines = "jsonl"
    case json = "json"
    case csv = "csv"
    /// RSS 2.0, Atom or RSS 1.0 (RDF), told apart by the root element.
    case feed = "feed"

    /// A format by its `--format` name: the raw values, and `rss`, `atom`, `xml` for feeds.
    public init?(name: String) {
        let lower = name.lowercased()
        if let format = InputFormat(rawValue: lower) {
            self = format
        } else if let format = InputFormat(extension: lower) {
            self = format
        } else {
            return nil
        }
    }

    init?(extension ext: String) {
        switch ext.lowercased() {
        case "md", "markdown", "txt": self = .frontMatter
        case "jsonl", "ndjson": self = .jsonLines
        case "json": self = .json
        case "csv": self = .csv
        case "rss", "atom", "xml", "rdf": self = .feed
        default: return nil
        }
    }
}

/// A whole file that could not be read; becomes one record-0 ``Reject``.
struct FileProblem: Error {
    var reason: String
    var line: Int?
}

// MARK: - Text checks

enum TextCheck {
    /// Rejects files that are clearly not text: a NUL byte in the first 8 KiB.
    static func checkNotBinary(_ data: Data) throws(FileProblem) {
        let head = data.prefix(8192)
        if let nul = head.firstIndex(of: 0) {
            throw FileProblem(reason: "binary file (NUL byte at offset \(nul - data.startIndex)), not a text input")
        }
    }

    /// The file as a String, without a UTF-8 byte-order mark.
    static func decodeUTF8(_ data: Data) throws(FileProblem) -> String {
        guard var text = String(validating: data, as: UTF8.self) else {
            throw FileProblem(reason: "not UTF-8 text (invalid byte sequence at line \(firstInvalidLine(data))); convert the file to UTF-8",
                              line: firstInvalidLine(data))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    /// The 1-based line holding the first invalid UTF-8 sequence, for the reject reason.
    static func firstInvalidLine(_ data: Data) -> Int {
        var line = 1
        var lineStart = data.startIndex
        while lineStart < data.endIndex {
            let end = data[lineStart...].firstIndex(of: 0x0A) ?? data.endIndex
            if String(validating: data[lineStart..<end], as: UTF8.self) == nil { return line }
            line += 1
            lineStart = end == data.endIndex ? end : end + 1
        }
        return line
    }
}

// MARK: - JSON messages

enum JSONMessage {
    /// The parser's own words when it gave any (they carry the position), else the generic text.
    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let debug = nsError.userInfo[NSDebugDescriptionErrorKey] as? String, !debug.isEmpty { return debug }
        return error.localizedDescription
    }
}

// MARK: - Front matter

enum FrontMatterReader {
    /// Reads a Markdown file with YAML front matter: the document is record 1, the entries of its
    /// `related` list records 2, 3, ...
    static func read(_ text: String, file: String) -> [Item] {
        // Lines with their terminators, so the body keeps its own line breaks.
        var lines: [Substring] = []
        text.split(separator: "\n", omittingEmptySubsequences: false).forEach { lines.append($0) }
        func isFence(_ line: Substring, _ marker: String) -> Bool {
            line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r"))) == marker
        }
        let location = SourceLocation(file: file, line: 1, record: 1)
        guard let first = lines.first, isFence(first, "---") else {
            return [.reject(Reject(source: SourceLocation(file: file, record: 0), severity: .rejected,
                                   reason: "no YAML front matter: the first line must be ---"))]
        }
        guard let close = lines.indices.dropFirst().first(where: { isFence(lines[$0], "---") || isFence(lines[$0], "...") }) else {
            return [.reject(Reject(source: location, severity: .rejected,
                                   reason: "front matter opened by --- on line 1 is never closed by a --- or ... line"))]
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let body = lines[(close + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)

        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            let (reason, line) = describe(error)
            return [.reject(Reject(source: SourceLocation(file: file, line: line.map { $0 + 1 } ?? 1, record: 1),
                                   severity: .rejected, reason: "invalid YAML front matter: \(reason)"))]
        }
        guard let root, case .mapping(let mapping) = root else {
            return [.reject(Reject(source: location, severity: .rejected, reason: "front matter is not a YAML mapping of fields"))]
        }

        var conversion = YAMLConversion()
        var items: [Item] = []
        do {
            guard case .object(let fields) = try conversion.convert(root) else { return [] }
            items.append(.record(RawRecord(fields: fields, location: location, parentItem: nil, markdownBody: body.isEmpty ? nil : body)))
            let relatedNode = mapping.first(where: { $0.key.scalar?.string.lowercased() == "related" })?.value
            if let relatedNode, case .sequence(let related) = relatedNode {
                for (offset, entry) in related.enumerated() {
                    // Front matter starts on file line 2, so YAML line n is file line n + 1.
                    let entryLocation = SourceLocation(file: file, line: entry.mark.map { $0.line + 1 }, record: offset + 2)
                    guard case .object(let entryFields) = try conversion.convert(entry) else {
                        items.append(.reject(Reject(source: entryLocation, severity: .rejected,
                                                    reason: "related entry \(offset + 1) is not a mapping of fields")))
                        continue
                    }
                    items.append(.record(RawRecord(fields: entryFields, location: entryLocation, parentItem: 0, markdownBody: nil)))
                }
            }
        } catch {
            return [.reject(Reject(source: location, severity: .rejected,
                                   reason: "YAML front matter expands to more than \(error.limit) nodes through aliases (an alias bomb?); not read"))]
        }
        return items
    }

    /// Yams' problem text and the YAML line it points at.
    private static func describe(_ error: any Error) -> (String, Int?) {
        guard let yamlError = error as? YamlError else { return ("\(error)", nil) }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) at line \($0.mark.line + 1): " } ?? ""
            return (prefix + problem + " at line \(mark.line + 1), column \(mark.column)", mark.line)
        case .reader(let problem, _, _, _):
            return (problem, nil)
        default:
            return ("\(yamlError)", nil)
        }
    }
}

// MARK: - JSON Lines

enum JSONLinesReader {
    /// Reads one JSON object per line.
    ///
    /// Lines are found and checked for UTF-8 first; their JSON is then parsed in chunks on
    /// `threads` threads (parsing is nearly all of the cost) and the chunks are joined in order,
    /// so the result does not depend on the thread count.
    /// - Throws: ``FileProblem`` when a line is not UTF-8, which makes the whole file suspect.
    static func read(_ data: Data, file: String, threads: Int = 1) throws(FileProblem) -> [Item] {
        try read(data, file: file, threads: threads) { $0 }
    }

    /// Reads one JSON object per line and hands each item to `transform` on the worker thread
    /// that parsed it, so that only what `transform` returns is kept (a million parsed JSON
    /// trees would not fit in memory beside the articles made from them).
    static func read<T: Sendable>(
        _ data: Data, file: String, threads: Int = 1, transform: @Sendable (Item) -> T
    ) throws(FileProblem) -> [T] {
        var lines: [(range: Range<Int>, location: SourceLocation)] = []
        var problem: FileProblem?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var start = 0
            var lineNumber = 0
            while start < bytes.count {
                lineNumber += 1
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var lineEnd = end
                if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[start..<lineEnd])
                let range = start..<lineEnd
                start = end + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard String(validating: line, as: UTF8.self) != nil else {
                    problem = FileProblem(reason: "not UTF-8 text (invalid byte sequence at line \(lineNumber)); convert the file to UTF-8",
                                          line: lineNumber)
                    return
                }
                lines.append((range, SourceLocation(file: file, line: lineNumber, record: lines.count + 1)))
            }
        }
        if let problem { throw problem }

        let chunkSize = 2_048
        let chunkCount = (lines.count + chunkSize - 1) / chunkSize
        let chunks = Mutex([[T]](repeating: [], count: chunkCount))
        let lineList = lines
        DispatchQueue.concurrentPerform(iterations: min(max(threads, 1), max(chunkCount, 1))) { worker in
            var chunk = worker
            while chunk < chunkCount {
                let part = lineList[(chunk * chunkSize)..<min((chunk + 1) * chunkSize, lineList.count)]
                let parsed = part.map { transform(parseLine(data[data.startIndex + $0.range.lowerBound..<data.startIndex + $0.range.upperBound], location: $0.location)) }
                chunks.withLock { $0[chunk] = parsed }
                chunk += max(threads, 1)
            }
        }
        return chunks.withLock { $0.flatMap { $0 } }
    }

    private static func parseLine(_ line: Data, location: SourceLocation) -> Item {
        do {
            let json = try JSONSerialization.jsonObject(with: line, options: [.fragmentsAllowed])
            if case .object(let fields) = Value(json: json) {
                return .record(RawRecord(fields: fields, location: location))
            }
            return .reject(Reject(source: location, severity: .rejected,
                                  reason: "line is \(Value.jsonTypeName(json)), not a JSON object"))
        } catch {
            return .reject(Reject(source: location, severity: .rejected,
                                  reason: "invalid JSON: \(JSONMessage.describe(error))"))
        }
    }
}

// MARK: - JSON

enum JSONFileReader {
    /// Reads a JSON document that is one object, an array of objects, or an envelope holding
    /// such an array (see ``JSONEnvelope``).
    ///
    /// - Parameters:
    ///   - records: `--records`, the dotted key of the array in an envelope.
    ///   - textKeys: lower-cased keys that make a top-level object an article, not an envelope.
    static func read(_ data: Data, file: String, records: String? = nil, textKeys: Set<String> = []) throws(FileProblem) -> [Item] {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw FileProblem(reason: "invalid JSON: \(JSONMessage.describe(error))")
        }
        let elements: [Any]
        if let array = json as? [Any] {
            elements = array.map(JSONEnvelope.unwrap)
        } else if let object = json as? [String: Any] {
            switch JSONEnvelope.locate(object, key: records, textKeys: textKeys) {
            case .single: elements = [json]
            case .records(let array, _): elements = array.map(JSONEnvelope.unwrap)
            case .problem(let reason): throw FileProblem(reason: reason)
            }
        } else {
            throw FileProblem(reason: "the JSON document is \(Value.jsonTypeName(json)), not an object or an array of objects")
        }
        var items: [Item] = []
        items.reserveCapacity(elements.count)
        for (offset, element) in elements.enumerated() {
            let location = SourceLocation(file: file, record: offset + 1)
            if case .object(let fields) = Value(json: element) {
                items.append(.record(RawRecord(fields: fields, location: location)))
            } else {
                items.append(.reject(Reject(source: location, severity: .rejected,
                                            reason: "array element \(offset + 1) is \(Value.jsonTypeName(element)), not a JSON object")))
            }
        }
        return items
    }
}

// MARK: - CSV

enum CSVFileReader {
    /// Reads a CSV file whose first row names the columns.
    static func read(_ text: String, file: String) throws(FileProblem) -> [Item] {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw FileProblem(reason: "cannot read the CSV header row: \(error)")
        }
        guard let header = reader.headerRow, !(header.count == 1 && header[0].isEmpty) else {
            throw FileProblem(reason: "the CSV file has no header row")
        }
        let keys = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var items: [Item] = []
        // Rows may hold quoted line breaks, so a row's file line is counted, not assumed.
        var line = 2 + newlines(in: header)
        var record = 0
        while let row = reader.next() {
            let rowLine = line
            line += 1 + newlines(in: row)
            if row.count == 1, row[0].isEmpty, keys.count != 1 { continue }  // a blank line
            record += 1
            let location = SourceLocation(file: file, line: rowLine, record: record)
            guard row.count == keys.count else {
                items.append(.reject(Reject(source: location, severity: .rejected,
                                            reason: "row has \(row.count) fields, the header has \(keys.count)")))
                continue
            }
            var fields: [String: Value] = [:]
            fields.reserveCapacity(keys.count)
            for (key, value) in zip(keys, row) where !value.isEmpty {
                fields[key] = .string(value)
            }
            items.append(.record(RawRecord(fields: fields, location: location)))
        }
        if let error = reader.error {
            throw FileProblem(reason: "cannot read the CSV file at line \(line): \(error)", line: line)
        }
        return items
    }

    /// Line breaks inside the fields of one row (CR LF counts once).
    private static func newlines(in row: [String]) -> Int {
        var count = 0
        for field in row {
            var previousWasCR = false
            for scalar in field.unicodeScalars {
                if scalar == "\n" {
                    if !previousWasCR { count += 1 }
                } else if scalar == "\r" {
                    count += 1
                }
                previousWasCR = scalar == "\r"
            }
        }
        return count
    }
}
