import Foundation

/// Reads the rows of a large CSV report (RFC 4180, as ``CSVTable`` and the report writer write
/// them) one at a time, through a buffer of a few megabytes: for the month's `pairs.csv`
/// (millions of rows) CSV.swift's general reader is several times slower, and a mapped file
/// would count the whole file in the reader's memory. A merge reads several of them at once.
///
/// Only the named columns are unquoted into strings.
public final class CSVRecordScanner {
    public var path: String { file.path }
    /// The file; the next record starts at its `start`.
    private let file: ChunkedFile
    private var positions: [Int] = []
    private var width = 0
    /// Data rows read so far.
    public private(set) var record = 0

    /// Opens `path` and finds the `columns` in its header row.
    ///
    /// - Throws: ``ReportError/read(path:reason:)`` when the file cannot be read,
    ///   ``ReportError/malformed(path:reason:)`` when a column is missing.
    public init(path: String, columns: [String]) throws(ReportError) {
        file = try ChunkedFile(path: path)
        guard try nextRecord() else {
            throw .malformed(path: path, reason: "the file is empty; is it a storyclust report?")
        }
        var header = spans.indices.map(text)
        if let first = header.first, first.hasPrefix("\u{FEFF}") { header[0] = String(first.dropFirst()) }
        for column in columns {
            guard let index = header.firstIndex(of: column) else {
                throw .malformed(path: path, reason: "no '\(column)' column (header: \(header.joined(separator: ","))); is it a storyclust report?")
            }
            positions.append(index)
        }
        width = header.count
    }

    /// The named columns of the next row, `nil` at the end.
    ///
    /// - Throws: ``ReportError/malformed(path:reason:)`` for a row with another number of
    ///   fields than the header, ``ReportError/read(path:reason:)`` when reading fails.
    public func next() throws(ReportError) -> [String]? {
        while try nextRecord() {
            // Spans point into the buffer, which the next read moves: take the texts now.
            if spans.count == 1 && spans[0].isEmpty && width != 1 { continue }  // a blank line
            record += 1
            guard spans.count == width else {
                throw .malformed(path: path, reason: "record \(record) has \(spans.count) fields, the header has \(width)")
            }
            return positions.map(text)
        }
        return nil
    }

    /// Calls `body` with the named columns of every row.
    public static func forEachRow(_ path: String, columns: [String], _ body: ([String]) -> Void) throws(ReportError) {
        let scanner = try CSVRecordScanner(path: path, columns: columns)
        while let row = try scanner.next() { body(row) }
    }

    /// Finds the next record's fields (``spans``, into the file's buffer); `false` at the end.
    private func nextRecord() throws(ReportError) -> Bool {
        while true {
            if file.start == file.buffer.count && file.atEnd { return false }
            spans.removeAll(keepingCapacity: true)
            if let end = Self.scan(file.buffer, from: file.start, final: file.atEnd, into: &spans) {
                file.start = end
                return true
            }
            spans.removeAll(keepingCapacity: true)
            try file.fill()
        }
    }

    private func text(_ field: Int) -> String {
        String(decoding: Self.unquote(file.buffer, spans[field]), as: UTF8.self)
    }

    private var spans: [Range<Int>] = []

    /// A field's text: its bytes, or for a quoted one what is between the quotes with `""` as
    /// `"` (and anything after the closing quote as written).
    private static func unquote(_ bytes: [UInt8], _ span: Range<Int>) -> [UInt8] {
        let quote = UInt8(ascii: "\"")
        guard let first = span.first, bytes[first] == quote else { return Array(bytes[span]) }
        var value: [UInt8] = []
        var p = first + 1
        while p < span.upperBound {
            if bytes[p] == quote {
                if p + 1 < span.upperBound && bytes[p + 1] == quote {
                    value.append(quote)
                    p += 2
                    continue
                }
                value.append(contentsOf: bytes[(p + 1)..<span.upperBound])
                break
            }
            value.append(bytes[p])
            p += 1
        }
        return value
    }

    /// Finds one record from `from`: each field's raw span into `spans`; returns the offset
    /// after the record's line break, or `nil` when the buffer ends first and more of the file
    /// may follow (`final` false).
    private static func scan(_ bytes: [UInt8], from: Int, final: Bool, into spans: inout [Range<Int>]) -> Int? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        let end = bytes.count
        var p = from
        while true {
            let begin = p
            if p < end && bytes[p] == quote {
                p += 1
                while p < end {
                    if bytes[p] == quote {
                        if p + 1 < end && bytes[p + 1] == quote {
                            p += 2
                            continue
                        }
                        p += 1
                        break
                    }
                    p += 1
                }
            }
            while p < end && bytes[p] != comma && bytes[p] != lf && bytes[p] != cr { p += 1 }
            // The end of the buffer is no end of the record while more of the file may follow
            // (a doubled quote or a CR LF may be cut in two: the record is read again whole).
            if p >= end - 1 && !final { return nil }
            spans.append(begin..<p)
            if p < end && bytes[p] == comma {
                p += 1
                continue
            }
            if p < end && bytes[p] == cr { p += 1 }
            if p < end && bytes[p] == lf { p += 1 }
            return p
        }
    }
}
