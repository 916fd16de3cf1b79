import CSV
import Foundation

/// The field separators a CSV file may use.
public enum CSVDelimiter: String, CaseIterable, Sendable {
    case comma, semicolon, tab, pipe

    /// A delimiter by name (`semicolon`) or as the character itself (`;`, `\t` written out too).
    public init?(argument: String) {
        switch argument.lowercased() {
        case "comma", ",": self = .comma
        case "semicolon", ";": self = .semicolon
        case "tab", "\t", "\\t": self = .tab
        case "pipe", "|": self = .pipe
        default: return nil
        }
    }

    var byte: UInt8 {
        switch self {
        case .comma: UInt8(ascii: ",")
        case .semicolon: UInt8(ascii: ";")
        case .tab: UInt8(ascii: "\t")
        case .pipe: UInt8(ascii: "|")
        }
    }
}

enum CSVFileReader {
    /// The separator a file's name implies: tab for `.tsv` (also `.tsv.gz` and the like), else
    /// `nil`, to be detected.
    static func delimiter(named file: String) -> CSVDelimiter? {
        let name = (file as NSString).lastPathComponent.lowercased()
        return name.hasSuffix(".tsv") || name.contains(".tsv.") ? .tab : nil
    }

    /// Reads a CSV file whose first row names the columns.
    ///
    /// ``CSVRecordSplitter`` finds the records and those with broken quoting; CSV.swift parses
    /// the fields of each sound one. A damaged row, or one that is not UTF-8, is rejected with
    /// its line and the rows after it are read.
    ///
    /// - Parameter delimiter: the separator; `nil` detects it from the header line.
    /// - Throws: ``FileProblem`` when the header row itself cannot be read.
    static func read(_ data: Data, file: String, delimiter: CSVDelimiter?) throws(FileProblem) -> [Item] {
        let result: Result<[Item], FileProblem> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            // A UTF-8 byte-order mark is not part of the first column's name.
            let start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            let separator = delimiter ?? CSVRecordSplitter.detectDelimiter(bytes, from: start)
            return Result { () throws(FileProblem) in
                try read(CSVRecordSplitter.split(bytes, from: start, delimiter: separator.byte), of: bytes, file: file, delimiter: separator)
            }
        }
        return try result.get()
    }

    private static func read(
        _ spans: [CSVRecordSplitter.Span], of bytes: UnsafeBufferPointer<UInt8>, file: String, delimiter: CSVDelimiter
    ) throws(FileProblem) -> [Item] {
        guard let headerSpan = spans.first else { throw FileProblem(reason: "the CSV file has no header row") }
        if let damage = headerSpan.damage {
            throw FileProblem(reason: "cannot read the CSV header row: \(damage)", line: 1)
        }
        let header: [String]
        switch fields(of: headerSpan, in: bytes, delimiter: delimiter) {
        case .failure(let problem): throw FileProblem(reason: "cannot read the CSV header row: \(problem.reason)", line: 1)
        case .success(let row): header = row
        }
        guard !(header.count == 1 && header[0].isEmpty) else { throw FileProblem(reason: "the CSV file has no header row") }
        let keys = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }

        var items: [Item] = []
        var record = 0
        for span in spans.dropFirst() {
            let isBlank = span.damage == nil && bytes[span.bytes].allSatisfy { $0 == UInt8(ascii: "\r") }
            if isBlank, keys.count != 1 { continue }
            record += 1
            let location = SourceLocation(file: file, line: span.line, record: record)
            func reject(_ reason: String) {
                items.append(.reject(Reject(source: location, severity: .rejected, reason: reason)))
            }
            if let damage = span.damage {
                reject("malformed CSV quoting: \(damage); line \(span.line) is not read, the next line is")
                continue
            }
            let row: [String]
            switch fields(of: span, in: bytes, delimiter: delimiter) {
            case .failure(let problem):
                reject(problem.reason)
                continue
            case .success(let fields): row = fields
            }
            guard row.count == keys.count else {
                reject("row has \(row.count) fields, the header has \(keys.count)"
                       + (row.count == 1 && keys.count > 1 ? " (is the separator not \(delimiter.rawValue)? see --delimiter)" : ""))
                continue
            }
            var fields: [String: Value] = [:]
            fields.reserveCapacity(keys.count)
            for (key, value) in zip(keys, row) where !value.isEmpty {
                fields[key] = .string(value)
            }
            items.append(.record(RawRecord(fields: fields, location: location)))
        }
        return items
    }

    /// The fields of one sound record, parsed by CSV.swift; the reason when they are not UTF-8.
    private static func fields(
        of span: CSVRecordSplitter.Span, in bytes: UnsafeBufferPointer<UInt8>, delimiter: CSVDelimiter
    ) -> Result<[String], FileProblem> {
        let slice = UnsafeBufferPointer(rebasing: bytes[span.bytes])
        guard let text = String(validating: slice, as: UTF8.self) else {
            let spot = TextCheck.invalidSequence(in: slice) ?? "invalid byte sequence"
            return .failure(FileProblem(reason: "not UTF-8 text (\(spot) of the row); the row is not read, convert the file to UTF-8"))
        }
        do {
            let reader = try CSVReader(string: text, hasHeaderRow: false, delimiter: Unicode.Scalar(delimiter.byte))
            return .success(reader.next() ?? [""])
        } catch {
            return .failure(FileProblem(reason: "cannot read the row: \(error)"))
        }
    }
}
