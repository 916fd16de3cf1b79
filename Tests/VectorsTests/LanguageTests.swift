import Corpus
import Testing
@testable import Vectors

/// Language detection, each language's stop words, and the decimal comma.
@Suite("Languages")
struct LanguageTests {
    let detector = Tokenizer()

    // MARK: Detection

    @Test("Running text is detected as its language", arguments: [
        ("The central bank raised interest rates on Thursday for the third time this year, and it said that more increases could follow if prices keep rising.", Language.en),
        ("Die Bundesregierung hat am Mittwoch ein neues Gesetz beschlossen, das den Ausbau der Windkraft beschleunigen soll und von den Ländern mehr Flächen verlangt.", .de),
        ("Le gouvernement a présenté mercredi un projet de loi qui doit accélérer la construction de logements dans les grandes villes, selon le ministre.", .fr),
        ("El Gobierno aprobó este martes una reforma que eleva el salario mínimo y que, según los sindicatos, beneficiará a más de dos millones de trabajadores.", .es),
        ("Il governo ha approvato ieri un decreto che prevede nuovi fondi per la sanità e per le scuole, ma l'opposizione chiede più tempo per discuterlo.", .it),
        ("O governo não disse se vai manter o imposto, mas o ministro afirmou que uma decisão será tomada pelo seu partido até sexta-feira.", .pt),
        ("Het kabinet heeft dinsdag besloten dat de belasting op benzine volgend jaar niet omhoog gaat, maar de oppositie noemt het een verkiezingscadeau.", .nl),
        ("Regeringen meddelade på tisdagen att skatten på bensin sänks från och med nästa år, men oppositionen menar att det inte räcker för hushållen.", .sv),
        ("Rząd przyjął we wtorek projekt ustawy, który ma obniżyć ceny energii dla gospodarstw domowych, ale opozycja twierdzi, że to za mało.", .pl),
        ("Hükümet bu sabah yeni bir ekonomi paketi açıkladı ve bakan, enflasyonun yıl sonuna kadar düşeceğini söyledi, ama muhalefet buna inanmıyor.", .tr),
        ("Правительство в среду одобрило законопроект, который должен снизить цены на топливо, но эксперты считают, что этого будет недостаточно.", .ru),
        ("Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για τη στήριξη των νοικοκυριών.", .el),
        ("国务院总理今天在北京会见了来访的德国总理，双方讨论了贸易问题。", .zh),
        ("東京都は今日、新しい地震対策を発表しました。", .ja),
        ("정부는 오늘 새로운 부동산 대책을 발표했다.", .ko),
        ("أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد", .ar),
        ("הממשלה הודיעה היום על תוכנית חדשה לכלכלה", .he),
    ])
    func detectsRunningText(text: String, language: Language) {
        #expect(detector.language(of: text) == language)
    }

    /// Danish and Norwegian share most function words: a sentence is one of them or `und`,
    /// never a third language.
    @Test("Danish and Norwegian are told apart or left undetermined", arguments: [
        "Regeringen har i dag fremlagt et forslag om at hæve pensionsalderen, og det skal forhandles med partierne i løbet af efteråret.",
        "Regjeringen la i dag fram et forslag om å heve pensjonsalderen, og det skal forhandles med partiene i løpet av høsten.",
    ])
    func scandinavianNeighbours(_ text: String) {
        #expect([Language.da, .no, .und].contains(detector.language(of: text)))
    }

    @Test("Too little evidence is undetermined", arguments: [
        "Merkel trifft Macron",  // names and one verb: no function word at all
        "Fed raises rates",
        "Real Madrid 2 Barcelona 1",
        "",
        "12,5 % 2020",
    ])
    func thinEvidenceIsUndetermined(_ text: String) {
        #expect(detector.language(of: text) == .und)
    }

    /// A name that is another language's stop word, said twice, is one word of evidence: it
    /// does not make the two hits a language needs (`kim` is Turkish for "who").
    @Test("A stop word said twice is one hit", arguments: [
        "Kim Kardashian - Kim Kardashian",
        "Kim Kardashian - Kim Kardashian Kim",
    ])
    func aRepeatedStopWordIsOneHit(_ text: String) {
        #expect(detector.language(of: text) == .und)
        var title: [String] = [], body: [String] = []
        _ = detector.tokenize(title: text, text: "", titleTokens: &title, textTokens: &body)
        #expect(title.filter { $0 == "kim" }.count == text.split(separator: " ").filter { $0 == "Kim" }.count, "the name is kept")
    }

