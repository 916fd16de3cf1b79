/// The language an article is written in, as its ISO 639-1 code, or `und` (ISO 639-2's
/// "undetermined") when the text gives too little evidence: a four-word headline, a list of
/// names, or a script this detector does not know.
///
/// The languages with a stop list (``listed``) are told apart by their function words; the
/// others by their script alone (``LanguageEvidence``).
public enum Language: String, Sendable, Hashable, CaseIterable {
    case und
    // Latin script, and Russian: told apart by stop words.
    case en, de, fr, es, it, pt, nl, sv, da, no, pl, tr, ru
    // One language per script (Greek, Hebrew, Arabic, Devanagari, Thai, Armenian, Georgian,
    // Hangul), and Han with or without kana.
    case el, he, ar, hi, th, hy, ka, ko, zh, ja

    /// The languages with a stop list, in the order of their bit in a stop word mask.
    static let listed: [Language] = [.en, .de, .fr, .es, .it, .pt, .nl, .sv, .da, .no, .pl, .tr, .ru]

    /// This language's bit in a stop word mask, 0 for a language without a stop list.
    var stopWordBit: UInt32 {
        guard let index = Self.listed.firstIndex(of: self) else { return 0 }
        return 1 << UInt32(index)
    }

    /// The stop words dropped from an article in this language: its own list, or English's for
    /// `und` and for languages without a list (the English phrases that CJK and Greek news
    /// quote lose their function words; the article's own words are never in that list).
    var droppedStopWords: UInt32 {
        let own = stopWordBit
        return own != 0 ? own : Language.en.stopWordBit
    }

    /// Whether numbers are written with a decimal comma (`0,25`, `1.234,5`): continental Europe
    /// and Russia. English, `und` and the Asian scripts use the point.
    var decimalComma: Bool {
        switch self {
        case .de, .fr, .es, .it, .pt, .nl, .sv, .da, .no, .pl, .tr, .ru, .el: return true
        default: return false
        }
    }
}
