public import Vectors

/// Why two articles have the cosine they have: the terms both use, each with its weight in
/// either vector and its product, the term's contribution.
///
/// The vectors are unit length, so the contributions sum to the cosine, and a term's share is
/// its contribution over the cosine. The terms come from ``SparseMatrix/sharedTerms(_:_:)``, the
/// walk that also fills the `shared_terms` column of `pairs.csv`, so an explanation and the
/// reports cannot disagree about which terms matter.
public struct PairExplanation: Sendable {
    /// A term both articles use.
    public struct Term: Sendable, Hashable {
        public var term: String
        /// Its TF-IDF weight in the first article's unit vector.
        public var weightA: Float
        /// Its weight in the second article's.
        public var weightB: Float
        /// `weightA · weightB`: what the term adds to the cosine.
        public var contribution: Float
        /// `contribution / cosine`; 0 when the cosine is 0.
        public var share: Double
    }

    /// The cosine of the two vectors (their dot product).
    public let cosine: Float
    /// Every shared term, largest contribution first (ties in column order).
    public let terms: [Term]
    /// The five largest contributions as `pairs.csv` writes them: `term:contribution; ...`.
    public let sharedTerms: String

    /// Explains rows `a` and `b` of the model's matrix.
    ///
    /// - Complexity: O(nnz(a) + nnz(b) + s log s) for `s` shared terms.
    public init(_ a: Int, _ b: Int, model: TFIDFModel) {
        let matrix = model.matrix
        precondition(a >= 0 && a < matrix.rowCount && b >= 0 && b < matrix.rowCount, "rows of the matrix")
        let cosine = matrix.dot(a, b)
        self.cosine = cosine
        terms = matrix.sharedTerms(a, b).map { shared in
            Term(
                term: model.terms[Int(shared.column)],
                weightA: Self.weight(of: shared.column, row: a, in: matrix),
                weightB: Self.weight(of: shared.column, row: b, in: matrix),
                contribution: shared.contribution,
                share: cosine != 0 ? Double(shared.contribution) / Double(cosine) : 0
            )
        }
        sharedTerms = SharedTerms.describe(a, b, model: model)
    }

    /// The value of `column` in `row`, found by binary search in the row's sorted columns.
    private static func weight(of column: Int32, row: Int, in matrix: SparseMatrix) -> Float {
        var low = matrix.rowStart[row], high = matrix.rowStart[row + 1]
        while low < high {
            let middle = (low + high) / 2
            if matrix.columns[middle] < column { low = middle + 1 } else { high = middle }
        }
        precondition(low < matrix.rowStart[row + 1] && matrix.columns[low] == column, "a shared column is in both rows")
        return matrix.values[low]
    }
}
