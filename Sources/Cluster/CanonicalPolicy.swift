public import Corpus

/// Which article stands for a cluster, and the order of members behind it.
///
/// Earliest published first (articles without a time last); ties go to the higher `quality`
/// (missing last), then to the longer title and text, then to the smaller id. The earliest report
/// is usually the source others copy, which is what an editor wants to link to.
public enum CanonicalPolicy {
    /// Whether `a` comes before `b`.
    public static func precedes(_ a: Article, _ b: Article) -> Bool {
        precedes(Key(a), Key(b))
    }

    /// Article indices in policy order.
    /// - Complexity: O(n log n), each article's text measured once.
    public static func order(_ articles: [Article]) -> [Int] {
        let keys = articles.map(Key.init)
        return articles.indices.sorted { precedes(keys[$0], keys[$1]) }
    }

    /// What the policy compares, measured once per article.
    struct Key {
        let published: Int64?
        let quality: Double?
        let textLength: Int
        let id: String

        init(_ article: Article) {
            published = article.published
            quality = article.quality
            textLength = article.textLength
            id = article.id
        }
    }

    static func precedes(_ a: Key, _ b: Key) -> Bool {
        switch (a.published, b.published) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        switch (a.quality, b.quality) {
        case let (x?, y?) where x != y: return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        if a.textLength != b.textLength { return a.textLength > b.textLength }
        return a.id < b.id
    }
}
