/// Escaping of untrusted text (titles, outlets, URLs, reasons) for each place it goes in
/// `report.html`: every field of the input is written through one of these, never as is.
///
/// Besides the markup characters, the bidirectional embedding, override and isolate controls
/// (U+202A–U+202E, U+2066–U+2069) and the C0 controls other than tab and line feed are shown
/// as U+FFFD: an override in a hostile title would otherwise reverse the text after it on the
/// page (a URL or an outlet name read backwards).
enum HTMLEscape {
    /// Text content of an element.
    static func text(_ string: String) -> String {
        escape(string, quotes: false)
    }

    /// The value of a double-quoted attribute.
    static func attribute(_ string: String) -> String {
        escape(string, quotes: true)
    }

    /// A link target for a double-quoted `href`, or `nil` when `string` is not an absolute
    /// `http` or `https` URL with a host (`javascript:`, `data:`, relative and protocol-relative
    /// links are not linked at all).
    static func url(_ string: String) -> String? {
        let bytes = Array(string.utf8)
        let lower = bytes.prefix(8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let schemeLength: Int
        if lower.starts(with: Array("https://".utf8)) {
            schemeLength = 8
        } else if lower.starts(with: Array("http://".utf8)) {
            schemeLength = 7
        } else {
            return nil
        }
        // A host must follow, and nothing a browser would strip or read as a separator.
        guard bytes.count > schemeLength, !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == 0x5C }),
              bytes[schemeLength] != UInt8(ascii: "/") else { return nil }
        return escape(string, quotes: true)
    }

    /// JSON text for a `<script type="application/json">` block: `<`, `>`, `&` and U+2028/2029
    /// as `\u` escapes, so that no `</script>` or `<!--` can end or bend the block and no line
    /// separator breaks a consumer that reads it as script. Valid only on JSON text, where these
    /// characters can appear inside strings alone.
    static func scriptJSON(_ json: String) -> String {
        replacing(json, attention: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "&") || $0 == 0xE2 }) {
            switch $0 {
            case "<": "\\u003c"
            case ">": "\\u003e"
            case "&": "\\u0026"
            case "\u{2028}": "\\u2028"
            case "\u{2029}": "\\u2029"
            default: nil
            }
        }
    }

    /// `string` as the page shows it, without markup escaping: the controls above as U+FFFD.
    /// For text the page's script handles as data (the outlet names of the filter), so that it
    /// matches what the markup shows.
    static func visible(_ string: String) -> String {
        replacing(string, attention: { $0 < 0x20 || $0 == 0x7F || $0 == 0xE2 }) { isHidden($0) ? "\u{FFFD}" : nil }
    }

    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n": false
        case "\u{0}"..."\u{1F}", "\u{7F}", "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}": true
        default: false
        }
    }

    private static func escape(_ string: String, quotes: Bool) -> String {
        let attention: (UInt8) -> Bool = { byte in
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), 0..<0x20, 0x7F, 0xE2: true
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quotes
            default: false
            }
        }
        return replacing(string, attention: attention) {
            switch $0 {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"" where quotes: "&quot;"
            case "'" where quotes: "&#39;"
            default: isHidden($0) ? "\u{FFFD}" : nil
            }
        }
    }

    /// `string` with each scalar for which `replacement` gives a string replaced by it.
    ///
    /// `attention` names the first UTF-8 byte of every scalar `replacement` may replace (ASCII
    /// bytes, and 0xE2 for U+2000–U+2FFF): the bytes between such scalars are copied as they
    /// are, and a string with none of them is returned as it is.
    private static func replacing(
        _ string: String, attention: (UInt8) -> Bool, _ replacement: (Unicode.Scalar) -> String?
    ) -> String {
        var copy = string
        let replaced: String? = copy.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: attention) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 32)
            var copied = 0, index = first
            while index < bytes.count {
                let lead = bytes[index]
                guard attention(lead) else {
                    index += 1
                    continue
                }
                // Attention bytes are lead bytes: ASCII, or 0xE2 opening three bytes.
                let length = lead < 0x80 ? 1 : 3
                let value = length == 1 ? UInt32(lead)
                    : UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                if let scalar = Unicode.Scalar(value), let replacement = replacement(scalar) {
                    out.append(contentsOf: bytes[copied..<index])
                    out.append(contentsOf: replacement.utf8)
                    copied = index + length
                }
                index += length
            }
            out.append(contentsOf: bytes[copied...])
            return String(decoding: out, as: UTF8.self)
        }
        return replaced ?? string
    }
}
