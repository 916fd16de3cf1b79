import Evaluation
import Foundation
import Testing
import TestSupport

/// Scores of `predicted` against `truth`, one character per item.
private func score(truth: String, predicted: String) -> PartitionScores {
    PartitionScores(truth: truth.map(Optional.some), predicted: predicted.map(Optional.some))
}

@Suite("Partition scores")
struct PartitionScoresTests {
    /// truth AAABBC, predicted xxxxyy. Cells (A,x)=3 (B,x)=1 (B,y)=1 (C,y)=1; stories A3 B2 C1;
    /// clusters x4 y2; n = 6.
    @Test func bCubedMatchesTheHandComputation() {
        let s = score(truth: "AAABBC", predicted: "xxxxyy")
        // precision: Σ c²/|cluster| / n = (9/4 + 1/4 + 1/2 + 1/2) / 6 = 3.5/6 = 7/12
        // recall:    Σ c²/|story|   / n = (9/3 + 1/2 + 1/2 + 1/1) / 6 = 5/6
        // F1 = 2 · 7/12 · 5/6 / (7/12 + 5/6) = (70/72) / (17/12) = 35/51
        #expect(abs(s.bcubedPrecision - 7.0 / 12) < 1e-12)
        #expect(abs(s.bcubedRecall - 5.0 / 6) < 1e-12)
        #expect(abs(s.bcubedF1 - 35.0 / 51) < 1e-12)
        #expect(s.articles == 6 && s.trueStories == 3 && s.predictedClusters == 2)
    }

    @Test func pairwiseScoresCountPairsFromTheTable() {
        let s = score(truth: "AAABBC", predicted: "xxxxyy")
        // together in both: C(3,2) = 3 (the three A in x); true: C(3,2) + C(2,2) = 4;
        // predicted: C(4,2) + C(2,2) = 7. P = 3/7, R = 3/4, F1 = 2·(9/28)/(33/28) = 6/11.
        #expect(abs(s.pairwisePrecision - 3.0 / 7) < 1e-12)
        #expect(abs(s.pairwiseRecall - 3.0 / 4) < 1e-12)
        #expect(abs(s.pairwiseF1 - 6.0 / 11) < 1e-12)
    }

    @Test func adjustedRandIndexMatchesTheHandComputation() {
        let s = score(truth: "AAABBC", predicted: "xxxxyy")
        // C(6,2) = 15 pairs; expected = 4 · 7 / 15 = 28/15; max = (4 + 7)/2 = 11/2;
        // ARI = (3 − 28/15) / (11/2 − 28/15) = (17/15) / (109/30) = 34/109.
        #expect(abs(s.ari - 34.0 / 109) < 1e-12)
    }

    @Test func normalizedMutualInformationUsesTheArithmeticMean() {
        let s = score(truth: "AAABBC", predicted: "xxxxyy")
        // I = 3/6 ln(3·6/(3·4)) + 1/6 ln(6/(2·4)) + 1/6 ln(6/(2·2)) + 1/6 ln(6/(1·2))
        //   = ½ ln 3/2 + ⅙ ln(3/4 · 3/2 · 3) = ½ ln 3/2 + ⅙ ln (3/2)³ = ln 3/2
        // H(T) = ½ ln 2 + ⅓ ln 3 + ⅙ ln 6;  H(P) = ⅔ ln 3/2 + ⅓ ln 3
        // NMI = I / ((H(T) + H(P)) / 2) ≈ 0.4921
        let hT = log(2.0) / 2 + log(3.0) / 3 + log(6.0) / 6
        let hP = 2 * log(1.5) / 3 + log(3.0) / 3
        #expect(abs(s.nmi - log(1.5) / ((hT + hP) / 2)) < 1e-12)
        // sqrt or max normalization would give other values: this pins the arithmetic mean.
        #expect(abs(s.nmi - log(1.5) / (hT * hP).squareRoot()) > 1e-3)
    }

    @Test("identical partitions score 1 whatever the label names", arguments: [
        ("AABCCC", "zzxyyy"),
        ("ABC", "xyz"),
        ("AAAA", "xxxx"),
        ("A", "x"),
    ])
    func identicalPartitionsScoreOne(truth: String, predicted: String) {
        let s = score(truth: truth, predicted: predicted)
        for (name, value) in [("B3 P", s.bcubedPrecision), ("B3 R", s.bcubedRecall), ("B3 F1", s.bcubedF1),
                              ("pair P", s.pairwisePrecision), ("pair R", s.pairwiseRecall), ("pair F1", s.pairwiseF1),
                              ("ARI", s.ari), ("NMI", s.nmi)] {
            #expect(abs(value - 1) < 1e-12, "\(name) = \(value) for \(truth) vs \(predicted)")
        }
    }

    @Test func allSingletonsAgainstOneStoryHaveFullPrecisionAndNoPairRecall() {
        let s = score(truth: "AAAA", predicted: "wxyz")
        // B-cubed: each item's cluster is itself (P = 1), a quarter of its story (R = 1/4);
        // F1 = 2 · 1/4 / (5/4) = 2/5. Pairs: none predicted together (P = 1 by convention),
        // 0 of the C(4,2) = 6 true pairs found (R = 0, F1 = 0). ARI: expected = 6 · 0 / 6 = 0,
        // max = 3, ARI = 0. NMI: I = 4 · ¼ ln(1·4/(4·1)) = 0, so 0.
        #expect(s.bcubedPrecision == 1)
        #expect(abs(s.bcubedRecall - 0.25) < 1e-12)
        #expect(abs(s.bcubedF1 - 0.4) < 1e-12)
        #expect(s.pairwisePrecision == 1 && s.pairwiseRecall == 0 && s.pairwiseF1 == 0)
        #expect(s.ari == 0)
        #expect(abs(s.nmi) < 1e-12)
    }

