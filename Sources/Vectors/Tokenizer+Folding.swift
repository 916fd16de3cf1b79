// Character classes and case/accent folding for `Tokenizer`, from standard library scalar
// properties only: Vectors is a hot module and does not import Foundation.

extension Tokenizer {
    /// What a scalar does to the token being built.
    enum CharacterClass: Equatable {
        /// Part of a word; folded before it is appended.
        case letter
        /// A decimal digit of any script; appended as its ASCII digit.
        case digit
        /// A Han, kana or Hangul character: a token on its own.
        case ideograph
        /// A combining mark that spells part of a word (Devanagari or Thai vowel signs); kept.
        case wordMark
        /// An accent or other mark that folding removes, or a soft hyphen; skipped without
        /// ending the token, so `e` + U+0301 folds like the precomposed `é`.
        case ignorable
        /// `'`, `’` or `ʼ`: joins letters, or ends a possessive.
        case apostrophe
        /// Ends the token.
        case separator
    }

    /// Classifies one scalar.
    static func classify(_ scalar: Unicode.Scalar) -> CharacterClass {
        let value = scalar.value
        if value < 0x80 {
            switch UInt8(value) {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return .letter
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .digit
            case UInt8(ascii: "'"):
                return .apostrophe
            default:
                return .separator
            }
        }
        switch value {
        // U+02BC is a letter (Lm) to Unicode, so it must be caught before `isAlphabetic`.
        case 0x2019, 0x02BC:
            return .apostrophe
        // Combining diacritics, including U+0345 which Unicode calls alphabetic; and the soft
        // hyphen, which marks a possible line break inside a word.
        case 0x0300...0x036F, 0x00AD:
            return .ignorable
        default:
            break
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark:
            // Accents on Latin, Greek and Cyrillic, and the optional vowel points of Arabic and
            // Hebrew, are dropped like U+0300..U+036F. Other non-spacing marks spell the word:
            // Devanagari viramas and vowel signs, Thai vowels and tone marks. Dropping those
            // would merge unrelated words, and there is no precomposed form for them to match.
            return isDroppedMark(value) ? .ignorable : .wordMark
        case .enclosingMark:
            return .ignorable
        case .spacingMark:
            return .wordMark
        default:
            break
        }
        if properties.isAlphabetic {
            return isSplitScript(value) ? .ideograph : .letter
        }
        if properties.numericType == .decimal {
            return .digit
        }
        return .separator
    }

    /// The ASCII digit for a decimal digit of any script (`٣` and fullwidth `３` give `3`).
    static func asciiDigit(_ scalar: Unicode.Scalar) -> UInt8 {
        let value = scalar.properties.numericValue ?? 0
        return UInt8(ascii: "0") + UInt8(max(0, min(9, value)))
    }

