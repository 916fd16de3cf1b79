/// Splits news text into the normalized terms that TF-IDF counts.
///
/// The rules, in the order a reader needs them:
/// - Letters (`isAlphabetic`) and decimal digits are token characters; everything else separates,
///   so hyphens and slashes split (`human-like` gives `human`, `like`).
/// - Letters are lower-cased and accents are stripped (`Café`, `CAFÉ` and `Cafe\u{301}` all give
///   `cafe`; `Straße` gives `strasse`). Decimal digits of any script become ASCII digits.
/// - Han, Hiragana, Katakana and Hangul characters are one token each, since those scripts do
///   not put spaces between words.
/// - An apostrophe between letters joins them (`don't` gives `dont`), except a possessive `'s`
///   at the end of a word, which is dropped (`Reid's` gives `reid`). Other apostrophes separate.
/// - A `.` between digits stays (`86.4`); a `,` followed by exactly three digits is a thousands
///   separator and is removed (`1,000,000` gives `1000000`). Other `.` and `,` separate.
/// - Tokens of a single letter and tokens longer than 40 UTF-8 bytes are dropped; single digits
///   and single CJK characters are kept.
/// - With ``StopWords/english``, tokens in ``englishStopWords`` are dropped.
///
/// The tokenizer is a value with no mutable shared state, so one instance can serve many
/// threads at once.
public struct Tokenizer: Sendable {
    /// Which stop word list removes function words.
    public enum StopWords: String, Sendable, CaseIterable {
        /// Drop the words in ``Tokenizer/englishStopWords``.
        case english
        /// Keep every token.
        case none
    }

    /// Which stop words are dropped from the output.
    public var stopWords: StopWords

    /// The longest token kept, in UTF-8 bytes; longer runs are URLs, hashes or garbage.
    static let maxTokenBytes = 40

    /// Creates a tokenizer that drops the given stop words.
    public init(stopWords: StopWords = .english) {
        self.stopWords = stopWords
    }

    /// Appends the normalized tokens of `text`, in order, to `tokens`.
    ///
    /// Appending rather than returning lets a caller reuse one array across documents.
    ///
    /// - Complexity: O(*n*) in the UTF-8 length of `text`: one pass over the bytes, and one
    ///   `String` allocation per token that is kept.
    public func tokenize(_ text: String, into tokens: inout [String]) {
        let stopList: ShortWordSet? = stopWords == .english ? Tokenizer.englishStopWordBytes : nil
        // `withUTF8` is mutating because it may make a bridged string contiguous; for native
        // strings the copy shares storage and costs nothing.
        var text = text
        text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes, stopList: stopList)
            scanner.run(into: &tokens)
        }
    }

    /// Returns the normalized tokens of `text`, in order.
    ///
    /// - Complexity: O(*n*) in the UTF-8 length of `text`.
    public func tokens(_ text: String) -> [String] {
        var result: [String] = []
        tokenize(text, into: &result)
        return result
    }
}

