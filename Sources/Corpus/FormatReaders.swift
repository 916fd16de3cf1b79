import Dispatch
import Foundation
import Synchronization

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
        case "csv", "tsv": self = .csv
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
    ///
    /// For a file that is one record (front matter): a bad byte anywhere rejects it, and the
    /// reason says where the byte is.
    static func decodeUTF8(_ data: Data) throws(FileProblem) -> String {
        guard var text = String(validating: data, as: UTF8.self) else {
            let (line, detail) = firstInvalidSpot(data)
            throw FileProblem(reason: "not UTF-8 text (\(detail)); convert the file to UTF-8", line: line)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    /// The 1-based line holding the first invalid UTF-8 sequence, and where in it the sequence is.
    static func firstInvalidSpot(_ data: Data) -> (line: Int, detail: String) {
        var line = 1
        var lineStart = data.startIndex
        while lineStart < data.endIndex {
            let end = data[lineStart...].firstIndex(of: 0x0A) ?? data.endIndex
            if let detail = invalidSequence(in: data[lineStart..<end]) { return (line, "\(detail) on line \(line)") }
            line += 1
            lineStart = end == data.endIndex ? end : end + 1
        }
        return (line, "invalid byte sequence on line \(line)")
    }

    /// ``invalidSequence(in:)`` of a line, looked for only when the line does not validate as
    /// UTF-8 (the common case costs one validation).
    static func invalidUTF8(in line: Data) -> String? {
        let valid = line.withUnsafeBytes { String(validating: $0.bindMemory(to: UInt8.self), as: UTF8.self) != nil }
        return valid ? nil : invalidSequence(in: line)
    }

    /// Where the first invalid UTF-8 sequence of `bytes` is (`invalid byte 0xFF at byte 17`),
    /// `nil` when they are valid UTF-8.
    static func invalidSequence<Bytes: Collection<UInt8>>(in bytes: Bytes) -> String? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error:
                let byte = bytes[bytes.index(bytes.startIndex, offsetBy: offset)]
                return "invalid byte 0x\(String(byte, radix: 16, uppercase: true)) at byte \(offset + 1)"
            }
        }
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

/// JSONSerialization refuses a whole document for one number too large for a Double
/// (`"quality": 1e999`), which would cost the record for one bad field.
enum OversizedNumbers {
    /// Parses a JSON document, reading each number too large for a Double as its text.
    static func parse(_ json: Data) throws -> Any {
        var json = json
        // Each round quotes one number; a record has only so many.
        for _ in 0..<64 {
            do {
                return try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
            } catch {
                guard let repaired = quoted(in: json, after: error) else { throw error }
                json = repaired
            }
        }
        return try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
    }

    /// `json` with the number that `error` complains about written as a string, so that the
    /// record is read and the field gets the usual warning; `nil` when `error` is about
    /// something else or the number cannot be found as a value.
    static func quoted(in json: Data, after error: any Error) -> Data? {
        let message = JSONMessage.describe(error)
        guard let start = message.range(of: "Number "), let end = message.range(of: " is not representable"),
              start.upperBound < end.lowerBound else { return nil }
        let literal = Array(message[start.upperBound..<end.lowerBound].utf8)
        let bytes = Array(json)
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var index = 0
        while index + literal.count <= bytes.count {
            defer { index += 1 }
            guard bytes[index..<index + literal.count].elementsEqual(literal) else { continue }
            // Only a whole value: after `:`, `,` or `[`, before `,`, `}`, `]` or the end.
            var before = index - 1
            while before >= 0, isSpace(bytes[before]) { before -= 1 }
            var after = index + literal.count
            while after < bytes.count, isSpace(bytes[after]) { after += 1 }
            guard before >= 0, [UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "[")].contains(bytes[before]),
                  after == bytes.count || [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[after])
            else { continue }
            return Data(bytes[..<index] + [UInt8(ascii: "\"")] + literal + [UInt8(ascii: "\"")] + bytes[(index + literal.count)...])
        }
        return nil
    }
}

// MARK: - JSON Lines

enum JSONLinesReader {
    /// Reads one JSON object per line.
    ///
    /// Lines are found and checked for UTF-8 first; their JSON is then parsed in chunks on
    /// `threads` threads (parsing is nearly all of the cost) and the chunks are joined in order,
    /// so the result does not depend on the thread count. A line that is not UTF-8 is rejected
    /// alone: the lines around it are read.
    static func read(_ data: Data, file: String, threads: Int = 1) -> [Item] {
        read(data, file: file, threads: threads) { $0 }
    }

    /// Reads one JSON object per line and hands each item to `transform` on the worker thread
    /// that parsed it, so that only what `transform` returns is kept (a million parsed JSON
    /// trees would not fit in memory beside the articles made from them).
    static func read<T: Sendable>(
        _ data: Data, file: String, threads: Int = 1, transform: @Sendable (Item) -> T
    ) -> [T] {
        // Lines are found here; each is checked for UTF-8 on the worker that parses it.
        var lines: [(range: Range<Int>, location: SourceLocation)] = []
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            var start = 0
            var lineNumber = 0
            while start < count {
                lineNumber += 1
                let newline = memchr(base + start, 0x0A, count - start)
                let end = newline.map { base.distance(to: UnsafeRawPointer($0)) } ?? count
                var lineEnd = end
                if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let range = start..<lineEnd
                start = end + 1
                if buffer[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                lines.append((range, SourceLocation(file: file, line: lineNumber, record: lines.count + 1)))
            }
        }

        let chunkSize = 2_048
        let chunkCount = (lines.count + chunkSize - 1) / chunkSize
        let chunks = Mutex([[T]](repeating: [], count: chunkCount))
        let lineList = lines
        DispatchQueue.concurrentPerform(iterations: min(max(threads, 1), max(chunkCount, 1))) { worker in
            var chunk = worker
            while chunk < chunkCount {
                let part = lineList[(chunk * chunkSize)..<min((chunk + 1) * chunkSize, lineList.count)]
                let parsed = part.map { line in
                    let bytes = data[data.startIndex + line.range.lowerBound..<data.startIndex + line.range.upperBound]
                    // A line that is not UTF-8 is rejected with where its invalid byte is.
                    if let notUTF8 = TextCheck.invalidUTF8(in: bytes) {
                        return transform(.reject(Reject(source: line.location, severity: .rejected,
                                                        reason: "not UTF-8 text (\(notUTF8) of the line); the line is not read, convert the file to UTF-8")))
                    }
                    return transform(parseLine(bytes, location: line.location))
                }
                chunks.withLock { $0[chunk] = parsed }
                chunk += max(threads, 1)
            }
        }
        return chunks.withLock { $0.flatMap { $0 } }
    }

    private static func parseLine(_ line: Data, location: SourceLocation) -> Item {
        do {
            let json = try OversizedNumbers.parse(line)
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
            // A number too large for a Double (`"quality": 1e999`) is read as its text, so it
            // warns on its record instead of costing the whole file.
            json = try OversizedNumbers.parse(data)
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
