import Foundation
import Testing
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
}
