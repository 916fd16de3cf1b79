public import Evaluation

/// One setting of a parameter sweep and how its clusters scored against the labels.
public struct TuningRow: Sendable, Hashable {
    public var nameWeight: Float
    public var timeDecay: Float
    public var threshold: Float
    public var pairFloor: Float
    public var scores: PartitionScores

    public init(nameWeight: Float, timeDecay: Float, threshold: Float, pairFloor: Float, scores: PartitionScores) {
        self.nameWeight = nameWeight
        self.timeDecay = timeDecay
        self.threshold = threshold
        self.pairFloor = pairFloor
        self.scores = scores
    }
}

/// The table `tune` writes: one row per setting, the scores at six decimals.
public enum TuningTable {
    public static let columns = [
        "name_weight", "time_decay", "threshold", "pair_floor",
        "bcubed_precision", "bcubed_recall", "bcubed_f1", "pairwise_precision", "pairwise_recall", "pairwise_f1",
        "ari", "nmi", "clusters", "true_stories", "articles", "unlabelled", "best",
    ]

    /// Writes the rows as CSV to `path`, atomically; `best` marks one row `true`.
    public static func write(_ rows: [TuningRow], best: Int?, to path: String) throws(ReportError) {
        var table = try CSVTable(path: path, header: columns)
        for (index, row) in rows.enumerated() {
            try table.append(fields(row) + [index == best ? "true" : "false"])
        }
        try table.commit()
    }

    /// A row's values as the CSV writes them (without `best`).
    public static func fields(_ row: TuningRow) -> [String] {
        let s = row.scores
        return [
            Format.decimal(row.nameWeight, places: 2), Format.decimal(row.timeDecay, places: 2),
            Format.decimal(row.threshold, places: 3), Format.decimal(row.pairFloor, places: 4),
        ] + [s.bcubedPrecision, s.bcubedRecall, s.bcubedF1, s.pairwisePrecision, s.pairwiseRecall, s.pairwiseF1, s.ari, s.nmi]
            .map { Format.decimal($0) }
            + [String(s.predictedClusters), String(s.trueStories), String(s.articles), String(s.unlabelled)]
    }
}
