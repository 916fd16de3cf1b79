/// What the tokenizer saw of one article's language: letters per script, and stop word hits
/// per listed language. Filled while the article is tokenized, so detection costs no second
/// pass over the text.
///
/// The decision (``language``), in order:
/// 1. The script with the most letters wins (a Han, kana or Hangul character counts as three
///    letters: one carries about as much as a short Latin word). Fewer than 8 letters: `und`.
/// 2. A script that one language writes names it: Greek `el`, Hebrew `he`, Arabic `ar`,
///    Devanagari `hi`, Thai `th`, Armenian `hy`, Georgian `ka`, Hangul `ko`. Han is `ja` when
///    at least one character in eight is kana, else `zh`.
/// 3. Latin and Cyrillic are scored over the stop lists: each token found in the lists of `k`
///    languages gives each of them `1/k`, so `the` or `und` counts fully and `de` (French,
///    Spanish, Portuguese, Dutch...) a little for each. The best language needs at least two
///    hits, 1.5 times the score of the next and a lead of one whole word; otherwise the
///    article is `und` (close relatives such as Danish and Norwegian often end there).
struct LanguageEvidence: Sendable {
    enum Script: Int, CaseIterable {
        case latin, cyrillic, greek, hebrew, arabic, devanagari, thai, armenian, georgian, han, kana, hangul
    }

    /// Letters seen per script (``Script`` raw values); CJK characters counted once each.
    private(set) var letters = [Int](repeating: 0, count: Script.allCases.count)
    /// Per listed language: stop word hits weighted by `scoreUnit / k`.
    private(set) var scores = [Int](repeating: 0, count: Language.listed.count)
    /// Per listed language: how many tokens were in its list, not counting repeats of the first.
    private(set) var hits = [Int](repeating: 0, count: Language.listed.count)

    /// Divisible by 1 through 12, so a word's share of its lists is an exact integer, so the weights stay exact integers.
    static let scoreUnit = 27_720
    static let minimumLetters = 8
    static let minimumHits = 2

    mutating func countLatin(_ count: Int) {
        letters[Script.latin.rawValue] += count
    }

    /// Counts one non-ASCII letter or CJK character by its script.
    mutating func count(_ scalar: Unicode.Scalar) {
        if let script = Self.script(of: scalar.value) { letters[script.rawValue] += 1 }
    }

    /// Per listed language: the hash of the first of its stop words seen.
    private var firstWord = [UInt64](repeating: 0, count: Language.listed.count)

    /// Counts a token found in the stop lists of the languages in `mask`; `word` identifies the
    /// token (a hash of its bytes). A repeat of a language's first stop word is no new hit, so
    /// that a word said twice ("Kim Kardashian - Kim Kardashian": `kim` is a Turkish stop word)
    /// does not make the two hits a language needs: two hits are two different words.
    mutating func stopWord(_ mask: UInt32, word: UInt64) {
        let share = Self.scoreUnit / mask.nonzeroBitCount
        var rest = mask
        while rest != 0 {
            let index = rest.trailingZeroBitCount
            scores[index] += share
            if hits[index] == 0 {
                firstWord[index] = word
                hits[index] = 1
            } else if word != firstWord[index] {
                hits[index] += 1
            }
            rest &= rest - 1
        }
    }

    /// The language the evidence points to, or `und`.
    var language: Language {
        var weighted = letters
        for script in [Script.han, .kana, .hangul] { weighted[script.rawValue] *= 3 }
        guard let top = weighted.indices.max(by: { weighted[$0] < weighted[$1] || (weighted[$0] == weighted[$1] && $0 > $1) }),
            weighted[top] >= Self.minimumLetters, let script = Script(rawValue: top)
        else { return .und }
        switch script {
        case .latin: return best(among: Language.listed.filter { $0 != .ru })
        case .cyrillic: return best(among: [.ru])
        case .greek: return .el
        case .hebrew: return .he
        case .arabic: return .ar
        case .devanagari: return .hi
        case .thai: return .th
        case .armenian: return .hy
        case .georgian: return .ka
        case .hangul: return .ko
        case .han, .kana:
            let kana = letters[Script.kana.rawValue], han = letters[Script.han.rawValue]
            return kana * 8 >= kana + han ? .ja : .zh
        }
    }

    /// The candidate with the highest score, if it has enough hits, 1.5 times the score of the
    /// runner-up and a lead of at least one word of its own; `und` otherwise (a tie included).
    private func best(among candidates: [Language]) -> Language {
        var winner = Language.und, top = 0, second = 0
        for language in candidates {
            let score = scores[Language.listed.firstIndex(of: language)!]
            if score > top {
                (second, top, winner) = (top, score, language)
            } else if score > second {
                second = score
            }
        }
        guard winner != .und, hits[Language.listed.firstIndex(of: winner)!] >= Self.minimumHits,
            2 * top >= 3 * second, top - second >= Self.scoreUnit
        else { return .und }
        return winner
    }

    /// The script of a non-ASCII letter, `nil` for scripts that do not count.
    static func script(of value: UInt32) -> Script? {
        switch value {
        case 0x00C0...0x024F, 0x1E00...0x1EFF: return .latin
        case 0x0370...0x03FF, 0x1F00...0x1FFF: return .greek
        case 0x0400...0x052F: return .cyrillic
        case 0x0531...0x058F: return .armenian
        case 0x0590...0x05FF: return .hebrew
        case 0x0600...0x06FF, 0x0750...0x077F: return .arabic
        case 0x0900...0x097F: return .devanagari
        case 0x0E00...0x0E7F: return .thai
        case 0x10A0...0x10FF: return .georgian
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .kana
        case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: return .hangul
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: return .han
        default: return nil
        }
    }
}
