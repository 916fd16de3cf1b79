import Foundation

/// Reads the rows of a large CSV report (RFC 4180, as ``CSVTable`` and the report writer write
/// them) from a mapped file, one row at a time: for the month's `pairs.csv` (millions of rows)
/// CSV.swift's general reader is several times slower, and a merge reads several of them.
///
/// Only the named columns are unquoted into strings.
public final class CSVRecordScanner {
    public let path: String
    private let data: Data
    private var position: Int
    private let positions: [Int]
    private let width: Int
    /// Data rows read so far.
    public private(set) var record = 0

    /// Opens `path` and finds the `columns` in its header row.
    ///
    /// - Throws: ``ReportError/read(path:reason:)`` when the file cannot be read,
    ///   ``ReportError/malformed(path:reason:)`` when a column is missing.
    public init(path: String, columns: [String]) throws(ReportError) {
        self.path = path
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw .read(path: path, reason: ReportReader.reason(path, error))
        }
        position = data.startIndex
        var header: [String] = []
        _ = Self.scan(data, &position) { header.append(String(decoding: $0, as: UTF8.self)) }
        if let first = header.first, first.hasPrefix("\u{FEFF}") { header[0] = String(first.dropFirst()) }
        var positions: [Int] = []
        for column in columns {
            guard let index = header.firstIndex(of: column) else {
                throw .malformed(path: path, reason: "no '\(column)' column (header: \(header.joined(separator: ","))); is it a storyclust report?")
            }
            positions.append(index)
        }
        self.positions = positions
        width = header.count
    }

    /// The named columns of the next row, `nil` at the end.
    ///
    /// - Throws: ``ReportError/malformed(path:reason:)`` for a row with another number of fields than the header.
    public func next() throws(ReportError) -> [String]? {
        while position < data.endIndex {
            var fields: [String] = []
            var index = 0
            let wanted = positions
            var values = [String](repeating: "", count: wanted.count)
            let count = Self.scan(data, &position) { bytes in
                if let slot = wanted.firstIndex(of: index) { values[slot] = String(decoding: bytes, as: UTF8.self) }
                index += 1
            }
            if count == 1 && index == 1 && values.allSatisfy(\.isEmpty) && width != 1 { continue }  // a blank line
            record += 1
            guard count == width else {
                throw .malformed(path: path, reason: "record \(record) has \(count) fields, the header has \(width)")
            }
            fields = values
            return fields
        }
        return nil
    }

    /// Calls `body` with the named columns of every row.
    public static func forEachRow(_ path: String, columns: [String], _ body: ([String]) -> Void) throws(ReportError) {
        let scanner = try CSVRecordScanner(path: path, columns: columns)
        while let row = try scanner.next() { body(row) }
    }

    /// Reads one record from `position`, handing each field's unquoted bytes to `field`;
    /// returns the number of fields and leaves `position` after the record's line break.
    private static func scan(_ data: Data, _ position: inout Int, _ field: ([UInt8]) -> Void) -> Int {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        var count = 0
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int in
            let bytes = raw.bindMemory(to: UInt8.self)
            var p = position - data.startIndex
            let end = bytes.count
            var value: [UInt8] = []
            while true {
                value.removeAll(keepingCapacity: true)
                if p < end && bytes[p] == quote {
                    p += 1
                    while p < end {
                        if bytes[p] == quote {
                            if p + 1 < end && bytes[p + 1] == quote {
                                value.append(quote)
                                p += 2
                                continue
                            }
                            p += 1
                            break
                        }
                        value.append(bytes[p])
                        p += 1
                    }
                    // Anything after the closing quote up to the separator is kept as written.
                    while p < end && bytes[p] != comma && bytes[p] != lf && bytes[p] != cr {
                        value.append(bytes[p])
                        p += 1
                    }
                } else {
                    let start = p
                    while p < end && bytes[p] != comma && bytes[p] != lf && bytes[p] != cr { p += 1 }
                    value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<p]))
                }
                field(value)
                count += 1
                if p < end && bytes[p] == comma {
                    p += 1
                    continue
                }
                if p < end && bytes[p] == cr { p += 1 }
                if p < end && bytes[p] == lf { p += 1 }
                break
            }
            position = p + data.startIndex
            return count
        }
    }
}
