/// Harman's "S" stemmer: folds English plurals onto their singular (Harman, 1991).
///
/// Headlines and excerpts are short: `supercomputers` in one and `supercomputer` in another is
/// often the only word two reports share. This stemmer only touches the plural endings, so it
/// rarely merges unrelated words, unlike full suffix strippers.
/// - `-ies` (not `-eies`, `-aies`) becomes `-y`;
/// - `-es` (not `-aes`, `-ees`, `-oes`) becomes `-e`;
/// - `-s` (not `-us`, `-ss`, `-is`) is dropped.
/// Words shorter than four letters and anything with a digit are left alone.
enum PluralStemmer {
    static func stem(_ word: String) -> String {
        let bytes = Array(word.utf8)
        let n = bytes.count
        guard n >= 4, bytes[n - 1] == UInt8(ascii: "s"), bytes.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else {
            return word
        }
        let s = UInt8(ascii: "s"), e = UInt8(ascii: "e"), i = UInt8(ascii: "i"), a = UInt8(ascii: "a"),
            o = UInt8(ascii: "o"), u = UInt8(ascii: "u")
        if bytes[n - 2] == e && bytes[n - 3] == i && bytes[n - 4] != e && bytes[n - 4] != a {
            return String(decoding: bytes[..<(n - 3)], as: UTF8.self) + "y"
        }
        if bytes[n - 2] == e && bytes[n - 3] != a && bytes[n - 3] != e && bytes[n - 3] != o {
            return String(decoding: bytes[..<(n - 1)], as: UTF8.self)
        }
        if bytes[n - 2] != u && bytes[n - 2] != s && bytes[n - 2] != i && bytes[n - 2] != e {
            return String(decoding: bytes[..<(n - 1)], as: UTF8.self)
        }
        return word
    }
}
