import Cluster
import Corpus

extension ReportBuffer {
    /// Appends cluster `index` of `clustering` as an element of the `clusters` array of
    /// `clusters.json`: pretty-printed at nesting level 2, keys in sorted order, absent values as
    /// `null`, numbers as `JSONEncoder` writes them.
    mutating func appendClusterJSON(
        _ index: Int, _ clustering: Clustering, facts: ClusterFacts, days: inout DayCache
    ) throws(JSONNumberError) {
        let cluster = clustering.clusters[index]
        appendIndent(2)
        append("{\n")
        appendKey("canonical_id")
        appendJSONString(facts.canonical.id)
        appendKey("canonical_title", first: false)
        appendJSONString(facts.canonical.title)
        appendKey("cluster_id", first: false)
        appendJSONString(cluster.id)
        appendKey("first_published", first: false)
        appendJSONTimestamp(facts.first, days: &days)
        appendKey("last_published", first: false)
        appendJSONTimestamp(facts.last, days: &days)
        appendKey("mean_similarity", first: false)
        try appendJSONSimilarity(cluster.meanSimilarity)
        appendKey("members", first: false)
        append("[\n")
        for (position, member) in cluster.members.enumerated() {
            if position > 0 { append(",\n") }
            try appendMemberJSON(member, clustering, days: &days)
        }
        append("\n")
        appendIndent(3)
        append("]")
        appendKey("min_similarity", first: false)
        try appendJSONSimilarity(cluster.minSimilarity)
        appendKey("outlets", first: false)
        appendJSONArray(facts.outlets, level: 3)
        appendKey("size", first: false)
        append(cluster.members.count)
        appendKey("top_terms", first: false)
        appendJSONArray(cluster.topTerms, level: 3)
        append("\n")
        appendIndent(2)
        append("}")
    }

    /// One member object, at nesting level 4.
    private mutating func appendMemberJSON(_ member: Int, _ clustering: Clustering, days: inout DayCache) throws(JSONNumberError) {
        let records = clustering.records
        let membership = clustering.memberships[member]
        appendIndent(4)
        append("{\n")
        appendKey("domain", level: 5)
        appendJSONString(records[member].domain)
        appendKey("duplicate_of", level: 5, first: false)
        appendJSONString(membership.duplicateOf.map { clustering.records[$0].id })
        appendKey("id", level: 5, first: false)
        appendJSONString(records[member].id)
        appendKey("published", level: 5, first: false)
        appendJSONTimestamp(records[member].published, days: &days)
        appendKey("publisher", level: 5, first: false)
        appendJSONString(records[member].publisher)
        appendKey("relation", level: 5, first: false)
        appendJSONString(membership.relation.rawValue)
        appendKey("similarity", level: 5, first: false)
        try appendJSONNumber(Rounded(membership.similarity).value)
        appendKey("source", level: 5, first: false)
        appendJSONString { $0.append(records[member].source) }
        appendKey("title", level: 5, first: false)
        appendJSONString(records[member].title)
        appendKey("url", level: 5, first: false)
        appendJSONString(records[member].url)
        append("\n")
        appendIndent(4)
        append("}")
    }

    /// `"key" : ` on its own line at `level`, after a comma unless it is the first key.
    private mutating func appendKey(_ key: StaticString, level: Int = 3, first: Bool = true) {
        if !first { append(",\n") }
        appendIndent(level)
        append(byte: 0x22)
        append(key)
        append("\" : ")
    }

    /// An ISO-8601 time as a JSON string (its characters need no escaping), or `null`.
    private mutating func appendJSONTimestamp(_ seconds: Int64?, days: inout DayCache) {
        guard let seconds else {
            append("null")
            return
        }
        append(byte: 0x22)
        appendTimestamp(seconds, days: &days)
        append(byte: 0x22)
    }

    /// A similarity rounded to six decimals, or `null`.
    private mutating func appendJSONSimilarity(_ value: Float?) throws(JSONNumberError) {
        guard let value else {
            append("null")
            return
        }
        try appendJSONNumber(Rounded(value).value)
    }
}
