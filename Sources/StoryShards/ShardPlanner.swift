public import Corpus

/// Makes a ``ShardPlan``: reads the input files one at a time (so its memory is that of the
/// largest file, not of the corpus) for their time ranges and fingerprints, then cuts the time
/// span into shards.
public struct ShardPlanner: Sendable {
    /// How the span is cut: into `count` equal shards, or into shards of `days` days from the
    /// midnight (UTC) before the first article.
    public enum Cut: Sendable, Hashable {
        case count(Int)
        case days(Double)
    }

    public var cut: Cut
    public var windowSeconds: Int64
    public var readOptions: ReadOptions

    public init(cut: Cut, windowSeconds: Int64, readOptions: ReadOptions) {
        if case .count(let count) = cut { precondition(count >= 1, "at least one shard") }
        if case .days(let days) = cut { precondition(days > 0, "shards of a positive length") }
        precondition(windowSeconds >= 0, "a window of zero or more seconds")
        self.cut = cut
        self.windowSeconds = windowSeconds
        self.readOptions = readOptions
    }

    /// Reads `paths` and plans the shards.
    ///
    /// - Parameter progress: called after each file with (files read, files in all).
    /// - Throws: ``CorpusError/missingInput(path:)`` for a path that does not exist.
    public func plan(paths: [String], progress: ((Int, Int) -> Void)? = nil) throws(CorpusError) -> ShardPlan {
        let reader = CorpusReader(options: readOptions)
        let walk = try reader.inputFiles(paths: paths)
        var files: [ShardPlan.File] = []
        for (done, path) in walk.files.enumerated() {
            let corpus = try reader.read(paths: [path])
            let times = corpus.articles.compactMap(\.published) + corpus.urlDuplicates.compactMap(\.article.published)
            let all = corpus.articles.count + corpus.urlDuplicates.count
            let input = corpus.files.first
            files.append(ShardPlan.File(
                path: path, format: input?.format ?? "", bytes: input?.bytes ?? 0, sha256: input?.sha256 ?? "",
                records: input?.records ?? 0, first: times.min(), last: times.max(), dated: times.count, undated: all - times.count))
            progress?(done + 1, walk.files.count)
        }
        let skipped = walk.skipped.map { ShardPlan.SkippedPath(path: $0.source.file, reason: $0.reason) }
        return Self.plan(files: files, skipped: skipped, cut: cut, windowSeconds: windowSeconds)
    }

    /// Cuts the span of `files` into shards.
    public static func plan(files: [ShardPlan.File], skipped: [ShardPlan.SkippedPath], cut: Cut, windowSeconds: Int64) -> ShardPlan {
        let first = files.compactMap(\.first).min(), last = files.compactMap(\.last).max()
        var ranges: [(from: Int64, to: Int64)] = []
        if let first, let last {
            switch cut {
            case .count(let count):
                let span = last - first + 1
                let length = max(1, (span + Int64(count) - 1) / Int64(count))
                ranges = (0..<count).map { (first + Int64($0) * length, first + Int64($0 + 1) * length) }
                ranges[count - 1].to = max(ranges[count - 1].to, last + 1)
            case .days(let days):
                let length = max(1, Int64(days * 86_400))
                let start = first >= 0 ? first / 86_400 * 86_400 : (first - 86_399) / 86_400 * 86_400
                let count = Int((last + 1 - start + length - 1) / length)
                ranges = (0..<max(1, count)).map { (start + Int64($0) * length, start + Int64($0 + 1) * length) }
            }
        } else {
            // Nothing dated: the shards split the undated articles by id only.
            let count: Int
            if case .count(let n) = cut { count = n } else { count = 1 }
            ranges = Array(repeating: (0, 0), count: count)
        }
        let shards = ranges.enumerated().map { index, range -> ShardPlan.Shard in
            let readFrom = range.from - windowSeconds, readTo = range.to + windowSeconds
            let reads = files.indices.filter { f in
                let file = files[f]
                if file.undated > 0 { return true }
                if let a = file.first, let b = file.last { return a < readTo && b >= readFrom }
                return index == 0  // no article at all: its rejects are reported by shard 0
            }
            return ShardPlan.Shard(
                index: index, from: range.from, to: range.to, readFrom: readFrom, readTo: readTo, files: reads,
                articlesAtMost: reads.reduce(0) { $0 + files[$1].dated + files[$1].undated })
        }
        return ShardPlan(windowSeconds: windowSeconds, files: files, shards: shards, skipped: skipped)
    }
}
