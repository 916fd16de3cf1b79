import Cluster
import Corpus

/// Derived facts about a cluster shared by the CSV and JSON writers.
struct ClusterFacts {
    let canonical: Article
    let first: Int64?
    let last: Int64?
    /// Distinct outlets (publisher, else domain), sorted.
    let outlets: [String]
    let duplicates: Int

    init(_ cluster: StoryCluster, _ clustering: Clustering) {
        // Field by field: a copy of a whole `Article` would retain every string in it.
        let records = clustering.records
        canonical = records[cluster.canonical]
        let times = cluster.members.compactMap { records[$0].published }
        first = times.min()
        last = times.max()
        let names = cluster.members.map { records[$0].publisher.isEmpty ? records[$0].domain : records[$0].publisher }
        outlets = Set(names.filter { !$0.isEmpty }).sorted()
        duplicates = cluster.members.count { clustering.memberships[$0].duplicateOf != nil }
    }
}
