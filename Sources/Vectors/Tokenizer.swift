/// Splits news text into the normalized terms that TF-IDF counts.
///
/// The rules, in the order a reader needs them:
/// - Letters (`isAlphabetic`) and decimal digits are token characters; everything else separates,
///   so hyphens and slashes split (`human-like` gives `human`, `like`).
/// - Letters are lower-cased and accents are stripped (`Café`, `CAFÉ` and `Cafe\u{301}` all give
///   `cafe`; `Straße` gives `strasse`). Decimal digits of any script become ASCII digits.
/// - Han, Hiragana, Katakana and Hangul are written without spaces between words, so a run of
///   them gives its overlapping character pairs (`北京大学` gives `北京`, `京大`, `大学`) and a
///   run of one character gives that character. Anything else ends the run: Latin words inside
///   Chinese text are tokens of their own.
/// - An apostrophe between letters joins them (`don't` gives `dont`), except a possessive `'s`
///   at the end of a word, which is dropped (`Reid's` gives `reid`), and an elided French or
///   Italian article or pronoun before it (`l'`, `d'`, `qu'`, `dell'`...), which is dropped with
///   the apostrophe (`l'économie` gives `economie`). Other apostrophes separate.
/// - A `.` between digits stays (`86.4`). A `,` between digits depends on the article's
///   language (``Language/decimalComma``): where the comma is the decimal mark, one comma in a
///   number stays (`0,25`, `1.234,5`); in English and `und` text, a comma followed by exactly
///   three digits is a thousands separator and is removed (`1,000,000` gives `1000000`) and
///   any other splits. A run of commas that is not all thousands groups is a list (`1,2,3`)
///   and splits in every language.
/// - Tokens of a single letter and tokens longer than 40 UTF-8 bytes are dropped; single digits
///   and single CJK characters are kept.
/// - Stop words (``StopWords``) are dropped: by default those of the language detected in the
///   text itself (``LanguageEvidence``), English's when it is `und`.
///
/// The tokenizer is a value with no mutable shared state, so one instance can serve many
/// threads at once.
public struct Tokenizer: Sendable {
    /// Which stop word list removes function words.
    public enum StopWords: String, Sendable, CaseIterable {
        /// Drop the stop words of the language each article is detected to be in (English's
        /// when it is `und` or has no list).
        case detected
        /// Drop the words in ``Tokenizer/englishStopWords`` whatever the language.
        case english
        /// Keep every token.
        case none
    }

    /// Which stop words are dropped from the output.
    public var stopWords: StopWords

    /// The longest token kept, in UTF-8 bytes; longer runs are URLs, hashes or garbage.
    static let maxTokenBytes = 40

    /// Creates a tokenizer that drops the given stop words.
    public init(stopWords: StopWords = .detected) {
        self.stopWords = stopWords
    }

    /// Appends the normalized tokens of `text`, in order, to `tokens`; with ``StopWords/detected``
    /// the language is detected from `text` alone.
    ///
    /// Appending rather than returning lets a caller reuse one array across documents.
    ///
    /// - Complexity: O(*n*) in the UTF-8 length of `text`: one pass over the bytes, and one
    ///   `String` allocation per token that is kept.
    public func tokenize(_ text: String, into tokens: inout [String]) {
        var evidence = LanguageEvidence()
        var part = scan(text, into: &tokens, evidence: &evidence)
        if stopWords == .detected { part.resolve(for: evidence.language, into: &tokens) }
    }

    /// Tokenizes `text` as written in `language`: its stop words (with ``StopWords/detected``)
    /// and its decimal mark.
    /// - Complexity: O(*n*) in the UTF-8 length of `text`.
    public func tokenize(_ text: String, language: Language, into tokens: inout [String]) {
        let dropped = stopWords == .detected ? language.droppedStopWords : droppedStopWords
        var text = text
        text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes, table: StopWordLists.table, dropped: dropped,
                                  decimalComma: language.decimalComma, evidence: nil)
            swap(&tokens, &scanner.tokens)
            scanner.run()
            swap(&tokens, &scanner.tokens)
        }
    }

    /// Tokenizes an article's title and text, detecting its language from both together.
    ///
    /// - Returns: the detected language (also with ``StopWords/english`` or ``StopWords/none``,
    ///   which then only decide what is dropped).
    /// - Complexity: O(*n*) in the UTF-8 length of both.
    public func tokenize(title: String, text: String, titleTokens: inout [String], textTokens: inout [String]) -> Language {
        var key: TextKeyHash?
        return tokenize(title: title, text: text, titleTokens: &titleTokens, textTokens: &textTokens, key: &key)
    }

    /// Tokenizes an article's title and text as ``tokenize(title:text:titleTokens:textTokens:)``
    /// does and, when `key` is not `nil`, adds the article's ``TextKeyHash`` tokens to it (title,
    /// title end, text) in the same pass.
    public func tokenize(
        title: String, text: String, titleTokens: inout [String], textTokens: inout [String], key: inout TextKeyHash?
    ) -> Language {
        var evidence = LanguageEvidence()
        var titlePart = scan(title, into: &titleTokens, evidence: &evidence, key: &key)
        key?.endTitle()
        var textPart = scan(text, into: &textTokens, evidence: &evidence, key: &key)
        let language = evidence.language
        if stopWords == .detected {
            titlePart.resolve(for: language, into: &titleTokens)
            textPart.resolve(for: language, into: &textTokens)
        }
        return language
    }

    /// The language detected in `text`.
    public func language(of text: String) -> Language {
        var evidence = LanguageEvidence()
        var tokens: [String] = []
        _ = scan(text, into: &tokens, evidence: &evidence)
        return evidence.language
    }

    /// Returns the normalized tokens of `text`, in order.
    ///
    /// - Complexity: O(*n*) in the UTF-8 length of `text`.
    public func tokens(_ text: String) -> [String] {
        var result: [String] = []
        tokenize(text, into: &result)
        return result
    }

    /// The tokens of `text` with no stop list at all: how the stop lists themselves are folded
    /// (``StopWordLists/table`` cannot use a tokenizer that looks words up in it).
    static func foldedTokens(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes, table: nil, dropped: 0, decimalComma: false, evidence: nil)
            scanner.run()
            return scanner.tokens
        }
    }

    /// The stop words a fixed list drops.
    private var droppedStopWords: UInt32 {
        switch stopWords {
        case .detected, .english: Language.en.stopWordBit
        case .none: 0
        }
    }

    /// Runs the scanner over `text`, appending to `tokens` and counting into `evidence`; with
    /// ``StopWords/detected`` the tokens whose fate depends on the language are held back in
    /// the returned part.
    private func scan(_ text: String, into tokens: inout [String], evidence: inout LanguageEvidence) -> DeferredTokens {
        var key: TextKeyHash?
        return scan(text, into: &tokens, evidence: &evidence, key: &key)
    }

    private func scan(
        _ text: String, into tokens: inout [String], evidence: inout LanguageEvidence, key: inout TextKeyHash?
    ) -> DeferredTokens {
        var text = text
        let deferring = stopWords == .detected
        // `withUTF8` is mutating because it may make a bridged string contiguous; for native
        // strings the copy shares storage and costs nothing.
        return text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes, table: StopWordLists.table, dropped: deferring ? nil : droppedStopWords,
                                  decimalComma: deferring ? nil : false, evidence: evidence)
            scanner.key = key
            swap(&tokens, &scanner.tokens)
            scanner.run()
            swap(&tokens, &scanner.tokens)
            evidence = scanner.evidence ?? evidence
            key = scanner.key
            return scanner.deferred
        }
    }
}
