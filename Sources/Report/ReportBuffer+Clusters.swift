import Cluster
import Corpus

extension ReportBuffer {
    /// Appends cluster `index` of `clustering` as an element of the `clusters` array of
    /// `clusters.json`: one line without spaces, keys in sorted order, absent values as `null`,
    /// numbers as `JSONEncoder` writes them (what `JSONEncoder` with `.sortedKeys` makes of it).
    mutating func appendClusterJSON(
        _ index: Int, _ clustering: Clustering, members: [Int], facts: ClusterFacts, days: inout DayCache
    ) throws(JSONNumberError) {
        let cluster = clustering.clusters[index]
        appendKey("canonical_id", first: true)
        appendJSONString(facts.canonical.id)
        appendKey("canonical_title")
        appendJSONString(facts.canonical.title)
        appendKey("cluster_id")
        appendJSONString(cluster.id)
        appendKey("first_published")
        appendJSONTimestamp(facts.first, days: &days)
        appendKey("last_published")
        appendJSONTimestamp(facts.last, days: &days)
        appendKey("mean_similarity")
        try appendJSONSimilarity(cluster.meanSimilarity)
        appendKey("members")
        append(byte: UInt8(ascii: "["))
        for (position, member) in members.enumerated() {
            if position > 0 { append(byte: UInt8(ascii: ",")) }
            try appendMemberJSON(member, clustering, days: &days)
        }
        append(byte: UInt8(ascii: "]"))
        appendKey("min_similarity")
        try appendJSONSimilarity(cluster.minSimilarity)
        appendKey("outlets")
        appendJSONArray(facts.outlets)
        appendKey("size")
        append(cluster.members.count)
        appendKey("top_terms")
        appendJSONArray(cluster.topTerms)
        append(byte: UInt8(ascii: "}"))
    }

    /// One member object.
    private mutating func appendMemberJSON(_ member: Int, _ clustering: Clustering, days: inout DayCache) throws(JSONNumberError) {
        let records = clustering.records
        let membership = clustering.memberships[member]
        appendKey("domain", first: true)
        appendJSONString(records[member].domain)
        appendKey("duplicate_of")
        appendJSONString(membership.duplicateOf.map { clustering.records[$0].id })
        appendKey("id")
        appendJSONString(records[member].id)
        appendKey("published")
        appendJSONTimestamp(records[member].published, days: &days)
        appendKey("publisher")
        appendJSONString(records[member].publisher)
        appendKey("relation")
        appendJSONString(membership.relation.rawValue)
        appendKey("similarity")
        try appendJSONNumber(Rounded(membership.similarity).value)
        appendKey("source")
        appendJSONString { $0.append(records[member].source) }
        appendKey("title")
        appendJSONString(records[member].title)
        appendKey("url")
        appendJSONString(records[member].url)
        append(byte: UInt8(ascii: "}"))
    }

    /// `"key":`, after `{` for the first key of an object and after a comma for the others.
    private mutating func appendKey(_ key: StaticString, first: Bool = false) {
        append(byte: first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        append(byte: 0x22)
        append(key)
        append("\":")
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
