import Glibc
public import Vectors

/// The story threshold adapted, per pair, to how much text the two articles carry and to how
/// well they match anything else in the corpus, with nothing to set (README, "Short texts").
///
/// Two headlines of one story share a word or two and meet at a cosine of 0.1 to 0.3; two full
/// articles at 0.3 to 0.8. So a pair's evidence is boosted when both hold for it:
/// - *short text*: the shorter article has fewer than ``referenceTerms`` effective terms
///   (``SparseMatrix/effectiveTermCounts()``: a headline has 4 to 8, a first sentence 10 to 20,
///   a title with an excerpt 15 to 30, a full article 40 or more). The shorter text bounds what
///   the cosine can reach, so it caps the boost at `1 / factor`, with factor
///   `max(lowestFactor, (terms / referenceTerms)^exponent)`;
/// - *weak neighbourhood*: the geometric mean of the two articles' best cosines to any article
///   (from the corpus's own pairs) is below ``neighbourReference``. A short text whose best
///   match is strong already needs no help (wire copies, formulaic titles); one whose best match
///   is weak is one the sparse cosine under-rates. The boost is `neighbourReference / that mean`.
///
/// A pair's score is its cosine times `min(1 / factor, max(1, neighbourReference / mean))`:
/// the same as lowering the threshold for that pair alone, to at most ``lowestFactor`` of it.
/// Long pairs are never touched, so full text clusters as before, and a feed mixing headlines
/// with full articles treats each pair by its own texts (a headline with its full article is
/// a short pair, by the shorter text).
///
/// With ``denseWeight`` above 0, a short pair's cosine is first blended with its
/// ``DenseSignal`` cosine: `(1 − denseWeight) · cosine + denseWeight · max(dense, 0)`. Off by
/// default: on the sets measured it added nothing the sparse cosine did not know (QUALITY.md).
public struct AdaptiveThreshold: Sendable, Hashable {
    /// Effective terms of the shorter article at and above which a pair keeps its plain cosine.
    public var referenceTerms: Float
    public var exponent: Float
    /// The smallest factor: a pair's threshold is never lowered below this share of it.
    public var lowestFactor: Float
    /// The neighbourhood cosine below which a short pair is boosted.
    public var neighbourReference: Float
    /// The dense cosine's share of a short pair's score; 0 leaves the dense signal out.
    public var denseWeight: Float

    public init(
        referenceTerms: Float = 10, exponent: Float = 0.8, lowestFactor: Float = 0.6, neighbourReference: Float = 0.5,
        denseWeight: Float = 0
    ) {
        precondition(referenceTerms > 0 && exponent >= 0, "a positive reference")
        precondition(lowestFactor > 0 && lowestFactor <= 1, "a factor in (0, 1]")
        precondition(neighbourReference >= 0 && neighbourReference <= 1, "a cosine")
        precondition(denseWeight >= 0 && denseWeight <= 1, "a share in [0, 1]")
        self.referenceTerms = referenceTerms
        self.exponent = exponent
        self.lowestFactor = lowestFactor
        self.neighbourReference = neighbourReference
        self.denseWeight = denseWeight
    }

    /// The lowest share of the threshold a pair of articles with `a` and `b` effective terms
    /// can get: 1 when the shorter one has ``referenceTerms`` or more, down to ``lowestFactor``.
    public func factor(_ a: Float, _ b: Float) -> Float {
        let terms = min(a, b)
        guard terms < referenceTerms else { return 1 }
        return max(lowestFactor, pow(terms / referenceTerms, exponent))
    }

    /// Whether an article with `terms` effective terms makes every pair it is in a short pair
    /// (the dense signal is computed for these only).
    public func isShort(_ terms: Float) -> Bool { terms < referenceTerms }

    /// The factor at the `share` quantile of the articles' own factors: the engine searches at
    /// the pair floor times this, so that the short pairs of a corpus are found at their lower
    /// floor while a corpus of long texts is searched exactly as before.
    public func floorFactor(terms: [Float], share: Double = 0.1) -> Float {
        guard !terms.isEmpty else { return 1 }
        let factors = terms.map { factor($0, $0) }.sorted()
        return factors[min(factors.count - 1, Int(Double(factors.count) * share))]
    }

    /// Per pair (sorted, as the engine gives them), the score the linkage uses
    /// (``Clusterer/cluster(_:model:pairs:copyGroups:swarms:linkScores:)``). Each article's
    /// best cosine is taken over these pairs, so the result depends on the pairs only, not on
    /// their order or the thread count.
    public func linkScores(pairs: [ScoredPair], terms: [Float], dense: DenseSignal?, threads: Int = 1) -> [Float] {
        var best = [Float](repeating: 0, count: terms.count)
        for pair in pairs {
            best[Int(pair.first)] = max(best[Int(pair.first)], pair.cosine)
            best[Int(pair.second)] = max(best[Int(pair.second)], pair.cosine)
        }
        // Each score is its pair's alone: the same whatever the threads.
        return Parallel.map(pairs.count, threads: threads, grain: 16_384) { [best] k in
            let pair = pairs[k]
            let a = Int(pair.first), b = Int(pair.second)
            let factor = factor(terms[a], terms[b])
            guard factor < 1 else { return pair.cosine }
            var score = pair.cosine
            if denseWeight > 0, let cosine = dense?.cosine(a, b) {
                score = (1 - denseWeight) * pair.cosine + denseWeight * max(cosine, 0)
            }
            let neighbourhood = (best[a] * best[b]).squareRoot()
            let boost = neighbourhood > 0 ? max(1, neighbourReference / neighbourhood) : .infinity
            return score * min(1 / factor, boost)
        }
    }
}
