import Cluster
import Corpus
import Foundation
public import Report
public import StoryPipeline
import Vectors

extension Pipeline {
    /// Clusters shard `index` of `plan`: reads the plan's files for it, keeps the records
    /// published inside its read range (its own range and the window on both sides) and the
    /// undated ones it owns, and runs every stage on them as `cluster` does.
    ///
    /// - Returns: the run, and the `shard.json` to write beside its reports.
    /// - Throws: ``ShardError`` when the index is not in the plan, the window differs from the
    ///   plan's, or an input changed since the plan (its SHA-256); ``CorpusError`` when an
    ///   input is missing.
    public mutating func runShard(_ plan: ShardPlan, planSHA256: String, index: Int) throws -> (result: RunResult, manifest: ShardManifest) {
        guard plan.shards.indices.contains(index) else { throw ShardError.index(index, count: plan.count) }
        guard settings.windowSeconds == plan.windowSeconds else {
            let hours = Double(plan.windowSeconds) / 3_600
            throw ShardError.settings("the plan was made for a window of \(hours) hours (its overlaps); give --window \(hours == hours.rounded() ? String(Int(hours)) : String(hours)) or make the plan again")
        }
        let shard = plan.shards[index]
        let paths = shard.files.map { plan.files[$0].path }
        progress.stage("shard \(index) of \(plan.count): reading \(paths.count) files for \(Self.range(shard.readFrom, shard.readTo))")
        var options = settings.readOptions(fields: fieldMap, excluding: outputDirectories)
        options.keep = { [plan] published, id in plan.keeps(index, published: published, id: id) }
        let input = paths.isEmpty ? Corpus() : try CorpusReader(options: options).read(paths: paths, progress: progress.counter("reading", unit: "files"))
        try Self.check(input, against: plan, files: shard.files)
        // The paths the plan's walk skipped are reported once, by the first shard.
        var corpus = input
        if index == 0 {
            corpus.rejects = plan.skipped.map { Reject(source: SourceLocation(file: $0.path, record: 0), severity: .skipped, reason: $0.reason) } + corpus.rejects
        }
        lap("read")
        progress.stage("read \(corpus.articles.count + corpus.urlDuplicates.count) records of shard \(index)")

        let result = run(corpus)
        let clustering = result.clustering
        let owned = clustering.records.map { plan.owns(index, published: $0.published, id: $0.id) }
        let manifest = ShardManifest(
            planSHA256: planSHA256, index: index, count: plan.count, from: shard.from, to: shard.to,
            settings: try stateParameters(), ownedArticles: owned.count { $0 },
            ownedPairs: Self.ownedBands(clustering, owned: owned, pairFloor: result.parameters.pairFloor))
        return (result, manifest)
    }

    /// Throws when a file the plan lists for the shard is missing or differs from the plan's.
    static func check(_ corpus: Corpus, against plan: ShardPlan, files: [Int]) throws(ShardError) {
        var read: [String: InputFile] = [:]
        for file in corpus.files { read[file.path] = file }
        for index in files {
            let planned = plan.files[index]
            guard !planned.format.isEmpty else { continue }  // not an input format: skipped as before
            guard let found = read[planned.path] else {
                throw .changedInput(path: planned.path, reason: "it cannot be read any more")
            }
            if found.sha256 != planned.sha256 {
                throw .changedInput(path: planned.path, reason: "its SHA-256 is \(found.sha256), the plan has \(planned.sha256): it changed")
            }
        }
    }

    /// The histogram of the scored pairs whose first article (the smaller id) is owned.
    static func ownedBands(_ clustering: Clustering, owned: [Bool], pairFloor: Float) -> [ShardManifest.Band] {
        let width = Calibration.bandMicros
        func band(_ cosine: Float) -> Int { min(max(Int((Double(cosine) * 1e6).rounded()), 0), 999_999) / width }
        var counts = [Int](repeating: 0, count: 1_000_000 / width), together = counts
        let records = clustering.records
        for pair in clustering.scoredPairs {
            let a = Int(pair.first), b = Int(pair.second)
            let first = records[a].id.utf8.lexicographicallyPrecedes(records[b].id.utf8) ? a : b
            guard owned[first] else { continue }
            let k = band(pair.cosine)
            counts[k] += 1
            if clustering.memberships[a].cluster == clustering.memberships[b].cluster { together[k] += 1 }
        }
        return counts.indices.compactMap { k in
            counts[k] == 0 ? nil : ShardManifest.Band(lowMicros: k * width, pairs: counts[k], sameCluster: together[k])
        }
    }

    static func range(_ from: Int64, _ to: Int64) -> String {
        "\(Timestamp.iso8601(from)) to \(Timestamp.iso8601(to))"
    }
}
