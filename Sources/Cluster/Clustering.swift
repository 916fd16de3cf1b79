public import Corpus
import Glibc
public import Vectors

/// How an article relates to its story cluster.
public enum Relation: String, Sendable, Hashable, CaseIterable {
    /// The article that stands for its cluster (see ``CanonicalPolicy``).
    case canonical
    /// The same URL (after canonicalization) as another record: one article seen twice.
    case exactURL = "exact_url"
    /// The same normalized title and text as an earlier article.
    case exactText = "exact_text"
    /// A cosine at or above the duplicate threshold to an earlier article: wire copy, light rewrite.
    case nearDuplicate = "near_duplicate"
    /// Independent coverage of the same story.
    case sameStory = "same_story"
    /// Alone in its cluster.
    case singleton
}

/// Settings of the clustering stage.
public struct ClusterOptions: Sendable, Hashable {
    /// Average-link threshold: two groups join when the mean cosine over all their cross pairs
    /// reaches it (pairs never scored, below ``pairFloor``, count as zero).
    public var threshold: Float
    /// A cosine at or above this to an earlier article makes an article its near-duplicate.
    public var duplicateThreshold: Float
    /// The lowest cosine the similarity engine reports for linkage. Below the threshold so that a
    /// member's weaker ties to a group still count in its average; by default two thirds of it
    /// (chosen on ECB+ and the synthetic corpora: lower adds pairs without changing clusters).
    public var pairFloor: Float

    /// Two thirds: the share of the threshold used as the pair floor when none is given.
    public static let defaultFloorShare: Float = 2.0 / 3.0
    /// How much of a pair's cosine the linkage discounts per ``decayHours`` between the two
    /// publish times (at most one horizon's worth): coverage of one story comes in a burst, a
    /// look-alike days later is more often another event. 0 turns it off.
    public var timeDecay: Float
    /// The horizon of the decay in hours.
    public var decayHours: Float
    /// What the linkage weighs besides the mean (``AverageLinkage/Evidence``): the time gap
    /// between two groups, and, without times, their sizes. Off by default.
    public var evidence: AverageLinkage.Evidence
    /// The busy-day adjustment: when the median article has more than this many articles
    /// published within 12 hours of it, the threshold is multiplied by
    /// `1 + densityThresholdSlope · ln(density / densityReference)` and every mean gets
    /// `densityPriorPairs · ln(density / densityReference)` phantom zero pairs on top of
    /// ``AverageLinkage/Evidence/priorPairs``. 0 turns it off.
    public var densityReference: Float
    public var densityThresholdSlope: Float
    public var densityPriorPairs: Float
    /// The similarity engine's window in seconds, when the linkage should leave pairs further
    /// apart (never compared) out of its means (``ComparablePairs``); `nil` counts them as zero.
    public var comparisonWindow: Int64?
    /// An article the linkage left alone joins the story of its most similar article when that
    /// cosine reaches this (``Clusterer/attachLoners(label:pairs:threshold:)``): the means ask a
    /// newcomer to resemble every member, and a late or differently angled report of a small
    /// story often resembles only one of them, but closely. 0 turns it off.
    public var attachThreshold: Float
    /// ``Clustering/pairs`` keeps, of an article with more pairs at the story threshold than
    /// this, only its this many best: a swarm of near copies would otherwise list the square of
    /// its size (``Clusterer/reportedPairs(_:threshold:articles:perArticle:)``).
    public var reportedPairsPerArticle = 100

    public init(
        threshold: Float, duplicateThreshold: Float, pairFloor: Float? = nil, timeDecay: Float = 0, decayHours: Float = 72,
        evidence: AverageLinkage.Evidence = AverageLinkage.Evidence(),
        densityReference: Float = 0, densityThresholdSlope: Float = 0, densityPriorPairs: Float = 0,
        comparisonWindow: Int64? = nil, attachThreshold: Float = 0
    ) {
        precondition(duplicateThreshold >= threshold, "duplicates must be at least as similar as a story")
        precondition(timeDecay >= 0 && timeDecay <= 1 && decayHours > 0, "decay between 0 and 1 over a positive horizon")
        precondition(densityReference >= 0 && densityThresholdSlope >= 0 && densityPriorPairs >= 0, "density settings must not be negative")
        precondition(attachThreshold == 0 || attachThreshold >= threshold, "attachment needs at least the story threshold")
        self.threshold = threshold
        self.duplicateThreshold = duplicateThreshold
        self.pairFloor = pairFloor ?? threshold * Self.defaultFloorShare
        self.timeDecay = timeDecay
        self.decayHours = decayHours
        self.evidence = evidence
        self.densityReference = densityReference
        self.densityThresholdSlope = densityThresholdSlope
        self.densityPriorPairs = densityPriorPairs
        self.comparisonWindow = comparisonWindow
        self.attachThreshold = attachThreshold
    }

