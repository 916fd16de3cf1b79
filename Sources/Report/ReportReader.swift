import CSV
import Foundation

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
        try forEachRow(articlesPath, columns: ["id", "cluster_id", "duplicate_of", "relation"]) { _, fields in
            rows.append(ArticleRow(id: fields[0], clusterID: fields[1], duplicateOf: fields[2].isEmpty ? nil : fields[2], relation: fields[3]))
            return true
        }
        return rows
    }

    /// The `pairs.csv` row of two ids, in either order; `nil` when the pair is not listed (its
    /// cosine is below the story threshold, or the two were never compared).
    ///
    /// Reads the file as a stream up to the row, so a large `pairs.csv` is never held in memory.
    public func pair(_ a: String, _ b: String) throws(ReportError) -> PairRow? {
        var found: PairRow?
        try forEachRow(pairsPath, columns: ["id_a", "id_b", "cosine", "relation", "shared_terms", "hours_apart"]) { _, fields in
            guard (fields[0] == a && fields[1] == b) || (fields[0] == b && fields[1] == a) else { return true }
            found = PairRow(idA: fields[0], idB: fields[1], cosine: fields[2], relation: fields[3], sharedTerms: fields[4], hoursApart: fields[5])
            return false
        }
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

    /// Streams the rows of a CSV report, handing `body` the 1-based record number and the named
    /// columns' values in the order asked for; `body` returns `false` to stop.
    private func forEachRow(
        _ path: String, columns: [String], _ body: (Int, [String]) -> Bool
    ) throws(ReportError) {
        guard let stream = InputStream(fileAtPath: path), FileManager.default.isReadableFile(atPath: path) else {
            throw .read(path: path, reason: Self.reason(path, nil))
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw .malformed(path: path, reason: "cannot read the CSV header row: \(error)")
        }
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
            if case CSVError.cannotReadFile = error, stream.streamStatus == .atEnd { return }
            throw .malformed(path: path, reason: "cannot read the CSV file after record \(record): \(error)")
        }
    }

    /// The operating system's reason a file cannot be read ("No such file or directory").
    private static func reason(_ path: String, _ error: (any Error)?) -> String {
        if !FileManager.default.fileExists(atPath: path) { return "no such file (is it a storyclust reports directory?)" }
        return error.map { ($0 as NSError).localizedDescription } ?? "permission denied"
    }

    private static func describe(_ error: any Error) -> String {
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
