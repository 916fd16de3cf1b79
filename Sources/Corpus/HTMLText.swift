/// Reduces the HTML of a feed's description or content to the plain text a reader sees.
///
/// Feeds carry HTML fragments, not documents: tags are dropped (block tags leave a line break,
/// `script` and `style` leave nothing), character references are decoded and runs of white space
/// become one space or one line break. This is not an HTML parser: a fragment is only ever
/// reduced to text, so a broken tag can cost a few words but never a record.
enum HTMLText {
    /// The text of an HTML fragment.
    ///
    /// - Complexity: O(n) in the length of `html`.
    static func reduce(_ html: String) -> String {
        guard html.contains(where: { $0 == "<" || $0 == "&" }) else { return collapse(html) }
        var out = ""
        out.reserveCapacity(html.utf8.count)
        let scalars = Array(html.unicodeScalars)
        var index = 0
        var skipUntil: String?  // the closing tag of a script or style element being skipped
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<", let tag = Self.tag(in: scalars, at: index) {
                index = tag.end
                if let closing = skipUntil {
                    if tag.closing && tag.name == closing { skipUntil = nil }
                    continue
                }
                if !tag.closing && (tag.name == "script" || tag.name == "style") {
                    skipUntil = tag.name
                } else if blockTags.contains(tag.name) {
                    out.unicodeScalars.append("\n")
                } else {
                    // Inline tags separate nothing, but a comment or an image between two
                    // words must not glue them together.
                    if tag.name.isEmpty || tag.name == "img" { out.unicodeScalars.append(" ") }
                }
                continue
            }
            if skipUntil != nil { index += 1; continue }
            if scalar == "&", let reference = Self.reference(in: scalars, at: index) {
                out.unicodeScalars.append(contentsOf: reference.text.unicodeScalars)
                index = reference.end
                continue
            }
            out.unicodeScalars.append(scalar)
            index += 1
        }
        return collapse(out)
    }

    /// Decodes character references only, for text that is not markup (a title).
    static func decodeReferences(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "&", let reference = reference(in: scalars, at: index) {
                out.append(contentsOf: reference.text.unicodeScalars)
                index = reference.end
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return String(out)
    }

    // MARK: - Tags

    private static let blockTags: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt",
    ]

    /// The tag starting at `start` (a `<`): its lower-cased name (empty for a comment or a
    /// declaration), whether it closes, and the index after its `>`. `nil` when no tag starts
    /// there (`a < b`), so the `<` stays text.
    private static func tag(in scalars: [Unicode.Scalar], at start: Int) -> (name: String, closing: Bool, end: Int)? {
        var index = start + 1
        guard index < scalars.count else { return nil }
        if scalars[index] == "!" {
            // A comment runs to `-->`, a declaration or CDATA to the next `>`.
            let isComment = index + 2 < scalars.count && scalars[index + 1] == "-" && scalars[index + 2] == "-"
            var end = index + 1
            while end < scalars.count {
                if scalars[end] == ">" && (!isComment || (end - start >= 5 && scalars[end - 1] == "-" && scalars[end - 2] == "-")) {
                    return ("", false, end + 1)
                }
                end += 1
            }
            return ("", false, scalars.count)
        }
        let closing = scalars[index] == "/"
        if closing { index += 1 }
        var name = String.UnicodeScalarView()
        while index < scalars.count, scalars[index].properties.isAlphabetic || (name.count > 0 && ("0"..."9").contains(scalars[index])) {
            name.append(scalars[index])
            index += 1
        }
        guard !name.isEmpty else { return nil }
        // Attributes may hold a quoted `>`.
        var quote: Unicode.Scalar?
        while index < scalars.count {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                return (String(name).lowercased(), closing, index + 1)
            }
            index += 1
        }
        return (String(name).lowercased(), closing, scalars.count)
    }

    // MARK: - Character references

    /// The character reference starting at `start` (an `&`) and the index after its `;`; `nil`
    /// when none starts there, so the `&` stays text.
    private static func reference(in scalars: [Unicode.Scalar], at start: Int) -> (text: String, end: Int)? {
        var index = start + 1
        var body = String.UnicodeScalarView()
        while index < scalars.count, index - start <= 32, scalars[index] != ";" {
            let scalar = scalars[index]
            guard scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "#" else { return nil }
            body.append(scalar)
            index += 1
        }
        guard index < scalars.count, scalars[index] == ";", !body.isEmpty else { return nil }
        let name = String(body)
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let code: UInt32?
            if digits.first == "x" || digits.first == "X" {
                code = UInt32(digits.dropFirst(), radix: 16)
            } else {
                code = UInt32(digits, radix: 10)
            }
            guard let code else { return nil }
            // NUL, surrogates and values past U+10FFFF become the replacement character, as in HTML.
            let scalar = code == 0 ? nil : Unicode.Scalar(code)
            return (String(Character(scalar ?? "\u{FFFD}")), index + 1)
        }
        guard let text = namedReferences[name] else { return nil }
        return (text, index + 1)
    }

    /// The named references news feeds use; an unknown name stays as written.
    private static let namedReferences: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "ndash": "\u{2013}", "mdash": "\u{2014}", "hellip": "\u{2026}", "bull": "\u{2022}", "middot": "\u{00B7}",
        "lsquo": "\u{2018}", "rsquo": "\u{2019}", "sbquo": "\u{201A}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
        "bdquo": "\u{201E}", "laquo": "\u{00AB}", "raquo": "\u{00BB}", "lsaquo": "\u{2039}", "rsaquo": "\u{203A}",
        "prime": "\u{2032}", "Prime": "\u{2033}", "dagger": "\u{2020}", "Dagger": "\u{2021}", "permil": "\u{2030}",
        "copy": "\u{00A9}", "reg": "\u{00AE}", "trade": "\u{2122}", "deg": "\u{00B0}", "plusmn": "\u{00B1}",
        "times": "\u{00D7}", "divide": "\u{00F7}", "frac12": "\u{00BD}", "frac14": "\u{00BC}", "frac34": "\u{00BE}",
        "sup1": "\u{00B9}", "sup2": "\u{00B2}", "sup3": "\u{00B3}", "micro": "\u{00B5}", "para": "\u{00B6}",
        "sect": "\u{00A7}", "euro": "\u{20AC}", "pound": "\u{00A3}", "yen": "\u{00A5}", "cent": "\u{00A2}",
        "iexcl": "\u{00A1}", "iquest": "\u{00BF}", "shy": "", "zwnj": "\u{200C}", "zwj": "\u{200D}",
        "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}",
        "Agrave": "\u{00C0}", "Aacute": "\u{00C1}", "Acirc": "\u{00C2}", "Atilde": "\u{00C3}", "Auml": "\u{00C4}",
        "Aring": "\u{00C5}", "AElig": "\u{00C6}", "Ccedil": "\u{00C7}", "Egrave": "\u{00C8}", "Eacute": "\u{00C9}",
        "Ecirc": "\u{00CA}", "Euml": "\u{00CB}", "Igrave": "\u{00CC}", "Iacute": "\u{00CD}", "Icirc": "\u{00CE}",
        "Iuml": "\u{00CF}", "Ntilde": "\u{00D1}", "Ograve": "\u{00D2}", "Oacute": "\u{00D3}", "Ocirc": "\u{00D4}",
        "Otilde": "\u{00D5}", "Ouml": "\u{00D6}", "Oslash": "\u{00D8}", "Ugrave": "\u{00D9}", "Uacute": "\u{00DA}",
        "Ucirc": "\u{00DB}", "Uuml": "\u{00DC}", "Yacute": "\u{00DD}", "szlig": "\u{00DF}",
        "agrave": "\u{00E0}", "aacute": "\u{00E1}", "acirc": "\u{00E2}", "atilde": "\u{00E3}", "auml": "\u{00E4}",
        "aring": "\u{00E5}", "aelig": "\u{00E6}", "ccedil": "\u{00E7}", "egrave": "\u{00E8}", "eacute": "\u{00E9}",
        "ecirc": "\u{00EA}", "euml": "\u{00EB}", "igrave": "\u{00EC}", "iacute": "\u{00ED}", "icirc": "\u{00EE}",
        "iuml": "\u{00EF}", "ntilde": "\u{00F1}", "ograve": "\u{00F2}", "oacute": "\u{00F3}", "ocirc": "\u{00F4}",
        "otilde": "\u{00F5}", "ouml": "\u{00F6}", "oslash": "\u{00F8}", "ugrave": "\u{00F9}", "uacute": "\u{00FA}",
        "ucirc": "\u{00FB}", "uuml": "\u{00FC}", "yacute": "\u{00FD}", "yuml": "\u{00FF}",
        "OElig": "\u{0152}", "oelig": "\u{0153}", "Scaron": "\u{0160}", "scaron": "\u{0161}", "Yuml": "\u{0178}",
    ]

    // MARK: - White space

    /// Runs of spaces and tabs become one space; line breaks (and the spaces around them) one
    /// line break, so paragraphs stay apart; the ends are trimmed.
    static func collapse(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var pendingBreak = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" {
                pendingBreak = true
            } else if scalar.properties.isWhitespace {
                pendingSpace = true
            } else {
                if !out.isEmpty {
                    if pendingBreak { out.append("\n") } else if pendingSpace { out.append(" ") }
                }
                pendingSpace = false
                pendingBreak = false
                out.append(scalar)
            }
        }
        return String(out)
    }
}