    /// The window of the density measure: articles published within this many hours of an article.
    public static let densityHours: Int64 = 12

    /// The median, over articles with a publish time, of the number of articles (itself included)
    /// published within ``densityHours`` of it; 0 without times.
    public static func density(_ published: [Int64?]) -> Int {
        let times = published.compactMap { $0 }.sorted()
        guard !times.isEmpty else { return 0 }
        let span = densityHours * 3_600
        var counts = [Int](repeating: 0, count: times.count)
        var low = 0, high = 0
        for (k, t) in times.enumerated() {
            while times[low] < t - span { low += 1 }
            while high < times.count && times[high] <= t + span { high += 1 }
            counts[k] = high - low
        }
        counts.sort()
        return counts[(counts.count - 1) / 2]
    }

    /// The linkage for a corpus whose median article has `density` neighbours within 12 hours:
    /// the threshold and evidence after the busy-day adjustment.
    public func linkage(density: Int) -> AverageLinkage {
        var evidence = evidence
        var threshold = threshold
        if densityReference > 0 && Float(density) > densityReference {
            let excess = log(Double(density) / Double(densityReference))
            threshold *= Float(1 + Double(densityThresholdSlope) * excess)
            evidence.priorPairs += Double(densityPriorPairs) * excess
        }
        return AverageLinkage(threshold: threshold, evidence: evidence, window: comparisonWindow)
    }

    /// The weight the linkage gives a pair: its cosine, discounted by the time between the two.
    public func linkWeight(cosine: Float, _ a: Int64?, _ b: Int64?) -> Float {
        guard timeDecay > 0, let a, let b else { return cosine }
        let horizons = min(Float(abs(a - b)) / (decayHours * 3_600), 1)
        return cosine * (1 - timeDecay * horizons)
    }
}

/// One record's place in the result.
public struct Membership: Sendable, Hashable {
    /// Index into ``Clustering/clusters``.
    public var cluster: Int
    public var relation: Relation
    /// The record it copies (index into ``Clustering/records``), for the duplicate relations.
    public var duplicateOf: Int?
    /// Cosine to the cluster's canonical article (1 for the canonical itself).
    public var similarity: Float
}

/// A story: the records that tell it, and how tightly they hold together.
public struct StoryCluster: Sendable, Hashable {
    /// Stable id derived from the canonical article's id.
    public var id: String
    /// Index of the canonical record.
    public var canonical: Int
    /// Record indices, canonical first, then in canonical-policy order.
    public var members: [Int]
    /// The weakest link of the cluster's maximum spanning tree: the lowest cosine needed to keep
    /// it connected; `nil` for a single record.
    public var minSimilarity: Float?
    /// Mean cosine over all member pairs; `nil` for a single record.
    public var meanSimilarity: Float?
    /// The heaviest terms of the members' summed vectors.
    public var topTerms: [String]
}

/// The clustering of one corpus.
public struct Clustering: Sendable {
    /// The corpus articles (rows of the TF-IDF matrix, same indices) followed by the
    /// `exact_url` duplicates.
    public var records: [Article]
    /// One per record.
    public var memberships: [Membership]
    /// Largest first, then earliest first published, then id.
    public var clusters: [StoryCluster]
    /// Scored pairs at or above the story threshold, over article indices, sorted; of an article
    /// with more than ``ClusterOptions/reportedPairsPerArticle``, only its best.
    public var pairs: [ScoredPair]
    /// Every pair the linkage was given (the engine's pairs at or above the pair floor), sorted:
    /// the population of the similarity histogram in `calibration.csv`.
    public var scoredPairs: [ScoredPair] = []
    /// The median number of articles published within 12 hours of an article (0 without times),
    /// and the threshold and phantom pairs the linkage used after the busy-day adjustment.
    public var density = 0
    public var linkageThreshold: Float = 0
    public var priorPairs: Double = 0
    /// The BLAS work of the stories' cosines (``Gram``): calls, flops and seconds.
    public var denseWork = DenseWork()
}