/// One pass of the tokenizer over one text: the bytes, the token being built, and what the
/// last token character was (the apostrophe and number rules look one character back).
private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let stopList: ShortWordSet?

    /// The folded bytes of the current token; reused for every token of the text.
    var token: [UInt8] = []
    var letters = 0
    var digits = 0
    /// Set once the token outgrows `maxTokenBytes`; the bytes stop growing and the token is
    /// dropped, so a megabyte of base64 costs no memory.
    var overflow = false
    var lastWasLetter = false
    var lastWasDigit = false

    init(bytes: UnsafeBufferPointer<UInt8>, stopList: ShortWordSet?) {
        self.bytes = bytes
        self.stopList = stopList
        token.reserveCapacity(Tokenizer.maxTokenBytes)
    }

    mutating func run(into tokens: inout [String]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                // ASCII fast path: no scalar decoding and no property lookups.
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"):
                    appendLetter(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    appendLetter(byte | 0x20)
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    appendDigit(byte)
                case UInt8(ascii: "."):
                    if lastWasDigit && isASCIIDigit(at: index + 1) {
                        appendDecimalPoint()
                    } else {
                        flush(into: &tokens)
                    }
                case UInt8(ascii: ","):
                    // Dropping the comma joins the groups; a comma before anything but a
                    // three-digit group is a list separator (`1,2,3`) and splits.
                    if !(lastWasDigit && isThousandsGroup(at: index + 1)) {
                        flush(into: &tokens)
                    }
                case UInt8(ascii: "'"):
                    index = apostrophe(at: index, width: 1, into: &tokens)
                    continue
                default:
                    flush(into: &tokens)
                }
                index += 1
                continue
            }

            let (scalar, width) = decode(at: index)
            switch Tokenizer.classify(scalar) {
            case .letter:
                appendFoldedLetter(scalar, rawBytes: index..<(index + width))
            case .digit:
                appendDigit(Tokenizer.asciiDigit(scalar))
            case .ideograph:
                flush(into: &tokens)
                // No case and no stop words in these scripts: the raw bytes are the token.
                tokens.append(String(decoding: bytes[index..<(index + width)], as: UTF8.self))
            case .wordMark:
                // A vowel sign (Devanagari, Thai...) belongs to the letter before it; with no
                // letter before it there is nothing to attach it to.
                if letters + digits > 0 {
                    append(contentsOf: bytes[index..<(index + width)])
                }
            case .ignorable:
                break
            case .apostrophe:
                index = apostrophe(at: index, width: width, into: &tokens)
                continue
            case .separator:
                flush(into: &tokens)
            }
            index += width
        }
        flush(into: &tokens)
    }

    // MARK: Building the token

    mutating func append(_ byte: UInt8) {
        if token.count < Tokenizer.maxTokenBytes {
            token.append(byte)
        } else {
            overflow = true
        }
    }

    mutating func append(contentsOf newBytes: some Collection<UInt8>) {
        if token.count + newBytes.count <= Tokenizer.maxTokenBytes {
            token.append(contentsOf: newBytes)
        } else {
            overflow = true
        }
    }

    mutating func appendLetter(_ byte: UInt8) {
        append(byte)
        letters += 1
        lastWasLetter = true
        lastWasDigit = false
    }

    mutating func appendDigit(_ byte: UInt8) {
        append(byte)
        digits += 1
        lastWasLetter = false
        lastWasDigit = true
    }

    mutating func appendDecimalPoint() {
        append(UInt8(ascii: "."))
        // Clearing the flag makes `1..2` split instead of growing a run of dots.
        lastWasDigit = false
    }

    mutating func appendFoldedLetter(_ scalar: Unicode.Scalar, rawBytes: Range<Int>) {
        if let folded = Tokenizer.foldTable(scalar) {
            append(contentsOf: folded)
        } else if let ascii = Tokenizer.foldFullwidthOrLigature(scalar) {
            append(contentsOf: ascii.utf8)
        } else if !scalar.properties.changesWhenLowercased {
            // Caseless scripts (CJK outside the split ranges, Thai...) and lower-case letters:
            // the input bytes are already the folded bytes.
            append(contentsOf: bytes[rawBytes])
        } else {
            // Rare upper-case letters outside the table (Deseret, Cherokee...). The mapping goes
            // through the table again so `Å` (angstrom sign) ends as `a`, not `å`.
            for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                if let folded = Tokenizer.foldTable(lower) {
                    append(contentsOf: folded)
                } else {
                    append(contentsOf: lower.utf8)
                }
            }
        }
        letters += 1
        lastWasLetter = true
        lastWasDigit = false
    }

    /// Emits the current token if it survives the length, single-letter and stop word rules,
    /// and starts a new one.
    mutating func flush(into tokens: inout [String]) {
        defer {
            token.removeAll(keepingCapacity: true)
            letters = 0
            digits = 0
            overflow = false
            lastWasLetter = false
            lastWasDigit = false
        }
        guard letters + digits > 0, !overflow else { return }
        // A lone letter is an initial or a list marker; a lone digit can be a score or a count.
        if letters == 1 && digits == 0 { return }
        // Stop words have no digits; checking the bytes avoids building a String to discard.
        if let stopList, digits == 0, token.withUnsafeBufferPointer({ stopList.contains($0) }) {
            return
        }
        tokens.append(String(decoding: token, as: UTF8.self))
    }

    // MARK: Apostrophes

    /// Handles an apostrophe of `width` bytes at `index` and returns where scanning resumes.
    mutating func apostrophe(at index: Int, width: Int, into tokens: inout [String]) -> Int {
        let next = index + width
        if lastWasLetter && next < bytes.count {
            let (scalar, nextWidth) = decode(at: next)
            if Tokenizer.classify(scalar) == .letter {
                let afterNext = next + nextWidth
                if (scalar == "s" || scalar == "S") && !continuesWord(at: afterNext) {
                    // Possessive (or `it's`, `he's`): the word is the part before the apostrophe.
                    flush(into: &tokens)
                    return afterNext
                }
                // Elision inside a word (`don't`, `O'Neill`): drop the apostrophe and let the
                // next letter continue the token.
                return next
            }
        }
        // Leading or trailing apostrophe, or a quote mark: it ends the word and is dropped.
        flush(into: &tokens)
        return next
    }

    /// Whether the character at `index` would extend a word (so `'s` there is not possessive).
    func continuesWord(at index: Int) -> Bool {
        guard index < bytes.count else { return false }
        switch Tokenizer.classify(decode(at: index).scalar) {
        case .letter, .digit, .wordMark, .ignorable: return true
        case .ideograph, .apostrophe, .separator: return false
        }
    }

    // MARK: Looking ahead

    func isASCIIDigit(at index: Int) -> Bool {
        index < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
    }

    /// Whether exactly three ASCII digits start at `index`, as after a thousands separator.
    func isThousandsGroup(at index: Int) -> Bool {
        isASCIIDigit(at: index) && isASCIIDigit(at: index + 1) && isASCIIDigit(at: index + 2)
            && !isASCIIDigit(at: index + 3)
    }

    /// Decodes the scalar starting at `index`. `String` guarantees valid UTF-8, so the lead byte
    /// gives the width and the continuation bytes are in bounds.
    func decode(at index: Int) -> (scalar: Unicode.Scalar, width: Int) {
        let lead = UInt32(bytes[index])
        let value: UInt32
        let width: Int
        if lead < 0x80 {
            return (Unicode.Scalar(UInt8(lead)), 1)
        } else if lead < 0xE0 {
            value = (lead & 0x1F) << 6 | continuation(index + 1)
            width = 2
        } else if lead < 0xF0 {
            value = (lead & 0x0F) << 12 | continuation(index + 1) << 6 | continuation(index + 2)
            width = 3
        } else {
            value = (lead & 0x07) << 18 | continuation(index + 1) << 12
                | continuation(index + 2) << 6 | continuation(index + 3)
            width = 4
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
    }

    func continuation(_ index: Int) -> UInt32 {
        UInt32(bytes[index] & 0x3F)
    }
}