    @Test("Title and text are detected together")
    func titleAndTextTogether() {
        var title: [String] = [], text: [String] = []
        let language = detector.tokenize(
            title: "Streik legt Bahn lahm", text: "Die Gewerkschaft hat für Montag zu einem Warnstreik aufgerufen.",
            titleTokens: &title, textTokens: &text)
        #expect(language == .de)
        // The title alone says too little; the text decides for both.
        #expect(detector.language(of: "Streik legt Bahn lahm") == .und)
        #expect(title == ["streik", "legt", "bahn", "lahm"])
        #expect(text == ["gewerkschaft", "montag", "warnstreik", "aufgerufen"])
    }

    // MARK: Stop words

    @Test("Each language's stop words are dropped and its content words kept", arguments: [
        ("Der Präsident und die Ministerin haben sich auf einen Kompromiss bei der Rente geeinigt.",
         ["prasident", "ministerin", "kompromiss", "rente", "geeinigt"]),
        ("Le président et la ministre se sont mis d'accord sur un compromis pour les retraites.",
         ["president", "ministre", "mis", "accord", "compromis", "retraites"]),
        ("El presidente y la ministra han llegado a un acuerdo sobre las pensiones que se votará en el Congreso.",
         ["presidente", "ministra", "llegado", "acuerdo", "pensiones", "votara", "congreso"]),
        ("Президент и министр договорились о компромиссе по пенсиям, который будет рассмотрен в парламенте.",
         ["президент", "министр", "договорились", "компромиссе", "пенсиям", "рассмотрен", "парламенте"]),
    ])
    func stopWordsOfTheDetectedLanguage(text: String, expected: [String]) {
        #expect(detector.tokens(text) == expected)
    }

    @Test("Another language's function words are content words in English text")
    func otherListsDoNotTouchEnglish() {
        // `die`, `war`, `man`, `hat`, `come` are stop words in German or Italian, not in English.
        let tokens = detector.tokens("The man who wore a hat said that the war would come to an end before he would die.")
        #expect(tokens == ["man", "wore", "hat", "said", "war", "come", "end", "die"])
    }

    @Test("The generated lists are folded like tokens, have no numbers, and exist for every listed language")
    func generatedListsAreFolded() {
        let plain = Tokenizer(stopWords: .none)
        for language in Language.listed {
            let words = StopWordLists.words(of: language)
            #expect(words.count >= 80, "\(language): \(words.count) words")
            for word in words {
                #expect(plain.tokens(word) == [word], "\(language): \(word) does not fold to itself")
                #expect(!word.unicodeScalars.contains { $0.properties.numericType != nil }, "\(language): \(word)")
            }
        }
        // Accents and ß folded as tokens are; Cyrillic й kept apart from и.
        #expect(StopWordLists.words(of: .de).contains("fur") && StopWordLists.words(of: .de).contains("dass"))
        #expect(StopWordLists.words(of: .fr).contains("etaient"))
        #expect(StopWordLists.words(of: .ru).contains("который"))
        // Number words and content words the package lists carry are left out.
        for (language, word) in [(Language.fr, "deux"), (.es, "tres"), (.es, "tiempo"), (.it, "due"), (.ru, "три"),
                                 (.ru, "год"), (.sv, "tre"), (.tr, "iki"), (.pt, "dois"), (.de, "weg")] {
            #expect(!StopWordLists.words(of: language).contains(word), "\(language): \(word)")
        }
    }

    // MARK: Numbers

    @Test("A decimal comma keeps the number whole where the language writes it so", arguments: [
        ("Der Leitzins steigt um 0,25 Prozentpunkte auf 4,5 Prozent, sagte die Notenbank am Donnerstag.", ["0,25", "4,5"]),
        ("Die Stadt hat 1.234,5 Millionen Euro Schulden und will bis 2030 die Hälfte tilgen.", ["1.234,5", "2030"]),
        ("La inflación subió al 3,2 % en marzo y el paro bajó hasta el 11,8 % de la población activa.", ["3,2", "11,8"]),
        // No decimal has two commas: a list splits, thousands groups join, in any language.
        ("Die Lose mit den Nummern 1,2,3 haben gewonnen, und der Jackpot lag bei 1,000,000 Euro.", ["1", "2", "3", "1000000"]),
        // English (and undetermined) text: a comma before three digits is a thousands separator.
        ("The company said that it would cut 1,234 jobs and that its margin was 3,5 points lower.", ["1234", "3", "5"]),
    ])
    func decimalComma(text: String, numbers: [String]) {
        let found = detector.tokens(text).filter { $0.first?.isNumber == true }
        #expect(found == numbers)
    }

    @Test("Numbers follow a language given explicitly")
    func explicitLanguage() {
        var tokens: [String] = []
        detector.tokenize("0,25 und 1,234", language: .de, into: &tokens)
        #expect(tokens == ["0,25", "1,234"])
        tokens = []
        detector.tokenize("0,25 and 1,234", language: .en, into: &tokens)
        #expect(tokens == ["0", "25", "1234"])
    }

    // MARK: Whole articles

