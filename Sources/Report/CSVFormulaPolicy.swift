/// What the CSV reports do with a cell of input text that a spreadsheet would take for a
/// formula (OWASP's "CSV injection").
///
/// With ``neutralize`` (the default), a cell of a text column (ids, titles, publishers, URLs,
/// sources, terms, reasons) that starts with `=`, `+`, `-`, `@`, a tab, a carriage return or a
/// single quote gets one single quote `'` in front. The rule is undone exactly by removing one
/// leading `'` from every cell of a text column that starts with one; numeric columns the tool
/// writes (cosines, hours, counts) are never touched, so a negative number stays a number.
public enum CSVFormulaPolicy: String, Sendable, CaseIterable, Codable {
    /// Prefix a `'` to text cells starting with `= + - @`, tab, CR or `'`.
    case neutralize
    /// Write every cell as it is.
    case keep

    /// Whether a text cell whose first byte is `byte` gets the `'` under ``neutralize``.
    @inline(__always)
    static func isTrigger(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            || byte == 0x09 || byte == 0x0D || byte == UInt8(ascii: "'")
    }

    /// The bytes `text` is written as in a text column, before CSV quoting.
    public func encode(_ text: String) -> String {
        guard self == .neutralize, let first = text.utf8.first, Self.isTrigger(first) else { return text }
        return "'" + text
    }

    /// The text a text-column cell was written from.
    public func decode(_ cell: String) -> String {
        guard self == .neutralize, cell.utf8.first == UInt8(ascii: "'") else { return cell }
        return String(cell.dropFirst())
    }
}

extension ReportBuffer {
    /// Appends a cell of a text column from the input: the formula rule of `policy`, then RFC 4180.
    mutating func appendCSVText(_ text: String, _ policy: CSVFormulaPolicy) {
        var text = text
        text.withUTF8 { appendCSVText($0, policy) }
    }

    mutating func appendCSVText(_ text: UnsafeBufferPointer<UInt8>, _ policy: CSVFormulaPolicy) {
        guard policy == .neutralize, let first = text.first, CSVFormulaPolicy.isTrigger(first) else {
            appendCSVField(text)
            return
        }
        appendCSVField { out in
            out.append(byte: UInt8(ascii: "'"))
            out.bytes.append(contentsOf: text)
        }
    }

    /// Appends a text cell built by `build`: the formula rule, then RFC 4180 quoting.
    mutating func appendCSVText(_ policy: CSVFormulaPolicy, _ build: (inout ReportBuffer) -> Void) {
        appendCSVField { out in
            let start = out.bytes.count
            build(&out)
            if policy == .neutralize, start < out.bytes.count, CSVFormulaPolicy.isTrigger(out.bytes[start]) {
                out.bytes.insert(UInt8(ascii: "'"), at: start)
            }
        }
    }
}
