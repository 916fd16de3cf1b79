import CSV
import Foundation
import Glibc

/// Reads back the reports of an earlier run: to score them against labels and to explain their pairs.
///
/// Columns are found by their header names, which are a contract (columns may be added at the
/// end, none is renamed), so reports of a later version with more columns read the same. A
/// file that is missing, or not the report it should be, is an error naming the file and, for
/// a bad row, the record.
public struct ReportReader: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// What `articles.csv` says about one record.
    public struct ArticleRow: Sendable, Hashable {
        public var id: String
        public var clusterID: String
        /// The article it copies; `nil` when none.
        public var duplicateOf: String?
        /// `canonical`, `exact_url`, `exact_text`, `near_duplicate`, `same_story` or `singleton`.
        public var relation: String
    }

    /// One row of `pairs.csv`, its values as written.
    public struct PairRow: Sendable, Hashable {
        public var idA: String
        public var idB: String
        public var cosine: String
        public var relation: String
        public var sharedTerms: String
        public var hoursApart: String
    }

    /// What `summary.json` records about how the reports were made.
    public struct RecordedRun: Sendable, Decodable {
        public var parameters: RunParameters
        public var inputs: [RecordedInput]
    }

    /// An input file of the recorded run.
    public struct RecordedInput: Sendable, Hashable, Decodable {
        public var path: String
        public var sha256: String
        public var records: Int
        public var format: String?
        public var bytes: Int?
    }

    public var articlesPath: String { directory + "/articles.csv" }
    public var pairsPath: String { directory + "/pairs.csv" }
    public var summaryPath: String { directory + "/summary.json" }

    /// Every row of `articles.csv`, in file order.
    ///
    /// - Throws: ``ReportError/read(path:reason:)`` when the file cannot be read,
    ///   ``ReportError/malformed(path:reason:)`` when a column is missing or a row is short.
    public func articles() throws(ReportError) -> [ArticleRow] {
        var rows: [ArticleRow] = []
        let text = formulas()
        try forEachRow(articlesPath, columns: ["id", "cluster_id", "duplicate_of", "relation"]) { _, fields in
            rows.append(ArticleRow(
                id: text.decode(fields[0]), clusterID: fields[1],
                duplicateOf: fields[2].isEmpty ? nil : text.decode(fields[2]), relation: fields[3]))
            return true
        }
        return rows
    }

    /// The `pairs.csv` row of two ids, in either order; `nil` when the pair is not listed (its
    /// cosine is below the story threshold, or the two were never compared).
    ///
    /// The `pairs.csv` of a large run has millions of rows, more than CSV.swift parses in a few
    /// seconds; but the row of a pair holds both ids as ``CSVTable`` wrote them, so the mapped
    /// file is searched for the first id's bytes and only the lines that also hold the second
    /// are parsed. An id with a line break would span lines: then every row is parsed.
    public func pair(_ a: String, _ b: String) throws(ReportError) -> PairRow? {
        let columns = ["id_a", "id_b", "cosine", "relation", "shared_terms", "hours_apart"]
        let text = formulas()
        var found: PairRow?
        func match(_: Int, _ fields: [String]) -> Bool {
            let x = text.decode(fields[0]), y = text.decode(fields[1])
            guard (x == a && y == b) || (x == b && y == a) else { return true }
            found = PairRow(idA: x, idB: y, cosine: fields[2], relation: fields[3], sharedTerms: text.decode(fields[4]), hoursApart: fields[5])
            return false
        }
        let breaksLines: (String) -> Bool = { $0.utf8.contains { $0 == 0x0A || $0 == 0x0D } }
        if breaksLines(a) || breaksLines(b) {
            try forEachRow(pairsPath, columns: columns, match)
            return found
        }
        if CompressedReport.locate(pairsPath).compression != nil {
            // Kept compressed: streamed through, row by row, never inflated whole.
            let scanner = try CSVRecordScanner(path: pairsPath, columns: columns)
            while let fields = try scanner.next() {
                if !match(scanner.record, fields) { break }
            }
            return found
        }

        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: pairsPath), options: .alwaysMapped)
        } catch {
            throw .read(path: pairsPath, reason: Self.reason(pairsPath, error))
        }
        var needleA: [UInt8] = [], needleB: [UInt8] = []
        CSVTable.encode(text.encode(a), into: &needleA)
        CSVTable.encode(text.encode(b), into: &needleB)
        let candidates: [String] = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress, !needleA.isEmpty else { return [] }
            let bytes = buffer.bindMemory(to: UInt8.self)
            let headerEnd = bytes.firstIndex(of: 0x0A) ?? bytes.count
            var lines = [String(decoding: bytes[..<headerEnd], as: UTF8.self)]
            var from = headerEnd
            while let position = Self.find(needleA, in: base, from: from, to: bytes.count) {
                var start = position, end = position
                while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                if Self.find(needleB, in: base, from: start, to: end) != nil {
                    lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
                }
                from = end
            }
            return lines
        }
        guard candidates.count > 1 else { return nil }
        try forEachRow(candidates.joined(separator: "\n"), of: pairsPath, columns: columns, match)
        return found
    }

    /// The parameters and input files recorded in `summary.json`.
    public func summary() throws(ReportError) -> RecordedRun {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: summaryPath))
        } catch {
            throw .read(path: summaryPath, reason: Self.reason(summaryPath, error))
        }
        do {
            return try JSONDecoder().decode(RecordedRun.self, from: data)
        } catch {
            throw .malformed(path: summaryPath, reason: "not a storyclust summary.json (\(Self.describe(error)))")
        }
    }

    /// How the CSV reports were written, as `summary.json` records it: ``CSVFormulaPolicy/keep``
    /// when its summary names none (versions before the policy wrote every cell as it was), the
    /// default ``CSVFormulaPolicy/neutralize`` when there is no readable summary.
    public func formulas() -> CSVFormulaPolicy {
        struct Recorded: Decodable {
            var csvFormulas: CSVFormulaPolicy?
            enum CodingKeys: String, CodingKey { case csvFormulas = "csv_formulas" }
        }
        guard let data = FileManager.default.contents(atPath: summaryPath),
              let recorded = try? JSONDecoder().decode(Recorded.self, from: data) else { return .neutralize }
        return recorded.csvFormulas ?? .keep
    }

    /// Streams the rows of a CSV report, handing `body` the 1-based record number and the named
    /// columns' values in the order asked for; `body` returns `false` to stop.
    ///
    /// A report kept compressed (``CompressedReport``) is inflated in memory first.
    func forEachRow(
        _ path: String, columns: [String], _ body: (Int, [String]) -> Bool
    ) throws(ReportError) {
        let stream: InputStream, read: String
        if let (found, data) = try CompressedReport.inflated(path) {
            (stream, read) = (InputStream(data: data), found)
        } else {
            guard let file = InputStream(fileAtPath: path), FileManager.default.isReadableFile(atPath: path) else {
                throw .read(path: path, reason: Self.reason(path, nil))
            }
            (stream, read) = (file, path)
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw .malformed(path: read, reason: "cannot read the CSV header row: \(error)")
        }
        try forEachRow(of: reader, path: read, columns: columns, atEnd: { stream.streamStatus == .atEnd }, body)
    }

    /// The same over CSV text already in memory (a header and the lines of interest of `path`).
    private func forEachRow(
        _ text: String, of path: String, columns: [String], _ body: (Int, [String]) -> Bool
    ) throws(ReportError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw .malformed(path: path, reason: "cannot read the CSV header row: \(error)")
        }
        try forEachRow(of: reader, path: path, columns: columns, atEnd: { false }, body)
    }

    private func forEachRow(
        of reader: CSVReader, path: String, columns: [String], atEnd: () -> Bool, _ body: (Int, [String]) -> Bool
    ) throws(ReportError) {
        let header = reader.headerRow ?? []
        var positions: [Int] = []
        for column in columns {
            guard let position = header.firstIndex(of: column) else {
                throw .malformed(path: path, reason: "no '\(column)' column (header: \(header.joined(separator: ","))); is it a storyclust report?")
            }
            positions.append(position)
        }
        var record = 0
        while let row = reader.next() {
            if row.count == 1, row[0].isEmpty, header.count != 1 { continue }  // a blank line
            record += 1
            guard row.count == header.count else {
                throw .malformed(path: path, reason: "record \(record) has \(row.count) fields, the header has \(header.count)")
            }
            if !body(record, positions.map { row[$0] }) { return }
        }
        // On Linux a file stream still claims bytes at its end, so CSV.swift's last read comes
        // back short and is reported as `cannotReadFile` although every row was read.
        if let error = reader.error {
            if case CSVError.cannotReadFile = error, atEnd() { return }
            throw .malformed(path: path, reason: "cannot read the CSV file after record \(record): \(error)")
        }
    }

    /// The offset of the first occurrence of `needle` in `base[from..<to]`: `memchr` to the
    /// candidates for its first byte, `memcmp` for the rest.
    private static func find(_ needle: [UInt8], in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        guard let first = needle.first else { return nil }
        var from = from
        while end - from >= needle.count {
            guard let hit = memchr(base + from, Int32(first), end - from - needle.count + 1) else { return nil }
            let position = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + position, needle, needle.count) == 0 { return position }
            from = position + 1
        }
        return nil
    }

    /// The operating system's reason a file cannot be read ("No such file or directory").
    static func reason(_ path: String, _ error: (any Error)?) -> String {
        if !FileManager.default.fileExists(atPath: path) { return "no such file (is it a storyclust reports directory?)" }
        return error.map { ($0 as NSError).localizedDescription } ?? "permission denied"
    }

    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "unexpected value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case .dataCorrupted(let context)?:
            return context.debugDescription
        default:
            return "\(error)"
        }
    }
}
