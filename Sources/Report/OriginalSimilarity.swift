import Cluster
import Vectors

/// The cosine of a copy to the article it copies, which is what a reader of `duplicate_of`
/// wants to see: `similarity` is to the cluster's canonical article, so a near-duplicate of a
/// later original can show 0.38 while it copies that original at 0.93.
enum OriginalSimilarity {
    /// The cosine of `member` to its original; `nil` when it copies nothing. An `exact_url`
    /// copy is the same article read twice and has no row of its own in the matrix: 1.
    static func of(_ member: Int, _ clustering: Clustering, _ matrix: SparseMatrix) -> Float? {
        let membership = clustering.memberships[member]
        guard let original = membership.duplicateOf else { return nil }
        if membership.relation == .exactURL || member >= matrix.rowCount || original >= matrix.rowCount { return 1 }
        return min(1, matrix.dot(member, original))
    }
}
