import Corpus
import Foundation
import Testing
import Vectors
@testable import Report

@Suite struct PairExplanationTests {
    /// A: "storm storm coast", B: "storm coast harbor", C: "election"; sublinear tf, no title,
    /// names not weighted, so the vectors can be worked out by hand (n = 3):
    ///
    ///     idf(storm) = idf(coast) = ln(4/3) + 1 = 1.287682   (df 2)
    ///     idf(harbor)             = ln(4/2) + 1 = 1.693147   (df 1)
    ///     A = (storm (1 + ln 2)·1.287682 = 2.180237, coast 1.287682) / 2.532102
    ///       = (storm 0.861037, coast 0.508542)
    ///     B = (storm 1.287682, coast 1.287682, harbor 1.693147) / 2.486561
    ///       = (storm 0.517856, coast 0.517856, harbor 0.680919)
    ///     storm: 0.861037 · 0.517856 = 0.445893;  coast: 0.508542 · 0.517856 = 0.263352
    ///     cosine = 0.709245; storm's share 0.628687
    static func model() -> TFIDFModel {
        let source = SourceLocation(file: "t.jsonl", record: 1)
        let articles = [
            Article(id: "A", body: "storm storm coast", source: source),
            Article(id: "B", body: "storm coast harbor", source: source),
            Article(id: "C", body: "election", source: source),
        ]
        return Vectorizer(options: VectorizerOptions(termFrequency: .sublinear, nameWeight: 1)).fit(articles)
    }

    @Test func termsWeightsAndContributionsMatchTheHandComputation() throws {
        let explanation = PairExplanation(0, 1, model: Self.model())
        #expect(explanation.terms.map(\.term) == ["storm", "coast"], "harbor is only in B, so it adds nothing")
        let storm = explanation.terms[0], coast = explanation.terms[1]
        #expect(abs(storm.weightA - 0.861037) < 1e-5 && abs(storm.weightB - 0.517856) < 1e-5)
        #expect(abs(coast.weightA - 0.508542) < 1e-5 && abs(coast.weightB - 0.517856) < 1e-5)
        #expect(abs(storm.contribution - 0.445893) < 1e-5 && abs(coast.contribution - 0.263352) < 1e-5)
        #expect(abs(explanation.cosine - 0.709245) < 1e-5)
        #expect(abs(storm.share - 0.628687) < 1e-5)
    }

    @Test func contributionsSumToTheCosineAndSharesToOne() {
        let explanation = PairExplanation(1, 0, model: Self.model())
        #expect(abs(explanation.terms.map(\.contribution).reduce(0, +) - explanation.cosine) < 1e-6)
        #expect(abs(explanation.terms.map(\.share).reduce(0, +) - 1) < 1e-6)
        #expect(explanation.terms.allSatisfy { abs($0.weightA * $0.weightB - $0.contribution) < 1e-7 })
        #expect(explanation.terms.first?.term == "storm", "the order of the two rows does not matter")
    }

    @Test func sharedTermsAreWrittenAsPairsCSVWritesThem() throws {
        let model = Self.model()
        let explanation = PairExplanation(0, 1, model: model)
        #expect(explanation.sharedTerms == "storm:0.4459; coast:0.2634")
        #expect(PairExplanation(0, 2, model: model).terms.isEmpty)
        #expect(PairExplanation(0, 2, model: model).cosine == 0)
    }
}
