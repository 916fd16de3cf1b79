import Cluster
import Corpus
import Vectors

extension ReportWriter {
    /// The columns of `calibration.csv`: one `histogram` row per band, each followed by its
    /// `sample` rows. Band columns are filled on both kinds of row, so that a band's samples
    /// group with it; the count columns only on histogram rows, the pair columns only on samples.
    public static let calibrationColumns = [
        "kind", "band_low", "band_high", "pairs", "same_cluster",
        "cosine", "relation", "id_a", "id_b", "title_a", "title_b", "publisher_a", "publisher_b",
        "published_a", "published_b", "hours_apart",
    ]

    /// Writes `calibration.csv`: the similarity histogram of every scored pair, with samples.
    func writeCalibration(_ result: RunResult, order: ReportOrder, to path: String) throws(ReportError) {
        var table = try CSVTable(path: path, header: Self.calibrationColumns)
        let clustering = result.clustering
        let calibration = Calibration(clustering: clustering, pairFloor: result.parameters.pairFloor, order: order)
        let text = formulas.encode
        for band in calibration.bands {
            let low = Format.decimal(Double(band.lowMicros) / 1e6, places: 2)
            let high = Format.decimal(Double(band.highMicros) / 1e6, places: 2)
            try table.append(["histogram", low, high, String(band.pairs), String(band.sameCluster)]
                + Array(repeating: "", count: Self.calibrationColumns.count - 5))
            for pair in band.samples {
                let a = Int(pair.first), b = Int(pair.second)
                let first = clustering.records[a], second = clustering.records[b]
                var hours = ""
                if let x = first.published, let y = second.published {
                    hours = Format.decimal(Double(abs(x - y)) / 3_600, places: 2)
                }
                try table.append([
                    "sample", low, high, "", "",
                    Format.decimal(pair.cosine),
                    PairRelation.of(a, b, clustering).rawValue,
                    text(first.id), text(second.id),
                    text(first.title), text(second.title),
                    text(first.publisher), text(second.publisher),
                    first.published.map(Timestamp.iso8601) ?? "", second.published.map(Timestamp.iso8601) ?? "",
                    hours,
                ])
            }
        }
        try table.commit()
    }
}
