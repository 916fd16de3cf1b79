import Cluster
import Corpus
import Testing
import Vectors

@Suite struct AdaptiveThresholdTests {
    let rule = AdaptiveThreshold()

    static func article(_ id: String, title: String, body: String = "") -> Article {
        Article(id: id, title: title, body: body, published: 0, source: SourceLocation(file: "t", record: 1))
    }

    static let fullTexts = [
        article("f1", title: "Storm floods coastal towns", body: """
            Heavy rain from the storm flooded coastal towns overnight, forcing hundreds of residents from their homes. \
            Emergency crews used boats to reach stranded families while the river rose past its banks near the harbour. \
            Officials said power lines were down across three counties and schools would stay closed until Friday.
            """),
        article("f2", title: "Floods force evacuations on the coast", body: """
            Residents of coastal towns were evacuated as the storm pushed flood water into streets and basements. \
            Rescue teams worked through the night; the harbour master said the river crest would come on Thursday. \
            Three counties lost power and the governor asked for federal disaster aid for the damaged homes.
            """),
        article("f3", title: "Central bank keeps rates on hold", body: """
            The central bank left its benchmark interest rate unchanged on Tuesday, saying inflation was easing \
            but wages were still rising quickly. Economists had expected the pause after two increases this year. \
            Markets rallied on the decision, with bond yields falling and the currency weakening against the dollar.
            """),
    ]
    static let headlines = [
        article("h1", title: "Storm floods coastal towns"),
        article("h2", title: "Thousands flee rising water on coast"),
        article("h3", title: "Central bank holds rates"),
    ]

    @Test func headlinesAndFullTextGetDifferentEffectiveThresholds() {
        let headlineTerms = Vectorizer().fit(Self.headlines).matrix.effectiveTermCounts()
        let fullTerms = Vectorizer().fit(Self.fullTexts).matrix.effectiveTermCounts()
        #expect(headlineTerms.allSatisfy { $0 < rule.referenceTerms })
        #expect(fullTerms.allSatisfy { $0 >= rule.referenceTerms })
        // A full-text pair keeps the whole threshold, a headline pair gets less of it.
        #expect(rule.factor(fullTerms[0], fullTerms[1]) == 1)
        let headlineFactor = rule.factor(headlineTerms[0], headlineTerms[1])
        #expect(headlineFactor < 1 && headlineFactor >= rule.lowestFactor)
        #expect(rule.floorFactor(terms: headlineTerms) < 1 && rule.floorFactor(terms: fullTerms) == 1)
    }

    @Test func theShorterTextDecidesAndTheFactorHasAFloor() {
        #expect(rule.factor(5, 400) == rule.factor(5, 5))
        #expect(rule.factor(400, 400) == 1)
        #expect(rule.factor(0.5, 0.5) == rule.lowestFactor)
        // Below the reference the factor grows with the shorter text's terms.
        let r = rule.referenceTerms
        #expect(rule.factor(0.6 * r, 0.6 * r) < rule.factor(0.9 * r, 0.9 * r))
    }

    /// In one corpus of headlines and full texts, each pair is scored by its own texts: the
    /// full-text pair keeps its cosine, the weakly matched headline pair is boosted at most to
    /// cosine / factor, and a headline pair whose articles have a strong match keeps its cosine.
    @Test func aMixtureIsHandledPerPair() {
        let terms: [Float] = [80, 90, 6, 6, 6, 6]
        let strong = [
            ScoredPair(first: 0, second: 1, cosine: 0.15),  // full text, full text
            ScoredPair(first: 2, second: 3, cosine: 0.15),  // two headlines, nothing better in reach
            ScoredPair(first: 4, second: 5, cosine: 0.15),  // two headlines ...
            ScoredPair(first: 0, second: 4, cosine: 0.9),  // ... each with a near copy
            ScoredPair(first: 1, second: 5, cosine: 0.9),
        ]
        let scores = rule.linkScores(pairs: strong, terms: terms, dense: nil)
        #expect(scores[0] == 0.15)
        #expect(abs(scores[1] - 0.15 / rule.factor(6, 6)) < 1e-6)
        #expect(scores[1] > 0.18)
        #expect(scores[2] == 0.15)
        // A headline paired with a full text is a short pair, by the shorter text.
        #expect(scores[3] == 0.9 && scores[4] == 0.9)
        #expect(rule.factor(terms[0], terms[4]) < 1)
    }

    @Test func withoutTheRuleTheLinkageSeesPlainCosines() {
        let long = AdaptiveThreshold(referenceTerms: 0.001)
        let pairs = [ScoredPair(first: 0, second: 1, cosine: 0.12)]
        #expect(long.linkScores(pairs: pairs, terms: [6, 6], dense: nil) == [0.12])
    }
}
