import CSV
import Foundation

/// Writes an RFC 4180 CSV file (UTF-8, CRLF line ends, a header row) atomically.
///
/// Quoting is CSV.swift's `CSVWriter`: a field is quoted when it holds a quote, a comma, CR or
/// LF, and quotes are doubled. Rows are encoded in memory in chunks and streamed to an
/// ``AtomicFile``, so a large table never sits in memory whole.
struct CSVTable {
    private let file: AtomicFile
    private let columns: Int
    private var pending: [[String]] = []
    private static let chunkRows = 4_096

    init(path: String, header: [String]) throws(ReportError) {
        file = try AtomicFile(path: path)
        columns = header.count
        try append(header)
    }

    mutating func append(_ row: [String]) throws(ReportError) {
        precondition(row.count == columns, "a CSV row needs one field per column")
        pending.append(row)
        if pending.count >= Self.chunkRows { try encodePending() }
    }

    private mutating func encodePending() throws(ReportError) {
        guard !pending.isEmpty else { return }
        let stream = OutputStream.toMemory()
        do {
            let writer = try CSVWriter(stream: stream, newline: .crlf)
            for row in pending { try writer.write(row: row) }
            writer.stream.close()
        } catch {
            throw .encoding(path: file.path, reason: "\(error)")
        }
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw .encoding(path: file.path, reason: "the CSV writer returned no data")
        }
        try file.write(data)
        // CSVWriter separates rows; every record of ours ends with CRLF, the last one included.
        try file.write("\r\n")
        pending.removeAll(keepingCapacity: true)
    }

    mutating func commit() throws(ReportError) {
        try encodePending()
        try file.commit()
    }
}
