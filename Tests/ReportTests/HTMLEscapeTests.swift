import Foundation
import Testing
import TestSupport
@testable import Report

/// Hostile titles, outlets and URLs, each escaped for where it goes in `report.html`.
@Suite struct HTMLEscapeTests {
    static let hostile = [
        "</script><script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' onmouseover='alert(1)",
        "<!-- <script>", "a & b < c > d", "line\u{2028}break\u{2029}para", "\u{202E}gpj.exe\u{202C} invoice", "nul\u{0}bell\u{7}",
    ]

    @Test(arguments: hostile)
    func textAndAttributesHoldNoMarkupAndNoQuoteThatEndsTheValue(_ input: String) {
        for escaped in [HTMLEscape.text(input), HTMLEscape.attribute(input)] {
            #expect(!escaped.contains("<") && !escaped.contains(">"), "\(escaped)")
            // Every & starts an entity the escaper wrote.
            let ampersands = escaped.components(separatedBy: "&").dropFirst()
            #expect(ampersands.allSatisfy { rest in ["amp;", "lt;", "gt;", "quot;", "#39;"].contains { rest.hasPrefix($0) } }, "\(escaped)")
        }
        let attribute = HTMLEscape.attribute(input)
        #expect(!attribute.contains("\"") && !attribute.contains("'"))
    }

    @Test func textKeepsWhatIsHarmlessAndShowsOverridesAndControlsAsReplacementCharacters() {
        #expect(HTMLEscape.text("Ünïcode — 中文 \"quoted\" it's") == "Ünïcode — 中文 \"quoted\" it's")
        #expect(HTMLEscape.text("a & b < c") == "a &amp; b &lt; c")
        #expect(HTMLEscape.attribute("say \"hi\" & 'bye'") == "say &quot;hi&quot; &amp; &#39;bye&#39;")
        #expect(HTMLEscape.text("\u{202E}gpj.exe\u{202C}") == "\u{FFFD}gpj.exe\u{FFFD}")
        #expect(HTMLEscape.text("\u{2066}x\u{2069}\u{202A}\u{202B}\u{202D}") == "\u{FFFD}x\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(HTMLEscape.text("nul\u{0}bell\u{7}tab\tnew\nline") == "nul\u{FFFD}bell\u{FFFD}tab\tnew\nline")
        // Right-to-left text itself is kept: only the invisible controls go.
        #expect(HTMLEscape.text("שלום عالم") == "שלום عالم")
    }

    @Test(arguments: [
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox", "//evil.test/x", "/relative/path", "ftp://files.test/a", "https:evil", "https:///x", "http://", "",
        "https://ok.test/a b", "https://ok.test/\u{0}", "https:\\\\evil.test", "https://ok.test/\\x", "file:///etc/passwd",
    ])
    func onlyAbsoluteHTTPAndHTTPSURLsWithAHostAreLinked(_ url: String) {
        #expect(HTMLEscape.url(url) == nil, "\(url)")
    }

    @Test func linkedURLsAreEscapedForTheAttribute() {
        #expect(HTMLEscape.url("https://news.test/a?x=1&y=2") == "https://news.test/a?x=1&amp;y=2")
        #expect(HTMLEscape.url("HTTP://News.test/") == "HTTP://News.test/")
        #expect(HTMLEscape.url("https://x.test/\"><script>alert(1)</script>") == "https://x.test/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(HTMLEscape.url("https://x.test/'onmouseover='a") == "https://x.test/&#39;onmouseover=&#39;a")
    }

    @Test func jsonInAScriptBlockCannotEndItAndStaysTheSameJSON() throws {
        let hostile = "</script><script>alert(1)</script> <!-- & \u{2028}\u{2029}"
        let json = try String(decoding: JSONSerialization.data(withJSONObject: ["t": hostile]), as: UTF8.self)
        let escaped = HTMLEscape.scriptJSON(json)
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] { #expect(!escaped.contains(forbidden), "\(forbidden)") }
        #expect(escaped.contains("\\u003c\\/script\\u003e") || escaped.contains("\\u003c/script\\u003e"))
        let decoded = try JSONSerialization.jsonObject(with: Data(escaped.utf8)) as? [String: String]
        #expect(decoded == ["t": hostile])
    }

    /// The escapers copy runs of untouched bytes and look only at the scalars that may change;
    /// checked against a plain scalar-by-scalar escaper on strings built from hostile, accented,
    /// CJK, emoji and U+2000-block pieces (0xE2 lead bytes that must stay as they are).
    @Test func byteRunsEscapeAsScalarByScalar() {
        func reference(_ string: String, _ replace: (Unicode.Scalar) -> String?) -> String {
            var out = ""
            for scalar in string.unicodeScalars {
                if let replaced = replace(scalar) { out += replaced } else { out.unicodeScalars.append(scalar) }
            }
            return out
        }
        func hidden(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n") || scalar.value == 0x7F
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        }
        func markup(_ scalar: Unicode.Scalar, quotes: Bool) -> String? {
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"" where quotes: "&quot;"
            case "'" where quotes: "&#39;"
            default: hidden(scalar) ? "\u{FFFD}" : nil
            }
        }
        let pieces = Self.hostile + ["plain", "caf\u{e9}", "\u{2014} dash \u{2026}", "\u{20AC}5", "\u{2069}", "\u{2066}x",
                                     "\u{1F600}", "\u{5317}\u{4EAC}", "\t\n", "\"q\"", "'", "\u{2028}", "&amp;", ""]
        var random = SplitMix64(seed: 12)
        var seeded = (0..<400).map { _ in (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() }
        seeded += pieces
        for input in seeded {
            #expect(HTMLEscape.text(input) == reference(input) { markup($0, quotes: false) })
            #expect(HTMLEscape.attribute(input) == reference(input) { markup($0, quotes: true) })
            #expect(HTMLEscape.visible(input) == reference(input) { hidden($0) ? "\u{FFFD}" : nil })
            #expect(HTMLEscape.scriptJSON(input) == reference(input) {
                switch $0 {
                case "<": "\\u003c"
                case ">": "\\u003e"
                case "&": "\\u0026"
                case "\u{2028}": "\\u2028"
                case "\u{2029}": "\\u2029"
                default: nil
                }
            })
        }
    }
}
