import Corpus
import Vectors

extension Clusterer {
    /// The pairs at or above `threshold` that are among the `perArticle` best of either of their
    /// articles (highest cosine first, ties to the partner with the smaller id), in the order of
    /// `pairs`.
    ///
    /// Every pair of an article with at most `perArticle` pairs is kept, so this only thins the
    /// pairs of dense blocks (near copies by the thousand), to at most `perArticle` per article.
    /// - Complexity: O(P log P) for the P pairs at the threshold.
    static func reportedPairs(_ pairs: [ScoredPair], threshold: Float, articles: [Article], perArticle limit: Int) -> [ScoredPair] {
        let atThreshold = pairs.filter { $0.cosine >= threshold }
        let n = articles.count
        var degree = [Int](repeating: 0, count: n)
        for pair in atThreshold {
            degree[Int(pair.first)] += 1
            degree[Int(pair.second)] += 1
        }
        guard degree.contains(where: { $0 > limit }) else { return atThreshold }

        // The pairs of each article over the limit, by pair index.
        var start = [Int](repeating: 0, count: n + 1)
        for article in 0..<n { start[article + 1] = start[article] + (degree[article] > limit ? degree[article] : 0) }
        var fill = start
        var listed = [Int32](repeating: 0, count: start[n])
        var keep = [Bool](repeating: false, count: atThreshold.count)
        for (index, pair) in atThreshold.enumerated() {
            let a = Int(pair.first), b = Int(pair.second)
            keep[index] = degree[a] <= limit || degree[b] <= limit
            for article in [a, b] where degree[article] > limit {
                listed[fill[article]] = Int32(index)
                fill[article] += 1
            }
        }
        fill = []
        for article in 0..<n where degree[article] > limit {
            var mine = listed[start[article]..<start[article + 1]]
            func partner(_ pair: ScoredPair) -> Int { Int(pair.first) == article ? Int(pair.second) : Int(pair.first) }
            mine.sort { x, y in
                let p = atThreshold[Int(x)], q = atThreshold[Int(y)]
                return p.cosine != q.cosine ? p.cosine > q.cosine : articles[partner(p)].id < articles[partner(q)].id
            }
            for index in mine.prefix(limit) { keep[Int(index)] = true }
        }
        return atThreshold.indices.compactMap { keep[$0] ? atThreshold[$0] : nil }
    }
}