    /// Han, Hiragana, Katakana and Hangul: scripts written without spaces between words (or,
    /// for Hangul, where word boundaries are not worth guessing), split one character a token.
    static func isSplitScript(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x11FF,  // Hangul Jamo
            0x3005...0x3007,  // 々 〆 〇
            0x3021...0x3029,  // Hangzhou numerals
            0x3031...0x3035,  // kana repeat marks
            0x3038...0x303C,
            0x3040...0x30FF,  // Hiragana, Katakana
            0x3130...0x318F,  // Hangul Compatibility Jamo
            0x31F0...0x31FF,  // Katakana Phonetic Extensions
            0x3400...0x4DBF,  // CJK Extension A
            0x4E00...0x9FFF,  // CJK Unified Ideographs
            0xA960...0xA97F,  // Hangul Jamo Extended-A
            0xAC00...0xD7FF,  // Hangul Syllables, Jamo Extended-B
            0xF900...0xFAFF,  // CJK Compatibility Ideographs
            0xFF66...0xFFDC,  // halfwidth Katakana and Hangul
            0x1AFF0...0x1B16F,  // Kana Extended, Supplement, Small Kana
            0x20000...0x3FFFF:  // CJK Extensions B and later
            return true
        default:
            return false
        }
    }

    /// Non-spacing marks that folding removes: combining diacritics for Latin, Greek and
    /// symbols, Cyrillic titlo, Hebrew points, Arabic harakat (vowel marks most running text
    /// leaves out), kana voicing marks and variation selectors.
    static func isDroppedMark(_ value: UInt32) -> Bool {
        switch value {
        case 0x0483...0x0489,  // Cyrillic titlo and friends
            0x0591...0x05C7,  // Hebrew cantillation and points
            0x0610...0x061A, 0x064B...0x065F, 0x0670, 0x06D6...0x06ED,  // Arabic harakat
            0x1AB0...0x1AFF,  // Combining Diacritical Marks Extended
            0x1DC0...0x1DFF,  // Combining Diacritical Marks Supplement
            0x20D0...0x20FF,  // Combining Diacritical Marks for Symbols
            0x3099...0x309A,  // combining kana voicing marks
            0xFE00...0xFE0F,  // variation selectors
            0xFE20...0xFE2F,  // Combining Half Marks
            0xE0100...0xE01EF:  // variation selectors supplement
            return true
        default:
            return false
        }
    }

    // MARK: Folding

    /// The folded UTF-8 bytes of a letter in U+00C0..<U+2000, or `nil` outside that range.
    static func foldTable(_ scalar: Unicode.Scalar) -> [UInt8]? {
        let value = scalar.value
        guard value >= foldTableStart && value < foldTableEnd else { return nil }
        let folded = foldTable[Int(value - foldTableStart)]
        return folded.isEmpty ? nil : folded
    }

    /// Fullwidth Latin letters (common in Japanese and Chinese news) and the Latin ligatures
    /// of U+FB00..U+FB06, as ASCII; `nil` for anything else.
    static func foldFullwidthOrLigature(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0xFF21...0xFF3A:
            return String(Unicode.Scalar(UInt8(scalar.value - 0xFF21) + UInt8(ascii: "a")))
        case 0xFF41...0xFF5A:
            return String(Unicode.Scalar(UInt8(scalar.value - 0xFF41) + UInt8(ascii: "a")))
        case 0xFB00: return "ff"
        case 0xFB01: return "fi"
        case 0xFB02: return "fl"
        case 0xFB03: return "ffi"
        case 0xFB04: return "ffl"
        case 0xFB05, 0xFB06: return "st"
        default: return nil
        }
    }

    static let foldTableStart: UInt32 = 0x00C0
    static let foldTableEnd: UInt32 = 0x2000

    /// Folded bytes for every alphabetic scalar in U+00C0..<U+2000 (Latin, Greek, Cyrillic,
    /// Armenian, Hebrew, Arabic, Indic...), empty for the rest: one array lookup per non-ASCII
    /// letter instead of a `lowercaseMapping` string. Built once; immutable afterwards.
    static let foldTable: [[UInt8]] = {
        var overrides: [UInt32: [UInt8]] = [:]
        for line in accentFolding {
            for entry in line.split(separator: " ") {
                var scalars = entry.unicodeScalars.makeIterator()
                guard let key = scalars.next() else { continue }
                var folded: [UInt8] = []
                while let scalar = scalars.next() {
                    folded.append(contentsOf: scalar.utf8)
                }
                overrides[key.value] = folded
            }
        }
        var table = [[UInt8]](repeating: [], count: Int(foldTableEnd - foldTableStart))
        for value in foldTableStart..<foldTableEnd {
            guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else { continue }
            var folded: [UInt8]
            if let override = overrides[value] {
                folded = override
            } else {
                folded = []
                // A lower-case mapping can land on an accented letter (`Ǻ` -> `ǻ`), so map
                // through the overrides too; that keeps folding idempotent.
                for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                    folded.append(contentsOf: overrides[lower.value] ?? Array(lower.utf8))
                }
            }
            table[Int(value - foldTableStart)] = folded
        }
        return table
    }()

    /// Letters whose fold is not just their lower case: each entry is the letter followed by
    /// its fold. Generated from Unicode data as lower case, then compatibility decomposition
    /// (canonical for Greek), then combining marks removed, with these letters that have no
    /// decomposition spelled out: æ ae, œ oe, ø o, ł l, đ d, ð d, þ th, ß ss, ı i, ħ h, ŧ t,
    /// and Greek final ς as σ (so `ΣΟΦΟΣ` and `σοφος` match). Latin entries whose fold would
    /// not be ASCII are left out and fall back to plain lower case. Cyrillic is deliberately
    /// absent: й and ё are letters of their own, not accented и and е (the price is that a
    /// decomposed и + U+0306, rare in practice, folds to и).
    static let accentFolding: [String] = [
        // Latin-1 Supplement
        "Àa Áa Âa Ãa Äa Åa Æae Çc Èe Ée Êe Ëe",
        "Ìi Íi Îi Ïi Ðd Ñn Òo Óo Ôo Õo Öo Øo",
        "Ùu Úu Ûu Üu Ýy Þth ßss àa áa âa ãa äa",
        "åa æae çc èe ée êe ëe ìi íi îi ïi ðd",
        "ñn òo óo ôo õo öo øo ùu úu ûu üu ýy",
        "þth ÿy",
        // Latin Extended-A
        "Āa āa Ăa ăa Ąa ąa Ćc ćc Ĉc ĉc Ċc ċc",
        "Čc čc Ďd ďd Đd đd Ēe ēe Ĕe ĕe Ėe ėe",
        "Ęe ęe Ěe ěe Ĝg ĝg Ğg ğg Ġg ġg Ģg ģg",
        "Ĥh ĥh Ħh ħh Ĩi ĩi Īi īi Ĭi ĭi Įi įi",
        "İi ıi Ĳij ĳij Ĵj ĵj Ķk ķk Ĺl ĺl Ļl ļl",
        "Ľl ľl Ŀl ŀl Łl łl Ńn ńn Ņn ņn Ňn ňn",
        "ŉn Ōo ōo Ŏo ŏo Őo őo Œoe œoe Ŕr ŕr Ŗr",
        "ŗr Řr řr Śs śs Ŝs ŝs Şs şs Šs šs Ţt",
        "ţt Ťt ťt Ŧt ŧt Ũu ũu Ūu ūu Ŭu ŭu Ůu",
        "ůu Űu űu Ųu ųu Ŵw ŵw Ŷy ŷy Ÿy Źz źz",
        "Żz żz Žz žz ſs",
        // Latin Extended-B
        "ƀb Ɨi ƚl Ơo ơo Ưu ưu Ǆdz ǅdz ǆdz Ǉlj ǈlj",
        "ǉlj Ǌnj ǋnj ǌnj Ǎa ǎa Ǐi ǐi Ǒo ǒo Ǔu ǔu",
        "Ǖu ǖu Ǘu ǘu Ǚu ǚu Ǜu ǜu Ǟa ǟa Ǡa ǡa",
        "Ǣae ǣae Ǧg ǧg Ǩk ǩk Ǫo ǫo Ǭo ǭo ǰj Ǳdz",
        "ǲdz ǳdz Ǵg ǵg Ǹn ǹn Ǻa ǻa Ǽae ǽae Ǿo ǿo",
        "Ȁa ȁa Ȃa ȃa Ȅe ȅe Ȇe ȇe Ȉi ȉi Ȋi ȋi",
        "Ȍo ȍo Ȏo ȏo Ȑr ȑr Ȓr ȓr Ȕu ȕu Ȗu ȗu",
        "Șs șs Țt țt Ȟh ȟh Ȧa ȧa Ȩe ȩe Ȫo ȫo",
        "Ȭo ȭo Ȯo ȯo Ȱo ȱo Ȳy ȳy Ƚl ȿs ɀz Ƀb",
        // Greek and Coptic
        "Άα Έε Ήη Ίι Όο Ύυ Ώω ΐι Ϊι Ϋυ άα έε",
        "ήη ίι ΰυ ςσ ϊι ϋυ όο ύυ ώω ϓϒ ϔϒ",
        // Latin Extended Additional
        "Ḁa ḁa Ḃb ḃb Ḅb ḅb Ḇb ḇb Ḉc ḉc Ḋd ḋd",
        "Ḍd ḍd Ḏd ḏd Ḑd ḑd Ḓd ḓd Ḕe ḕe Ḗe ḗe",
        "Ḙe ḙe Ḛe ḛe Ḝe ḝe Ḟf ḟf Ḡg ḡg Ḣh ḣh",
        "Ḥh ḥh Ḧh ḧh Ḩh ḩh Ḫh ḫh Ḭi ḭi Ḯi ḯi",
        "Ḱk ḱk Ḳk ḳk Ḵk ḵk Ḷl ḷl Ḹl ḹl Ḻl ḻl",
        "Ḽl ḽl Ḿm ḿm Ṁm ṁm Ṃm ṃm Ṅn ṅn Ṇn ṇn",
        "Ṉn ṉn Ṋn ṋn Ṍo ṍo Ṏo ṏo Ṑo ṑo Ṓo ṓo",
        "Ṕp ṕp Ṗp ṗp Ṙr ṙr Ṛr ṛr Ṝr ṝr Ṟr ṟr",
        "Ṡs ṡs Ṣs ṣs Ṥs ṥs Ṧs ṧs Ṩs ṩs Ṫt ṫt",
        "Ṭt ṭt Ṯt ṯt Ṱt ṱt Ṳu ṳu Ṵu ṵu Ṷu ṷu",
        "Ṹu ṹu Ṻu ṻu Ṽv ṽv Ṿv ṿv Ẁw ẁw Ẃw ẃw",
        "Ẅw ẅw Ẇw ẇw Ẉw ẉw Ẋx ẋx Ẍx ẍx Ẏy ẏy",
        "Ẑz ẑz Ẓz ẓz Ẕz ẕz ẖh ẗt ẘw ẙy ẛs ẞss",
        "Ạa ạa Ảa ảa Ấa ấa Ầa ầa Ẩa ẩa Ẫa ẫa",
        "Ậa ậa Ắa ắa Ằa ằa Ẳa ẳa Ẵa ẵa Ặa ặa",
        "Ẹe ẹe Ẻe ẻe Ẽe ẽe Ếe ếe Ềe ềe Ểe ểe",
        "Ễe ễe Ệe ệe Ỉi ỉi Ịi ịi Ọo ọo Ỏo ỏo",
        "Ốo ốo Ồo ồo Ổo ổo Ỗo ỗo Ộo ộo Ớo ớo",
        "Ờo ờo Ởo ởo Ỡo ỡo Ợo ợo Ụu ụu Ủu ủu",
        "Ứu ứu Ừu ừu Ửu ửu Ữu ữu Ựu ựu Ỳy ỳy",
        "Ỵy ỵy Ỷy ỷy Ỹy ỹy",
        // Greek Extended
        "ἀα ἁα ἂα ἃα ἄα ἅα ἆα ἇα Ἀα Ἁα Ἂα Ἃα",
        "Ἄα Ἅα Ἆα Ἇα ἐε ἑε ἒε ἓε ἔε ἕε Ἐε Ἑε",
        "Ἒε Ἓε Ἔε Ἕε ἠη ἡη ἢη ἣη ἤη ἥη ἦη ἧη",
        "Ἠη Ἡη Ἢη Ἣη Ἤη Ἥη Ἦη Ἧη ἰι ἱι ἲι ἳι",
        "ἴι ἵι ἶι ἷι Ἰι Ἱι Ἲι Ἳι Ἴι Ἵι Ἶι Ἷι",
        "ὀο ὁο ὂο ὃο ὄο ὅο Ὀο Ὁο Ὂο Ὃο Ὄο Ὅο",
        "ὐυ ὑυ ὒυ ὓυ ὔυ ὕυ ὖυ ὗυ Ὑυ Ὓυ Ὕυ Ὗυ",
        "ὠω ὡω ὢω ὣω ὤω ὥω ὦω ὧω Ὠω Ὡω Ὢω Ὣω",
        "Ὤω Ὥω Ὦω Ὧω ὰα άα ὲε έε ὴη ήη ὶι ίι",
        "ὸο όο ὺυ ύυ ὼω ώω ᾀα ᾁα ᾂα ᾃα ᾄα ᾅα",
        "ᾆα ᾇα ᾈα ᾉα ᾊα ᾋα ᾌα ᾍα ᾎα ᾏα ᾐη ᾑη",
        "ᾒη ᾓη ᾔη ᾕη ᾖη ᾗη ᾘη ᾙη ᾚη ᾛη ᾜη ᾝη",
        "ᾞη ᾟη ᾠω ᾡω ᾢω ᾣω ᾤω ᾥω ᾦω ᾧω ᾨω ᾩω",
        "ᾪω ᾫω ᾬω ᾭω ᾮω ᾯω ᾰα ᾱα ᾲα ᾳα ᾴα ᾶα",
        "ᾷα Ᾰα Ᾱα Ὰα Άα ᾼα ιι ῂη ῃη ῄη ῆη ῇη",
        "Ὲε Έε Ὴη Ήη ῌη ῐι ῑι ῒι ΐι ῖι ῗι Ῐι",
        "Ῑι Ὶι Ίι ῠυ ῡυ ῢυ ΰυ ῤρ ῥρ ῦυ ῧυ Ῠυ",
        "Ῡυ Ὺυ Ύυ Ῥρ ῲω ῳω ῴω ῶω ῷω Ὸο Όο Ὼω",
        "Ώω ῼω",
    ]
}
