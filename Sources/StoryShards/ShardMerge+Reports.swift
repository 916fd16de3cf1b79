import Corpus
import Report

/// The merged reports that are not stories: calibration samples, pair relations, rejects.
extension ShardMerge {
    /// The merged `calibration.csv`: each band counts the pairs the shards own (each pair once);
    /// its samples are the pairs of smallest hash among the shards' samples, as a single run picks them.
    static func calibration(
        _ shards: [(directory: String, manifest: ShardManifest, summary: ReportReader.RecordedRun)],
        place: [String: (shard: Int32, story: Int32)]
    ) throws -> [AssembledReport.Band] {
        let width = Calibration.bandMicros
        var counts = [Int](repeating: 0, count: 1_000_000 / width), together = counts
        var first = min(max(Int((Double(shards[0].summary.parameters.pairFloor) * 1e6).rounded()), 0), 999_999) / width
        for shard in shards {
            for band in shard.manifest.ownedPairs {
                counts[band.lowMicros / width] += band.pairs
                together[band.lowMicros / width] += band.sameCluster
                first = min(first, band.lowMicros / width)
            }
        }
        var samples = [[ReportedSample]](repeating: [], count: counts.count)
        var seen = Set<String>()
        for shard in shards {
            for var sample in try ReportReader(directory: shard.directory).calibrationSamples() {
                guard seen.insert(sample.idA + "\u{0}" + sample.idB).inserted else { continue }
                let band = min(max(Int(((Double(sample.bandLow) ?? 0) * 1e6).rounded()), 0), 999_999) / width
                if let a = place[sample.idA], let b = place[sample.idB] {
                    sample.relation = Self.relation(sample.relation, together: a.story == b.story)
                }
                samples[band].append(sample)
            }
        }
        return (first..<counts.count).map { band in
            let kept = samples[band].sorted { x, y in
                let hx = Calibration.pairHash(x.idA, x.idB), hy = Calibration.pairHash(y.idA, y.idB)
                return hx != hy ? hx < hy : (x.idA, x.idB) < (y.idA, y.idB)
            }.prefix(Calibration.samplesPerBand).sorted { x, y in
                let cx = Double(x.cosine) ?? 0, cy = Double(y.cosine) ?? 0
                return cx != cy ? cx < cy : (x.idA.utf8.lexicographicallyPrecedes(y.idA.utf8) || (x.idA == y.idA && x.idB.utf8.lexicographicallyPrecedes(y.idB.utf8)))
            }
            return AssembledReport.Band(lowMicros: band * width, pairs: counts[band], sameCluster: together[band], samples: Array(kept))
        }
    }

    /// A pair's relation once its two articles' stories are known.
    static func relation(_ reported: String, together: Bool) -> String {
        guard together else { return "different_story" }
        return reported == "different_story" ? "same_story" : reported
    }

    /// The merged `rejects.csv`: a file's rejects from the first shard that read it, a warning
    /// about an article from the shard that owns the article; in file, then record order.
    static func rejects(
        _ shards: [(directory: String, manifest: ShardManifest, summary: ReportReader.RecordedRun)],
        place: [String: (shard: Int32, story: Int32)], adding renamed: [ReportedReject]
    ) throws -> [ReportedReject] {
        var reporter: [String: Int] = [:]
        var rows: [(row: ReportedReject, shard: Int)] = renamed.map { ($0, 0) }
        for (position, shard) in shards.enumerated() {
            for row in try ReportReader(directory: shard.directory).rejects() {
                if row.severity == Reject.Severity.warning.rawValue, let id = row.id, let owner = place[id] {
                    if Int(owner.shard) == position { rows.append((row, position)) }
                    continue
                }
                if reporter[row.file] == nil { reporter[row.file] = position }
                if reporter[row.file] == position { rows.append((row, position)) }
            }
        }
        return rows.enumerated().sorted { a, b in
            let x = a.element.row, y = b.element.row
            if x.file != y.file { return x.file < y.file }
            if x.record != y.record { return x.record < y.record }
            return a.offset < b.offset
        }.map(\.element.row)
    }
}