    /// Two German reports of one story and a German report of another that shares only
    /// function words with the first: with German stop words removed the unrelated pair has
    /// nothing in common, while the two reports still do.
    @Test("German reports of one story stay close and an unrelated German report shares nothing")
    func germanArticlesShareOnlyContent() throws {
        let articles = [
            Article(id: "a", title: "Hochwasser in Passau: Altstadt evakuiert",
                    body: "Die Donau ist in der Nacht über die Ufer getreten. In Passau wurden die Bewohner der Altstadt in Sicherheit gebracht, und die Feuerwehr ist mit allen Kräften im Einsatz.",
                    source: SourceLocation(file: "t", record: 1)),
            Article(id: "b", title: "Passau: Donau-Hochwasser zwingt Altstadt zur Evakuierung",
                    body: "Nach starkem Regen hat das Hochwasser der Donau die Passauer Altstadt erreicht. Die Feuerwehr hat die Bewohner in der Nacht aus ihren Häusern geholt.",
                    source: SourceLocation(file: "t", record: 2)),
            Article(id: "c", title: "Bundesliga: Bayern gewinnt das Spitzenspiel gegen Dortmund",
                    body: "Der FC Bayern hat das Spitzenspiel in der Bundesliga mit drei zu eins gewonnen. Die Zuschauer in der Arena sahen ein Spiel, das von Anfang an spannend war.",
                    source: SourceLocation(file: "t", record: 3)),
        ]
        let model = Vectorizer().fit(articles)
        #expect(model.languages == [.de, .de, .de])
        #expect(model.matrix.dot(0, 1) >= 0.18, "the default story threshold")
        #expect(model.matrix.dot(0, 2) == 0)
        #expect(model.matrix.dot(1, 2) == 0)
        #expect(!model.terms.contains("der") && !model.terms.contains("die") && !model.terms.contains("und"))
    }

    @Test("Chinese reports share character pairs, not single characters")
    func chineseBigrams() {
        let articles = [
            Article(id: "a", title: "北京发布暴雨红色预警", body: "", source: SourceLocation(file: "t", record: 1)),
            Article(id: "b", title: "暴雨红色预警：北京停课", body: "", source: SourceLocation(file: "t", record: 2)),
            Article(id: "c", title: "京东发布新款手机", body: "", source: SourceLocation(file: "t", record: 3)),
        ]
        let model = Vectorizer().fit(articles)
        #expect(model.languages == [.zh, .zh, .zh])
        #expect(model.terms.contains("暴雨") && model.terms.contains("预警") && !model.terms.contains("暴"))
        #expect(model.matrix.dot(0, 1) > 0.5)
        // `发布` (publish) is the only pair shared with the phone launch; `京` alone is no term.
        #expect(model.matrix.dot(0, 2) < model.matrix.dot(0, 1) / 2)
        #expect(model.matrix.dot(1, 2) == 0)
    }

    /// The vectorizer drops each language's stop words and reads its decimal mark, yet the text
    /// key it hands on must be the hash of every token kept, numbers split at every comma: what
    /// `Tokenizer(stopWords: .none)` gives. Texts in several languages, with comma numbers, CJK
    /// runs of one and more characters, a title without text and an article without tokens.
    @Test("the vectorizer's text keys hash the tokens a tokenizer without stop lists gives", arguments: Tokenizer.StopWords.allCases)
    func textKeysKeepEveryToken(stopWords: Tokenizer.StopWords) {
        let texts: [(String, String)] = [
            ("Der Zins steigt auf 0,25 Prozent", "Die Bank und der Staat: die Inflation liegt bei 2,5 %, sagte er."),
            ("La BCE sube los tipos al 4,5 %", "El consejo de la BCE decidió que los tipos de interés suben."),
            ("Fed raises rates by 0.25 points", "The Federal Reserve said on Wednesday that it would raise rates, 1,234 economists agreed."),
            ("北京发布暴雨红色预警", "雨 北京停课。"),
            ("Headline only, no text", ""),
            ("", "Body only: the text of an article without a title."),
            ("", "— … !"),
        ]
        let articles = texts.enumerated().map { k, text in
            Article(id: "k\(k)", title: text.0, body: text.1, source: SourceLocation(file: "t", record: k + 1))
        }
        var options = VectorizerOptions()
        options.stopWords = stopWords
        let model = Vectorizer(options: options).fit(articles)
        let keep = Tokenizer(stopWords: .none)
        for (k, article) in articles.enumerated() {
            var expected = TextKeyHash()
            for token in keep.tokens(article.title) { expected.add(token: token) }
            expected.endTitle()
            for token in keep.tokens(article.text) { expected.add(token: token) }
            #expect(model.textKeys[k] == expected.key, "article \(k)")
        }
        #expect(model.textKeys.last! == nil, "no tokens, no key")
        #expect(Set(model.textKeys.compactMap { $0 }).count == texts.count - 1)
    }
}
