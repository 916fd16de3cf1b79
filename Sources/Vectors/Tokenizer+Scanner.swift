import Corpus

/// One pass of the tokenizer over one text: the bytes, the token being built, and what the
/// last token character was (the apostrophe and number rules look one character back).
struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Every stop list, by word; `nil` keeps every token and counts no stop words.
    let table: ShortWordTable?
    /// The languages whose stop words are dropped now; `nil` defers the decision to the end
    /// of the article, when its language is known.
    let dropped: UInt32?
    /// Whether a comma between digits is a decimal mark; `nil` defers it like `dropped`.
    let decimalComma: Bool?
    /// What the text says about its language; `nil` when the language is already known.
    var evidence: LanguageEvidence?
    /// The hash of every token the scanner would emit with no stop list and no decimal comma
    /// (``TextKeyHash``), whatever it drops or holds back; `nil` when nobody asked.
    var key: TextKeyHash?

    /// The tokens emitted so far (the caller's array, swapped in).
    var tokens: [String] = []
    /// Tokens held back until the language is known: stop words of some list, and numbers
    /// with a comma.
    var deferred = DeferredTokens()

    /// The folded bytes of the current token; reused for every token of the text.
    var token: [UInt8] = []
    var letters = 0
    var digits = 0
    /// Commas kept between digits in the current token.
    var commas = 0
    /// Letters of the current token that went through the non-ASCII path (and were counted by
    /// script there); the rest are ASCII, counted as Latin when the token ends.
    var nonASCIILetters = 0
    /// Set once the token outgrows `maxTokenBytes`; the bytes stop growing and the token is
    /// dropped, so a megabyte of base64 costs no memory.
    var overflow = false
    var lastWasLetter = false
    var lastWasDigit = false

    /// The bytes of the last CJK character of the current run, and the run's length so far.
    var previousIdeograph: Range<Int> = 0..<0
    var ideographRun = 0
    var pair: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, table: ShortWordTable?, dropped: UInt32?, decimalComma: Bool?,
         evidence: LanguageEvidence?) {
        self.bytes = bytes
        self.table = table
        self.dropped = dropped
        self.decimalComma = decimalComma
        self.evidence = evidence
        token.reserveCapacity(Tokenizer.maxTokenBytes)
    }

    mutating func run() {
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
                        appendMark(UInt8(ascii: "."))
                    } else {
                        flush()
                    }
                case UInt8(ascii: ","):
                    // Kept for now; whether it is a decimal mark, a thousands separator or a
                    // list separator is decided when the number ends (``Tokenizer/numberParts``).
                    if lastWasDigit && isASCIIDigit(at: index + 1) {
                        appendMark(UInt8(ascii: ","))
                        commas += 1
                    } else {
                        flush()
                    }
                case UInt8(ascii: "'"):
                    index = apostrophe(at: index, width: 1)
                    continue
                default:
                    flush()
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
                appendIdeograph(scalar, rawBytes: index..<(index + width))
            case .wordMark:
                // A vowel sign (Devanagari, Thai...) belongs to the letter before it; with no
                // letter before it there is nothing to attach it to.
                if letters + digits > 0 {
                    append(contentsOf: bytes[index..<(index + width)])
                }
            case .ignorable:
                break
            case .apostrophe:
                index = apostrophe(at: index, width: width)
                continue
            case .separator:
                flush()
            }
            index += width
        }
        flush()
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
        if ideographRun > 0 { endIdeographRun() }
        append(byte)
        letters += 1
        lastWasLetter = true
        lastWasDigit = false
    }

    mutating func appendDigit(_ byte: UInt8) {
        if ideographRun > 0 { endIdeographRun() }
        append(byte)
        digits += 1
        lastWasLetter = false
        lastWasDigit = true
    }

    /// A `.` or `,` between digits.
    mutating func appendMark(_ byte: UInt8) {
        append(byte)
        // Clearing the flag makes `1..2` split instead of growing a run of dots.
        lastWasDigit = false
    }

    mutating func appendFoldedLetter(_ scalar: Unicode.Scalar, rawBytes: Range<Int>) {
        if ideographRun > 0 { endIdeographRun() }
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
        evidence?.count(scalar)
        nonASCIILetters += 1
        letters += 1
        lastWasLetter = true
        lastWasDigit = false
    }

    /// A Han, kana or Hangul character: the pair it makes with the character before it in the
    /// same run, and nothing yet when it starts a run (it may stay a run of one).
    mutating func appendIdeograph(_ scalar: Unicode.Scalar, rawBytes: Range<Int>) {
        flushToken()
        evidence?.count(scalar)
        if ideographRun > 0 {
            pair.removeAll(keepingCapacity: true)
            pair.append(contentsOf: bytes[previousIdeograph])
            pair.append(contentsOf: bytes[rawBytes])
            key?.add(token: pair)
            tokens.append(String(decoding: pair, as: UTF8.self))
        }
        previousIdeograph = rawBytes
        ideographRun += 1
    }

    /// Ends a run of CJK characters; a run of one character is that character's token.
    mutating func endIdeographRun() {
        if ideographRun == 1 {
            // No case and no stop words in these scripts: the raw bytes are the token.
            key?.add(token: bytes[previousIdeograph])
            tokens.append(String(decoding: bytes[previousIdeograph], as: UTF8.self))
        }
        ideographRun = 0
    }

    /// Ends whatever is being built: a CJK run or a token.
    mutating func flush() {
        if ideographRun > 0 { endIdeographRun() }
        flushToken()
    }

    /// Emits the current token if it survives the length, single-letter and stop word rules,
    /// and starts a new one.
    mutating func flushToken() {
        defer { resetToken() }
        guard letters + digits > 0 else { return }
        if nonASCIILetters == 0 { evidence?.countLatin(letters) }
        guard !overflow else { return }
        // A lone letter is an initial or a list marker; a lone digit can be a score or a count.
        if letters == 1 && digits == 0 { return }
        if commas > 0 {
            if key != nil {
                for part in Tokenizer.numberParts(token, decimalComma: false) { key?.add(token: part) }
            }
            if let decimalComma {
                for part in Tokenizer.numberParts(token, decimalComma: decimalComma) { tokens.append(part) }
            } else {
                deferred.hold(token, at: tokens.count, mask: 0, isNumber: true)
            }
            return
        }
        key?.add(token: token)
        // Stop words have no digits; checking the bytes avoids building a String to discard.
        if let table, digits == 0 {
            let mask = token.withUnsafeBufferPointer { table.mask(of: $0) }
            if mask != 0 {
                if evidence != nil { evidence?.stopWord(mask, word: StableHash.fnv1a64(token)) }
                if let dropped {
                    if mask & dropped != 0 { return }
                } else {
                    deferred.hold(token, at: tokens.count, mask: mask, isNumber: false)
                    return
                }
            }
        }
        tokens.append(String(decoding: token, as: UTF8.self))
    }

    mutating func resetToken() {
        token.removeAll(keepingCapacity: true)
        letters = 0
        digits = 0
        commas = 0
        nonASCIILetters = 0
        overflow = false
        lastWasLetter = false
        lastWasDigit = false
    }

    // MARK: Apostrophes

    /// Handles an apostrophe of `width` bytes at `index` and returns where scanning resumes.
    mutating func apostrophe(at index: Int, width: Int) -> Int {
        let next = index + width
        if lastWasLetter && next < bytes.count {
            let (scalar, nextWidth) = decode(at: next)
            if Tokenizer.classify(scalar) == .letter {
                let afterNext = next + nextWidth
                if (scalar == "s" || scalar == "S") && !continuesWord(at: afterNext) {
                    // Possessive (or `it's`, `he's`): the word is the part before the apostrophe.
                    flush()
                    return afterNext
                }
                if digits == 0 && Tokenizer.isElision(token) {
                    // `l'économie`, `dell'Italia`: the article is a stop word; the word after it
                    // starts a token of its own.
                    if nonASCIILetters == 0 { evidence?.countLatin(letters) }
                    resetToken()
                    return next
                }
                // Elision inside a word (`don't`, `O'Neill`): drop the apostrophe and let the
                // next letter continue the token.
                return next
            }
        }
        // Leading or trailing apostrophe, or a quote mark: it ends the word and is dropped.
        flush()
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
