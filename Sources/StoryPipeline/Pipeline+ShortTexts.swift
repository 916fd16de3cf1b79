public import Cluster
import Foundation
public import Vectors

/// What the adaptive threshold and the dense signal know of one vectorization: each article's
/// effective number of terms, and dense vectors for the short ones.
public struct ShortTexts: Sendable {
    public let rule: AdaptiveThreshold
    /// ``SparseMatrix/effectiveTermCounts()`` of the model's rows.
    public let terms: [Float]
    /// Dense vectors of the short articles; `nil` when there are none, the dense weight is 0 or
    /// the table could not be loaded.
    public let dense: DenseSignal?
    /// The engine searches at the pair floor times this (``AdaptiveThreshold/floorFactor(terms:share:)``).
    public let floorFactor: Float
    /// Whether any article is short. Without one every pair's factor is 1, so its link score is
    /// its cosine and the scores need not be computed.
    public let anyShort: Bool
    /// Lowest dense cosine at which a pair the sparse search missed is added.
    public let denseFloor: Float
    /// Articles with a dense vector, and the `cblas_sgemm` work of their candidate search.
    public var denseArticles: Int { dense?.slot.count(where: { $0 >= 0 }) ?? 0 }
    public var denseFlops: Double = 0
    /// Worker threads for the per-pair scores.
    public let threads: Int

    /// The per-pair scores for ``Clusterer/cluster(_:model:pairs:copyGroups:swarms:partition:linkScores:)``;
    /// `nil` when they would all equal the cosines.
    public func linkScores(_ pairs: [ScoredPair]) -> [Float]? {
        anyShort ? rule.linkScores(pairs: pairs, terms: terms, dense: dense, threads: threads) : nil
    }

    /// The pairs whose link score or cosine reaches `floor`: what the linkage can use.
    public func kept(_ pairs: [ScoredPair], floor: Float) -> [ScoredPair] {
        guard anyShort else { return pairs.filter { $0.cosine >= floor } }
        let scores = rule.linkScores(pairs: pairs, terms: terms, dense: dense, threads: threads)
        return pairs.indices.filter { pairs[$0].cosine >= floor || scores[$0] >= floor }.map { pairs[$0] }
    }
}

extension Pipeline {
    /// Measures each article's informative terms and, when some are short, builds their dense
    /// vectors from the bundled word-piece table (a table that cannot be loaded is reported as a
    /// warning and the run goes on with the sparse cosine alone).
    public mutating func shortTexts(_ model: TFIDFModel) -> ShortTexts? {
        guard let rule = settings.adaptiveThreshold else { return nil }
        let terms = model.matrix.effectiveTermCounts()
        let chosen = terms.indices.filter { rule.isShort(terms[$0]) }
        var dense: DenseSignal?
        if rule.denseWeight > 0 && !chosen.isEmpty {
            do {
                let table = try settings.wordPieceTable.map { path throws(WordPieceTable.LoadError) in try WordPieceTable.load(path) }
                    ?? WordPieceTable.bundled()
                dense = DenseSignal(model: model, table: table, chosen: chosen)
            } catch {
                warn("dense signal off: \(error)")
            }
        }
        progress.stage("short texts: \(chosen.count) of \(terms.count) articles")
        return ShortTexts(rule: rule, terms: terms, dense: dense, floorFactor: rule.floorFactor(terms: terms),
                          anyShort: !chosen.isEmpty, denseFloor: settings.denseFloor, threads: settings.threads)
    }

    /// The dense candidates of `shortTexts` inside `window` (the settings' when `nil`) merged
    /// into `found` (a pair both find keeps the engine's cosine; one only the dense search finds
    /// gets its exact sparse cosine), then only the pairs the linkage can use at `floor`.
    public mutating func merge(
        _ found: PairSearch, model: TFIDFModel, published: [Int64?], floor: Float, window: Int64? = nil, shortTexts: inout ShortTexts
    ) -> PairSearch {
        var merged = found
        if let dense = shortTexts.dense {
            let candidates = dense.candidates(published: published, window: window ?? settings.windowSeconds,
                                              floor: shortTexts.denseFloor, threads: settings.threads)
            shortTexts.denseFlops = candidates.flops
            var pairs: [ScoredPair] = []
            pairs.reserveCapacity(found.pairs.count + candidates.pairs.count)
            var i = 0, j = 0
            let old = found.pairs, new = candidates.pairs
            while i < old.count || j < new.count {
                if j == new.count || (i < old.count && (old[i].first, old[i].second) <= (new[j].first, new[j].second)) {
                    if j < new.count && (old[i].first, old[i].second) == (new[j].first, new[j].second) { j += 1 }
                    pairs.append(old[i])
                    i += 1
                } else {
                    let pair = new[j]
                    pairs.append(ScoredPair(first: pair.first, second: pair.second,
                                            cosine: model.matrix.dot(Int(pair.first), Int(pair.second))))
                    j += 1
                }
            }
            merged.pairs = pairs
            lap("dense")
            progress.stage("dense: \(candidates.pairs.count) candidates, \(String(format: "%.2f", candidates.flops / 1e9)) GFLOP")
        }
        merged.pairs = shortTexts.kept(merged.pairs, floor: floor)
        return merged
    }
}
