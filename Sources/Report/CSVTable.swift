/// Writes an RFC 4180 CSV file (UTF-8, CRLF line ends, a header row) atomically.
///
/// A field is quoted when it holds a quote, a comma, CR or LF, and its quotes are doubled.
/// The encoding is done here on UTF-8 bytes rather than with CSV.swift's `CSVWriter`, which
/// searched each field five times through Foundation and wrote one scalar at a time: 80% of a
/// 10k-article run went there (perf). The tests read every table back with CSV.swift's reader.
struct CSVTable {
    private let file: AtomicFile
    private let columns: Int
    private var line: [UInt8] = []

    init(path: String, header: [String]) throws(ReportError) {
        file = try AtomicFile(path: path)
        columns = header.count
        try append(header)
    }

    mutating func append(_ row: [String]) throws(ReportError) {
        precondition(row.count == columns, "a CSV row needs one field per column")
        line.removeAll(keepingCapacity: true)
        for (index, field) in row.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            Self.encode(field, into: &line)
        }
        line.append(0x0D)
        line.append(0x0A)
        try file.write(line)
    }

    /// Appends one field, quoted only when RFC 4180 requires it (``ReportBuffer/appendCSVField(_:to:)``).
    static func encode(_ field: String, into out: inout [UInt8]) {
        var field = field
        field.withUTF8 { ReportBuffer.appendCSVField($0, to: &out) }
    }

    mutating func commit() throws(ReportError) {
        try file.commit()
    }
}
