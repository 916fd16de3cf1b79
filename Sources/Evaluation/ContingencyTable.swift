/// How two partitions of the same items overlap: the counts every external clustering score is
/// built from.
///
/// Item `i` is in true class `truth[i]` and predicted cluster `predicted[i]`. A `nil` on either
/// side puts the item in a class of its own: an article without a label is its own story, an
/// article missing from a prediction its own cluster (as `score.py` scores it), so neither is
/// silently dropped nor lumped together with the others like it.
///
/// Classes are numbered in order of first appearance and cells kept sorted, so every sum over
/// the table runs in the same order on every run and the scores are bit-for-bit reproducible.
public struct ContingencyTable: Sendable, Hashable {
    /// One non-empty cell: the items in true class `truth` and predicted cluster `predicted`.
    public struct Cell: Sendable, Hashable {
        public var truth: Int
        public var predicted: Int
        public var count: Int
    }

    /// The number of items, `n`.
    public let itemCount: Int
    /// Items per true class, indexed by class number.
    public let truthSizes: [Int]
    /// Items per predicted cluster, indexed by cluster number.
    public let predictedSizes: [Int]
    /// The non-empty cells, sorted by `(truth, predicted)`.
    public let cells: [Cell]
    /// Items whose true class was `nil`.
    public let unlabelledCount: Int
    /// Items whose predicted cluster was `nil`.
    public let unpredictedCount: Int

    /// Counts how the two labellings of the same items overlap.
    ///
    /// - Parameters:
    ///   - truth: each item's true class, `nil` for an item that is a class of its own.
    ///   - predicted: each item's predicted cluster, `nil` for an item that is a cluster of its own.
    /// - Complexity: O(n) expected, plus O(c log c) to sort the `c` non-empty cells.
    public init<T: Hashable, P: Hashable>(truth: [T?], predicted: [P?]) {
        precondition(truth.count == predicted.count, "one true class and one predicted cluster per item")
        let (truthCodes, truthSizes, unlabelled) = Self.encode(truth)
        let (predictedCodes, predictedSizes, unpredicted) = Self.encode(predicted)
        var counts: [Int: Int] = [:]
        for (t, p) in zip(truthCodes, predictedCodes) {
            counts[t * predictedSizes.count + p, default: 0] += 1
        }
        let width = predictedSizes.count
        cells = counts.keys.sorted().map { Cell(truth: $0 / width, predicted: $0 % width, count: counts[$0]!) }
        itemCount = truth.count
        self.truthSizes = truthSizes
        self.predictedSizes = predictedSizes
        unlabelledCount = unlabelled
        unpredictedCount = unpredicted
    }

    /// Class numbers in order of first appearance (each `nil` a new class), the class sizes and
    /// the number of `nil`s.
    private static func encode<L: Hashable>(_ labels: [L?]) -> (codes: [Int], sizes: [Int], nils: Int) {
        var number: [L: Int] = [:]
        var codes: [Int] = []
        codes.reserveCapacity(labels.count)
        var sizes: [Int] = []
        var nils = 0
        for label in labels {
            let code: Int
            if let label {
                if let known = number[label] {
                    code = known
                } else {
                    code = sizes.count
                    number[label] = code
                    sizes.append(0)
                }
            } else {
                code = sizes.count
                sizes.append(0)
                nils += 1
            }
            sizes[code] += 1
            codes.append(code)
        }
        return (codes, sizes, nils)
    }
}
