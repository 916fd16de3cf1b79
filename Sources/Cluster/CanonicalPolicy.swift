public import Corpus

/// Which article stands for a cluster, and the order of members behind it.
///
/// Earliest published first (articles without a time last); ties go to the higher `quality`
/// (missing last), then to the longer title and text, then to the smaller id. The earliest report
/// is usually the source others copy, which is what an editor wants to link to.
public enum CanonicalPolicy {
    /// Whether `a` comes before `b`.
    public static func precedes(_ a: Article, _ b: Article) -> Bool {
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
