import Cluster
import Corpus
import Vectors

extension EditorialReport {
    /// The stories, rejects and inputs of a run, members in the order the reports list them.
    init(_ result: RunResult, facts: [ClusterFacts], order: ReportOrder) {
        let clustering = result.clustering, matrix = result.model.matrix
        let records = clustering.records
        stories = clustering.clusters.indices.map { index in
            let cluster = clustering.clusters[index], facts = facts[index]
            let members = order.members(cluster).map { member in
                let membership = clustering.memberships[member]
                return Member(
                    id: records[member].id, title: records[member].title, publisher: records[member].publisher,
                    domain: records[member].domain, url: records[member].url, published: records[member].published,
                    relation: membership.relation.rawValue, duplicateOf: membership.duplicateOf.map { records[$0].id },
                    similarity: Rounded(membership.similarity).value,
                    similarityToOriginal: OriginalSimilarity.of(member, clustering, matrix).map { Rounded($0).value })
            }
            return Story(
                id: cluster.id, members: members, outlets: facts.outlets, first: facts.first, last: facts.last,
                topTerms: cluster.topTerms, duplicates: facts.duplicates)
        }
        rejects = result.corpus.rejects.map {
            Reject(
                file: $0.source.file, line: $0.source.line.map(String.init) ?? "",
                record: $0.source.record > 0 ? String($0.source.record) : "", severity: $0.severity.rawValue, reason: $0.reason)
        }
        inputs = result.corpus.files.map { Input(path: $0.path, format: $0.format, records: $0.records) }
        version = StoryClustVersion.current
    }
}
