import CSV
import Foundation

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