    @Test func oneClusterOverTwoStoriesHasFullRecallAndChanceAgreement() {
        let s = score(truth: "AABB", predicted: "xxxx")
        // B-cubed P = (4/4 + 4/4)/4 = 1/2, R = 1, F1 = 2/3. Pairs: together in both 1 + 1 = 2,
        // true 2, predicted 6: P = 1/3, R = 1, F1 = 1/2. ARI: expected = 2 · 6 / 6 = 2, max = 4,
        // (2 − 2)/(4 − 2) = 0. NMI: H(P) = 0 and I = 0, so 0.
        #expect(abs(s.bcubedPrecision - 0.5) < 1e-12 && s.bcubedRecall == 1)
        #expect(abs(s.bcubedF1 - 2.0 / 3) < 1e-12)
        #expect(abs(s.pairwisePrecision - 1.0 / 3) < 1e-12 && s.pairwiseRecall == 1 && abs(s.pairwiseF1 - 0.5) < 1e-12)
        #expect(s.ari == 0)
        #expect(abs(s.nmi) < 1e-12)
    }

    @Test func aMissingLabelOrPredictionIsAClassOfItsOwn() {
        // Two unlabelled items are two stories, not one: truth {a}, {·}, {·} against one cluster
        // of 3: B-cubed P = 3 · (1/3) / 3 = 1/3, R = 1.
        let unlabelled = PartitionScores(truth: ["a", nil, nil], predicted: ["x", "x", "x"])
        #expect(unlabelled.unlabelled == 2 && unlabelled.trueStories == 3)
        #expect(abs(unlabelled.bcubedPrecision - 1.0 / 3) < 1e-12 && unlabelled.bcubedRecall == 1)

        // Like score.py: an article missing from the prediction is scored as a singleton.
        let missing = PartitionScores(truth: ["a", "a", "a"], predicted: ["x", "x", nil])
        #expect(missing.missingFromPrediction == 1 && missing.predictedClusters == 2)
        // Recall = (4/3 + 1/3) / 3 = 5/9; precision 1.
        #expect(missing.bcubedPrecision == 1 && abs(missing.bcubedRecall - 5.0 / 9) < 1e-12)
    }

    @Test func tableCountsAgreeWithABruteForceOverAllPairsAndItems() {
        var random = SplitMix64(seed: 7)
        let n = 300
        let truth = (0..<n).map { _ in Int.random(in: 0..<25, using: &random) }
        let predicted = (0..<n).map { _ in Int.random(in: 0..<40, using: &random) }
        let s = PartitionScores(truth: truth.map(Optional.some), predicted: predicted.map(Optional.some))

        var both = 0, sameTruth = 0, samePredicted = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                let t = truth[i] == truth[j], p = predicted[i] == predicted[j]
                if t { sameTruth += 1 }
                if p { samePredicted += 1 }
                if t && p { both += 1 }
            }
        }
        #expect(abs(s.pairwisePrecision - Double(both) / Double(samePredicted)) < 1e-12)
        #expect(abs(s.pairwiseRecall - Double(both) / Double(sameTruth)) < 1e-12)

        // B-cubed item by item: the share of the item's cluster in its story, and vice versa.
        var precision = 0.0, recall = 0.0
        for i in 0..<n {
            let cluster = (0..<n).filter { predicted[$0] == predicted[i] }
            let story = (0..<n).filter { truth[$0] == truth[i] }
            let shared = cluster.count { truth[$0] == truth[i] }
            precision += Double(shared) / Double(cluster.count)
            recall += Double(shared) / Double(story.count)
        }
        #expect(abs(s.bcubedPrecision - precision / Double(n)) < 1e-12)
        #expect(abs(s.bcubedRecall - recall / Double(n)) < 1e-12)
        #expect(s.trueStories == Set(truth).count && s.predictedClusters == Set(predicted).count)
    }

    @Test func scoresDoNotDependOnTheItemOrderAndRepeatExactly() {
        var random = SplitMix64(seed: 11)
        let items = (0..<500).map { _ in (Int.random(in: 0..<30, using: &random), Int.random(in: 0..<50, using: &random)) }
        let shuffled = items.shuffled(using: &random)
        let a = PartitionScores(truth: items.map { Optional($0.0) }, predicted: items.map { Optional($0.1) })
        let b = PartitionScores(truth: shuffled.map { Optional($0.0) }, predicted: shuffled.map { Optional($0.1) })
        // Classes are numbered by first appearance, so the sums may run in another order: equal
        // up to rounding, and identical for the same input order.
        #expect(abs(a.nmi - b.nmi) < 1e-12 && abs(a.bcubedF1 - b.bcubedF1) < 1e-12)
        let again = PartitionScores(truth: items.map { Optional($0.0) }, predicted: items.map { Optional($0.1) })
        #expect(again == a)
    }

    @Test func jsonKeysAreTheSharedScorersNames() throws {
        let data = try JSONEncoder().encode(score(truth: "AB", predicted: "xx"))
        let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
        #expect(Set(keys).isSuperset(of: [
            "articles", "missing_from_prediction", "true_stories", "predicted_clusters", "bcubed_precision",
            "bcubed_recall", "bcubed_f1", "pairwise_precision", "pairwise_recall", "pairwise_f1", "ari", "nmi",
        ]))
    }
}
