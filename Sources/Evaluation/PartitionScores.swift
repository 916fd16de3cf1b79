import Glibc

/// External scores of a clustering against true story labels, as `score.py` defines them.
///
/// All of them come from the ``ContingencyTable``, never from a loop over item pairs, so a
/// million articles score as fast as they count. The definitions are those of the shared scorer
/// (`../shared/bench/score.py`), so a number printed here and one printed there agree:
///
/// - **B-cubed** (item-averaged): an item's precision is the share of its predicted cluster that
///   shares its true story, its recall the share of its true story in its predicted cluster;
///   both are averaged over the items. Per cell of `c` items that is `c²/|cluster|` and
///   `c²/|story|`, summed and divided by `n`.
/// - **Pairwise**: over all item pairs, a pair is "together" when both are in one cluster
///   (predicted) or one story (true). Precision is `together in both / together predicted`,
///   recall `together in both / together true`, each 1 when its denominator is 0. Pair counts
///   are `C(c, 2)` sums over the cells and the class sizes.
/// - **ARI**, the adjusted Rand index of Hubert and Arabie: `(index − expected) / (max − expected)`
///   with `index` the pairs together in both, `expected = together true · together predicted /
///   C(n, 2)` and `max` their mean; 1 when `max == expected` (both partitions trivial).
/// - **NMI** with the arithmetic mean: `I(T; P) / ((H(T) + H(P)) / 2)` in nats, scikit-learn's
///   default `normalized_mutual_info_score`; 1 when both entropies are 0.
///
/// F1 is the harmonic mean of precision and recall, 0 when both are 0.
public struct PartitionScores: Sendable, Hashable, Codable {
    /// Items scored.
    public var articles: Int
    /// Items without a true label, each scored as a story of its own.
    public var unlabelled: Int
    /// Items without a predicted cluster (missing from a prediction), each scored as a cluster of
    /// its own.
    public var missingFromPrediction: Int
    /// Distinct true stories, an unlabelled item counting as one.
    public var trueStories: Int
    /// Distinct predicted clusters, a missing item counting as one.
    public var predictedClusters: Int
    public var bcubedPrecision: Double
    public var bcubedRecall: Double
    public var bcubedF1: Double
    public var pairwisePrecision: Double
    public var pairwiseRecall: Double
    public var pairwiseF1: Double
    /// Adjusted Rand index: 1 for identical partitions, about 0 for chance agreement, can be negative.
    public var ari: Double
    /// Normalized mutual information (arithmetic mean): 1 for identical partitions.
    public var nmi: Double

    /// The names `score.py --json` prints, so that the two outputs can be compared key by key.
    enum CodingKeys: String, CodingKey {
        case articles, unlabelled, ari, nmi
        case missingFromPrediction = "missing_from_prediction"
        case trueStories = "true_stories"
        case predictedClusters = "predicted_clusters"
        case bcubedPrecision = "bcubed_precision"
        case bcubedRecall = "bcubed_recall"
        case bcubedF1 = "bcubed_f1"
        case pairwisePrecision = "pairwise_precision"
        case pairwiseRecall = "pairwise_recall"
        case pairwiseF1 = "pairwise_f1"
    }

    /// Scores the partition the table describes.
    ///
    /// - Complexity: O(c + t + p) for `c` non-empty cells, `t` stories and `p` clusters.
    public init(_ table: ContingencyTable) {
        precondition(table.itemCount > 0, "scores need at least one item")
        let n = Double(table.itemCount)
        articles = table.itemCount
        unlabelled = table.unlabelledCount
        missingFromPrediction = table.unpredictedCount
        trueStories = table.truthSizes.count
        predictedClusters = table.predictedSizes.count

        var precision = 0.0, recall = 0.0
        var togetherInBoth = 0
        var mutualInformation = 0.0
        for cell in table.cells {
            let c = cell.count
            let story = table.truthSizes[cell.truth], cluster = table.predictedSizes[cell.predicted]
            precision += Double(c * c) / Double(cluster)
            recall += Double(c * c) / Double(story)
            togetherInBoth += Self.pairs(c)
            mutualInformation += Double(c) / n * log(Double(c) * n / (Double(story) * Double(cluster)))
        }
        bcubedPrecision = precision / n
        bcubedRecall = recall / n
        bcubedF1 = Self.harmonicMean(bcubedPrecision, bcubedRecall)

        let togetherTrue = table.truthSizes.reduce(0) { $0 + Self.pairs($1) }
        let togetherPredicted = table.predictedSizes.reduce(0) { $0 + Self.pairs($1) }
        pairwisePrecision = togetherPredicted > 0 ? Double(togetherInBoth) / Double(togetherPredicted) : 1
        pairwiseRecall = togetherTrue > 0 ? Double(togetherInBoth) / Double(togetherTrue) : 1
        pairwiseF1 = Self.harmonicMean(pairwisePrecision, pairwiseRecall)

        let allPairs = Self.pairs(table.itemCount)
        let expected = allPairs > 0 ? Double(togetherTrue) * Double(togetherPredicted) / Double(allPairs) : 0
        let maximum = Double(togetherTrue + togetherPredicted) / 2
        ari = maximum != expected ? (Double(togetherInBoth) - expected) / (maximum - expected) : 1

        let entropies = Self.entropy(table.truthSizes, n) + Self.entropy(table.predictedSizes, n)
        nmi = entropies != 0 ? mutualInformation / (entropies / 2) : 1
    }

    /// Scores predicted clusters against true labels, item by item.
    ///
    /// - Parameters:
    ///   - truth: each item's true story; `nil` makes the item a story of its own.
    ///   - predicted: each item's cluster; `nil` makes the item a cluster of its own.
    /// - Complexity: O(n) expected.
    public init<T: Hashable, P: Hashable>(truth: [T?], predicted: [P?]) {
        self.init(ContingencyTable(truth: truth, predicted: predicted))
    }

    /// `C(k, 2)`, the pairs among `k` items.
    static func pairs(_ k: Int) -> Int { k * (k - 1) / 2 }

    static func harmonicMean(_ a: Double, _ b: Double) -> Double {
        a + b > 0 ? 2 * a * b / (a + b) : 0
    }

    /// Shannon entropy in nats of the class sizes over `n` items.
    static func entropy(_ sizes: [Int], _ n: Double) -> Double {
        var sum = 0.0
        for size in sizes where size > 0 {
            let p = Double(size) / n
            sum -= p * log(p)
        }
        return sum
    }
}
