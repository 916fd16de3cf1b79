import Testing
import TestSupport
@testable import Vectors

/// One input and the tokens it must give.
struct TokenCase: CustomTestStringConvertible, Sendable {
    let input: String
    let expected: [String]

    init(_ input: String, _ expected: [String]) {
        self.input = input
        self.expected = expected
    }

    var testDescription: String { "\"\(input)\" -> \(expected)" }
}

/// Keeps every token, so the cases test one rule at a time without stop words in the way.
let plain = Tokenizer(stopWords: .none)
let english = Tokenizer(stopWords: .english)

@Suite("Tokenizer")
struct TokenizerTests {
    // MARK: ASCII

    @Test("ASCII words are lower-cased and split on everything that is not a letter or digit",
          arguments: [
              TokenCase("Hello World", ["hello", "world"]),
              TokenCase("NASA launches ROCKET", ["nasa", "launches", "rocket"]),
              TokenCase("  tabs\tand\nnewlines\r\n", ["tabs", "and", "newlines"]),
              TokenCase("end. Start! what? (brackets) [x] {y} \"quoted\"",
                        ["end", "start", "what", "brackets", "quoted"]),
              TokenCase("semi;colon:colon_underscore", ["semi", "colon", "colon", "underscore"]),
              TokenCase("user@example.com", ["user", "example", "com"]),
          ])
    func asciiWords(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    @Test("Hyphens and slashes separate words and numbers", arguments: [
        TokenCase("human-like", ["human", "like"]),
        TokenCase("state-of-the-art", ["state", "of", "the", "art"]),
        TokenCase("2020-05-20", ["2020", "05", "20"]),
        TokenCase("and/or", ["and", "or"]),
        TokenCase("20/05/2020", ["20", "05", "2020"]),
        TokenCase("pro—Kremlin – pro–EU", ["pro", "kremlin", "pro", "eu"]),
    ])
    func hyphensAndSlashes(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    // MARK: Unicode folding

    @Test("Accents are stripped and letters lower-cased", arguments: [
        TokenCase("Café", ["cafe"]),
        TokenCase("CAFÉ", ["cafe"]),
        TokenCase("Zürich", ["zurich"]),
        TokenCase("São Paulo", ["sao", "paulo"]),
        TokenCase("Kraków Łódź", ["krakow", "lodz"]),
        TokenCase("Erdoğan İstanbul", ["erdogan", "istanbul"]),
        TokenCase("Hà Nội Nguyễn", ["ha", "noi", "nguyen"]),
        TokenCase("Dvořák Ångström", ["dvorak", "angstrom"]),
        TokenCase("ÀÉÎÕÜ àéîõü", ["aeiou", "aeiou"]),
    ])
    func accentsAreStripped(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    @Test("Decomposed input folds exactly like precomposed input", arguments: [
        ("Café", "Cafe\u{301}"),
        ("CAFÉ", "CAFE\u{301}"),
        ("Zürich", "Zu\u{308}rich"),
        ("Nguyễn", "Nguye\u{302}\u{303}n"),
        ("Ångström", "A\u{30A}ngstro\u{308}m"),
        ("ἀθῆναι", "α\u{313}θη\u{342}ναι"),
        ("Ελλάδα", "Ελλα\u{301}δα"),
    ])
    func decomposedMatchesPrecomposed(precomposed: String, decomposed: String) {
        // Guard against the two literals being the same scalars, which would test nothing.
        #expect(Array(precomposed.unicodeScalars) != Array(decomposed.unicodeScalars))
        let expected = plain.tokens(precomposed)
        #expect(!expected.isEmpty)
        #expect(plain.tokens(decomposed) == expected)
    }

    @Test("Sharp s and letters without a decomposition fold to their ASCII spelling", arguments: [
        TokenCase("Straße", ["strasse"]),
        TokenCase("STRASSE", ["strasse"]),
        TokenCase("STRAẞE", ["strasse"]),
        TokenCase("Æsir encyclopædia", ["aesir", "encyclopaedia"]),
        TokenCase("Œuvre cœur", ["oeuvre", "coeur"]),
        TokenCase("Søren Ørsted", ["soren", "orsted"]),
        TokenCase("Łukasz", ["lukasz"]),
        TokenCase("Đorđević", ["dordevic"]),
        TokenCase("Þórr Þingvellir", ["thorr", "thingvellir"]),
        TokenCase("Iıd Diyarbakır", ["iid", "diyarbakir"]),
        TokenCase("ﬁnance ﬂow", ["finance", "flow"]),
        TokenCase("ＮＨＫ ｎｅｗｓ", ["nhk", "news"]),
    ])
    func letterFolding(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    @Test("Greek and Cyrillic are lower-cased and kept in their script", arguments: [
        TokenCase("ΑΘΗΝΑ Αθήνα", ["αθηνα", "αθηνα"]),
        TokenCase("Ελλάδα ΕΛΛΆΔΑ", ["ελλαδα", "ελλαδα"]),
        TokenCase("ΣΟΦΟΣ σοφός", ["σοφοσ", "σοφοσ"]),
        TokenCase("\u{3AA}ΡΙΣ ϊρις", ["ιρισ", "ιρισ"]),
        TokenCase("МОСКВА Москва", ["москва", "москва"]),
        TokenCase("Київ Йошкар-Ола", ["київ", "йошкар", "ола"]),
    ])
    func otherScripts(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    @Test("Caseless scripts keep their letters and vowel signs", arguments: [
        TokenCase("القاهرة مصر", ["القاهرة", "مصر"]),
        TokenCase("नई दिल्ली", ["नई", "दिल्ली"]),
        TokenCase("กรุงเทพ", ["กรุงเทพ"]),
    ])
    func caselessScripts(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    @Test("Optional Arabic vowel points are dropped like accents")
    func arabicHarakat() {
        #expect(plain.tokens("مُحَمَّد") == plain.tokens("محمد"))
    }

    @Test("Han, kana and Hangul runs give overlapping character pairs, a lone character itself", arguments: [
        TokenCase("東京", ["東京"]),
        TokenCase("北京欢迎你", ["北京", "京欢", "欢迎", "迎你"]),
        TokenCase("ひらがなカタカナ", ["ひら", "らが", "がな", "なカ", "カタ", "タカ", "カナ"]),
        TokenCase("서울 뉴스", ["서울", "뉴스"]),
        TokenCase("東京2020オリンピック", ["東京", "2020", "オリ", "リン", "ンピ", "ピッ", "ック"]),
        TokenCase("Tokyo東京Osaka", ["tokyo", "東京", "osaka"]),
        TokenCase("「日本」、。", ["日本"]),
        TokenCase("中 国", ["中", "国"]),
        TokenCase("美国总统Trump访问中国", ["美国", "国总", "总统", "trump", "访问", "问中", "中国"]),
        TokenCase("苹果iPhone 15发布", ["苹果", "iphone", "15", "发布"]),
    ])
    func splitScripts(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    @Test("Decimal digits of any script become ASCII digits", arguments: [
        TokenCase("٢٠٢٠", ["2020"]),
        TokenCase("२०२०", ["2020"]),
        TokenCase("２０２０年", ["2020", "年"]),
    ])
    func foreignDigits(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    // MARK: Apostrophes

    @Test("A possessive 's is dropped, other apostrophes between letters join", arguments: [
        TokenCase("Reid's", ["reid"]),
        TokenCase("REID'S", ["reid"]),
        TokenCase("Microsoft’s", ["microsoft"]),
        TokenCase("Microsoftʼs", ["microsoft"]),
        TokenCase("don't", ["dont"]),
        TokenCase("don’t", ["dont"]),
        TokenCase("O'Neill", ["oneill"]),
        TokenCase("O’Neill", ["oneill"]),
        TokenCase("students'", ["students"]),
        TokenCase("students’ union", ["students", "union"]),
        TokenCase("'quoted'", ["quoted"]),
        TokenCase("‘curly quoted’", ["curly", "quoted"]),
        TokenCase("Reid's book", ["reid", "book"]),
        TokenCase("it'sy", ["itsy"]),
        TokenCase("the '90s", ["the", "90s"]),
        TokenCase("rock 'n' roll", ["rock", "roll"]),
        TokenCase("Côte d'Ivoire's", ["cote", "ivoire"]),
        TokenCase("l'économie qu'il jusqu'à dell'Italia", ["economie", "il", "italia"]),
        TokenCase("aujourd'hui", ["aujourdhui"]),
    ])
    func apostrophes(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    // MARK: Numbers

    @Test("Numbers keep decimals, lose thousands separators and trailing periods", arguments: [
        TokenCase("5 cats", ["5", "cats"]),
        TokenCase("in 2020.", ["in", "2020"]),
        TokenCase("86.4", ["86.4"]),
        TokenCase("3.5%", ["3.5"]),
        TokenCase("1,000,000 people", ["1000000", "people"]),
        TokenCase("$1,250.50", ["1250.50"]),
        TokenCase("3,5", ["3", "5"]),
        TokenCase("1,2,3", ["1", "2", "3"]),
        TokenCase("2020, 2021", ["2020", "2021"]),
        TokenCase("v1.2.3", ["v1.2.3"]),
        TokenCase("1..2", ["1", "2"]),
        TokenCase(".5 and 5.", ["5", "and", "5"]),
        TokenCase("007", ["007"]),
        TokenCase("12345678901234567890", ["12345678901234567890"]),
    ])
    func numbers(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    @Test("Mixed letter and digit runs stay one token", arguments: [
        TokenCase("COVID-19 covid19", ["covid", "19", "covid19"]),
        TokenCase("Airbus A380", ["airbus", "a380"]),
        TokenCase("5G MP3 G7", ["5g", "mp3", "g7"]),
        TokenCase("$1.5bn", ["1.5bn"]),
    ])
    func mixedRuns(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    // MARK: Length

    @Test("Single letters are dropped, single digits and two-letter words are kept", arguments: [
        TokenCase("a b c", []),
        TokenCase("J. R. R. Tolkien", ["tolkien"]),
        TokenCase("É ß ø", []),
        TokenCase("Plan B 1 2", ["plan", "1", "2"]),
        TokenCase("UK US EU", ["uk", "us", "eu"]),
    ])
    func singleLetters(_ testCase: TokenCase) {
        #expect(plain.tokens(testCase.input) == testCase.expected)
    }

    @Test("Tokens up to 40 bytes are kept and longer ones dropped")
    func longTokens() {
        let forty = String(repeating: "x", count: 40)
        let fortyOne = String(repeating: "y", count: 41)
        #expect(plain.tokens("\(forty) \(fortyOne) end") == [forty, "end"])
        // The limit is on folded UTF-8 bytes: 20 two-byte letters fit, 21 do not.
        let twenty = String(repeating: "ж", count: 20)
        let twentyOne = String(repeating: "ж", count: 21)
        #expect(plain.tokens("\(twenty) \(twentyOne)") == [twenty])
        // A hash or session id longer than the limit is dropped; the readable parts stay.
        let url = "https://example.com/a/story?id=" + String(repeating: "0123456789abcdef", count: 3)
        #expect(plain.tokens(url) == ["https", "example", "com", "story", "id"])
        #expect(plain.tokens(String(repeating: "Q", count: 100_000)).isEmpty)
    }

    // MARK: Stop words

    @Test("English stop words are dropped, content words and numbers are kept")
    func englishStopWords() {
        #expect(english.tokens("The President said that he would not be there in 2020")
            == ["president", "said", "2020"])
        #expect(english.tokens("It's what they've done, isn't it? Don't.") == [])
        #expect(english.tokens("THE AND OF") == [])
    }

    @Test("Without stop words every token is kept")
    func noStopWords() {
        #expect(plain.tokens("The President said that he would not be there")
            == ["the", "president", "said", "that", "he", "would", "not", "be", "there"])
    }

    @Test("The stop word list is already folded, has no numbers and no single letters")
    func stopWordListIsFolded() {
        #expect(Tokenizer.englishStopWords.count >= 250)
        for word in Tokenizer.englishStopWords {
            #expect(plain.tokens(word) == [word], "\(word) does not fold to itself")
            #expect(word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }, "\(word)")
        }
        #expect(Tokenizer.englishStopWords.isSuperset(
            of: ["the", "also", "just", "very", "dont", "isnt", "its", "youre"]))
        #expect(Tokenizer.englishStopWords.isDisjoint(with: ["said", "ill", "wed", "shell"]))
    }

    @Test("Stop words are matched after folding and apostrophe handling", arguments: [
        TokenCase("THE", []),
        TokenCase("Don’t", []),
        TokenCase("ĂLSO", []),
        TokenCase("Reid's the one", ["reid", "one"]),
    ])
    func stopWordsAfterFolding(_ testCase: TokenCase) {
        #expect(english.tokens(testCase.input) == testCase.expected)
    }

    @Test("Every stop word setting has a case and the default is the detected language's")
    func stopWordSettings() {
        #expect(Tokenizer.StopWords.allCases == [.detected, .english, .none])
        #expect(Tokenizer().stopWords == .detected)
        #expect(Tokenizer.StopWords(rawValue: "none") == Tokenizer.StopWords.none)
    }

    // MARK: Degenerate input

    @Test("Input without words gives no tokens", arguments: [
        "", " ", "   \t\n\r\n ", "\u{00A0}\u{2003}\u{3000}",
        "😀🎉👍🏽", "👨‍👩‍👧‍👦", "!!! ... ??? --- ///", "“” ‘’ «» — … • ©®™", "\u{301}\u{308}",
    ])
    func nothingToTokenize(_ input: String) {
        #expect(plain.tokens(input).isEmpty)
    }

    @Test("Emoji and punctuation separate words without becoming tokens")
    func emojiSeparates() {
        #expect(plain.tokens("fire🔥alarm…now!!") == ["fire", "alarm", "now"])
    }

    @Test("A soft hyphen inside a word does not split it")
    func softHyphen() {
        #expect(plain.tokens("infor\u{AD}mation") == ["information"])
    }

    // MARK: API

    @Test("tokenize(_:into:) appends to what is already there")
    func tokenizeAppends() {
        var tokens = ["existing"]
        plain.tokenize("new words", into: &tokens)
        plain.tokenize("more", into: &tokens)
        #expect(tokens == ["existing", "new", "words", "more"])
    }

    @Test("Tokenizers can be shared across concurrent tasks")
    func concurrentUse() async {
        let text = "Zürich’s 1,000 Straße 東京 covid19 don't"
        let expected = english.tokens(text)
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask { english.tokens(text) }
            }
            return await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == expected })
    }

    // MARK: Idempotence

    /// Inputs that exercise every rule, reused by the idempotence property.
    static let samples: [String] = [
        "Café CAFÉ Cafe\u{301} Zürich Straße STRASSE encyclopædia Œuvre ø ł đ þ ı",
        "Reid's Microsoft’s don't O'Neill students' ‘quoted’ d'Ivoire's",
        "in 2020. 86.4 3.5% 1,000,000 3,5 1,2,3 $1,250.50 v1.2.3 1..2 .5",
        "COVID-19 covid19 A380 5G MP3 human-like 2020-05-20 and/or",
        "東京2020オリンピック 서울 北京欢迎你 ２０２０年 ＮＨＫ",
        "ΣΟΦΟΣ σοφός Ἀθῆναι МОСКВА Київ القاهرة مُحَمَّد नई दिल्ली",
        "Å ﬁnance ǅemal ĲSSEL İstanbul ẞ 😀 fire🔥alarm infor\u{AD}mation",
        String(repeating: "long", count: 11) + " ok",
        "The President said that he would not be there, wouldn't he?",
    ]

    @Test("Tokenizing the joined tokens again gives the same tokens",
          arguments: samples + randomSamples(count: 200))
    func idempotence(_ input: String) {
        for tokenizer in [plain, english] {
            let once = tokenizer.tokens(input)
            let twice = tokenizer.tokens(once.joined(separator: " "))
            #expect(twice == once, "input: \(input.debugDescription)")
        }
    }

    /// Random strings over an alphabet of the characters the rules care about; a fixed seed
    /// keeps failures reproducible.
    static func randomSamples(count: Int) -> [String] {
        let alphabet: [String] = [
            "a", "Z", "é", "E\u{301}", "ß", "ẞ", "æ", "ı", "İ", "Σ", "ς", "ά", "Ж", "й", "東", "カ",
            "한", "0", "7", "٣", ".", ",", "'", "’", "ʼ", "s", "S", "-", "/", " ", " ", "%", "😀",
            "\u{301}", "\u{AD}", "ﬁ", "Ａ", "ǅ", "Å", "न", "ि", "ُ",
        ]
        var generator = SplitMix64(seed: 0x5707_C1A5)
        return (0..<count).map { _ in
            let length = Int.random(in: 1...24, using: &generator)
            return (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
        }
    }
}

@Suite struct ShortWordTableTests {
    @Test func findsEveryEnglishStopWordAndNothingElse() {
        let table = StopWordLists.table
        for word in Tokenizer.englishStopWords {
            #expect(table.mask(ofWord: word) & Language.en.stopWordBit != 0, "\(word)")
        }
        // Near misses: a letter more or less, another case, a stop word inside a longer word.
        for word in ["th", "thee", "The", "anda", "themselve", "themselvesx", "ourselve", "tsunami", "", "a"] {
            #expect((table.mask(ofWord: word) & Language.en.stopWordBit != 0) == Tokenizer.englishStopWords.contains(word), "\(word)")
        }
    }

    @Test func wordsDifferingOnlyAfterAnEighthByteOrInLengthAreApart() {
        let words = ["abcdefgh", "abcdefghi", "abcdefghij", "abcdefghijklmnop", "abcdefghijklmnoq", "abcdefg", "b",
                     "abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012346"]
        let kept = [words[0], words[1], words[2], words[3], words[7]]
        let table = ShortWordTable(kept.enumerated().map { (key: $1, value: UInt32(1) << UInt32($0)) })
        #expect(words.map { table.mask(ofWord: $0) } == [1, 2, 4, 8, 0, 0, 0, 16, 0])
        // Zero bytes pad the packed key: a word with a trailing zero byte is still another word.
        #expect(table.mask(ofWord: "abcdefgh\u{0}") == 0)
        #expect(table.longest == 32)
    }
}
