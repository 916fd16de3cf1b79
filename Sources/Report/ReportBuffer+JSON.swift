extension ReportBuffer {
    /// Appends `string` as a JSON string, escaped as Foundation's `JSONEncoder` does with
    /// `.withoutEscapingSlashes`: `"` and `\` get a backslash, backspace, form feed, line feed,
    /// carriage return and tab their short escapes, other control characters below U+0020 a
    /// `\u00xx` escape with lower-case hex; everything else (`/`, DEL, U+2028, emoji) is copied.
    mutating func appendJSONString(_ string: String) {
        var string = string
        string.withUTF8 { appendJSONString($0) }
    }

    mutating func appendJSONString(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var start = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            index += 1
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<(index - 1)]))
            start = index
            bytes.append(0x5C)
            switch byte {
            case 0x22: bytes.append(0x22)
            case 0x5C: bytes.append(0x5C)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(UInt8(ascii: "u"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0x0F))
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        bytes.append(0x22)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// Appends a JSON string whose raw bytes `build` appends, escaped like any other (which is
    /// almost never needed: the bytes are checked once built).
    mutating func appendJSONString(_ build: (inout ReportBuffer) -> Void) {
        bytes.append(0x22)
        let start = bytes.count
        build(&self)
        if bytes[start...].contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            let raw = Array(bytes[start...])
            bytes.removeSubrange((start - 1)...)
            raw.withUnsafeBufferPointer { appendJSONString($0) }
        } else {
            bytes.append(0x22)
        }
    }

    /// A JSON string, or `null` for `nil`.
    mutating func appendJSONString(_ string: String?) {
        if let string { appendJSONString(string) } else { append("null") }
    }

    /// A `Double` as `JSONEncoder` writes it: its shortest round-trip `description`, without a
    /// trailing `.0`.
    ///
    /// - Throws: for infinity and NaN, which JSON cannot hold (`JSONEncoder` throws too).
    mutating func appendJSONNumber(_ value: Double) throws(JSONNumberError) {
        guard value.isFinite else { throw JSONNumberError(value: value) }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        append(text)
    }

    /// An array of strings without spaces, as `JSONEncoder` writes one.
    mutating func appendJSONArray(_ strings: [String]) {
        append(byte: UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { append(byte: UInt8(ascii: ",")) }
            appendJSONString(string)
        }
        append(byte: UInt8(ascii: "]"))
    }
}

/// A number JSON cannot hold.
struct JSONNumberError: Error {
    let value: Double
}
