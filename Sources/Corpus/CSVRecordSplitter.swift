/// Finds where the records of a CSV file begin and end, and which ones have broken quoting.
///
/// CSV.swift parses fields well but never reports bad quoting: a stray quote
/// (`"closed"junk`) or an unclosed one makes it read on to the next lucky quote, swallowing
/// every row in between into one field. This scan does no field parsing; it only follows the
/// quote state of RFC 4180 far enough to know each record's bytes and physical lines, so that a
/// damaged record costs its own line and the scan resyncs at the next one.
struct CSVRecordSplitter {
    /// One record: its bytes (without the line break), first physical line and line count.
    struct Span {
        var bytes: Range<Int>
        var line: Int
        /// Why the record cannot be read, for a damaged one (then `bytes` is its first line only).
        var damage: String?
    }

    private enum State { case fieldStart, unquoted, quoted, afterQuote }

    private static let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// The records of `bytes`, in order, from offset `start`.
    ///
    /// - Complexity: O(n) for well-formed input. An unclosed quote scans to the end once; the
    ///   line breaks it crossed inside quotes are remembered, so the scans resyncing after it
    ///   stop as soon as they reach one of them in the same state instead of scanning again.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> [Span] {
        var spans: [Span] = []
        // Line breaks (offsets) that a scan crossed inside quotes and then found unclosed: from
        // there, any scan in the same state runs unclosed to the end of the file as well.
        var doomed = Set<Int>()
        var position = start
        var line = 1
        while position < bytes.count {
            let recordLine = line
            var state = State.fieldStart
            var crossed: [Int] = []
            var index = position
            var damage: String?
            var quoteLine = line, lineHere = line
            scan: while true {
                guard index < bytes.count else {
                    if state == .quoted { damage = "the quote opened on line \(quoteLine) is never closed" }
                    break scan
                }
                let byte = bytes[index]
                switch state {
                case .fieldStart, .unquoted:
                    if byte == cr || byte == lf { break scan }
                    if state == .fieldStart, byte == quote {
                        state = .quoted
                        quoteLine = lineHere
                    } else {
                        state = byte == delimiter ? .fieldStart : .unquoted
                    }
                case .quoted:
                    if byte == quote {
                        state = .afterQuote
                    } else if byte == lf || (byte == cr && (index + 1 == bytes.count || bytes[index + 1] != lf)) {
                        if doomed.contains(index) {
                            damage = "the quote opened on line \(quoteLine) is never closed"
                            break scan
                        }
                        crossed.append(index)
                        lineHere += 1
                    }
                case .afterQuote:
                    if byte == cr || byte == lf { break scan }
                    if byte == quote {
                        state = .quoted
                    } else if byte == delimiter {
                        state = .fieldStart
                    } else {
                        damage = "the quoted field closed on line \(lineHere) goes on with '\(Unicode.Scalar(byte).escaped(asASCII: true))'"
                            + " (a quote inside a field must be doubled and the whole field quoted)"
                        break scan
                    }
                }
                index += 1
            }
            if let damage {
                if damage.hasSuffix("never closed") { doomed.formUnion(crossed) }
                // Only the record's first line is given up; reading resumes on the next one.
                var end = position
                while end < bytes.count, bytes[end] != cr, bytes[end] != lf { end += 1 }
                spans.append(Span(bytes: position..<end, line: recordLine, damage: damage))
                position = skipLineBreak(bytes, at: end)
                line = recordLine + 1
                continue
            }
            spans.append(Span(bytes: position..<index, line: recordLine, damage: nil))
            position = skipLineBreak(bytes, at: index)
            line = lineHere + 1
        }
        return spans
    }

    /// The offset after the line break at `index` (CR LF counts as one).
    private static func skipLineBreak(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        guard index < bytes.count else { return index }
        if bytes[index] == cr, index + 1 < bytes.count, bytes[index + 1] == lf { return index + 2 }
        return index + 1
    }

    /// The separator the header line uses: whichever of comma, semicolon, tab and pipe occurs
    /// most often outside quotes in the first record (comma on a tie or when none does).
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> CSVDelimiter {
        var counts = [Int](repeating: 0, count: CSVDelimiter.allCases.count)
        var inQuotes = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == cr || byte == lf { break }
                if let found = CSVDelimiter.allCases.firstIndex(where: { $0.byte == byte }) { counts[found] += 1 }
            }
            index += 1
        }
        let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
        return CSVDelimiter.allCases[best]
    }
}
