import Cluster
import Corpus

/// What a scored pair turned out to be. (`exact_url` copies are never scored: they share their
/// original's vector.)
enum PairRelation: String {
    case exactText = "exact_text"
    case nearDuplicate = "near_duplicate"
    case sameStory = "same_story"
    /// Scored above the threshold, yet kept in different clusters by the linkage.
    case differentStory = "different_story"

    static func of(_ a: Int, _ b: Int, _ clustering: Clustering) -> PairRelation {
        of(a, b, End(clustering.records[a], clustering.memberships[a]), End(clustering.records[b], clustering.memberships[b]))
    }

    /// What a pair row needs of each record, in one small value: reading it costs one cache miss.
    struct End {
        var published: Int64
        var cluster: Int32
        /// -1 for none.
        var duplicateOf: Int32
        var hasPublished: Bool
        var isExactText: Bool

        init(_ article: Article, _ membership: Membership) {
            published = article.published ?? 0
            hasPublished = article.published != nil
            cluster = Int32(membership.cluster)
            duplicateOf = Int32(membership.duplicateOf ?? -1)
            isExactText = membership.relation == .exactText
        }
    }

    static func of(_ a: Int, _ b: Int, _ x: End, _ y: End) -> PairRelation {
        guard x.cluster == y.cluster else { return .differentStory }
        if x.duplicateOf == b || y.duplicateOf == a || (x.duplicateOf >= 0 && x.duplicateOf == y.duplicateOf) {
            if x.duplicateOf >= 0 && x.isExactText { return .exactText }
            if y.duplicateOf >= 0 && y.isExactText { return .exactText }
            return .nearDuplicate
        }
        return .sameStory
    }
}
