public import Corpus
public import Foundation

/// A sharded run's manifest (`PLAN.json`): the time shards, the overlap each one reads on both
/// sides, and the input files each one reads.
///
/// A shard *owns* the articles published in its own range `[from, to)`; it also reads the
/// window before and after (`read_from`, `read_to`), so that every pair an owned article could
/// form is scored and clustered in the shard that owns it, and the overlaps tell the merge
/// which clusters of neighbouring shards are one story. An undated article is owned by shard
/// `fnv1a64(id) mod count`. The plan lists files, not records: per file its time range and
/// counts, so a plan for a year of 12 million articles stays a few kilobytes per thousand
/// files; each file's SHA-256 lets a shard refuse an input that changed since.
public struct ShardPlan: Sendable, Codable, Hashable {
    /// One input file: what the planner found in it.
    public struct File: Sendable, Codable, Hashable {
        public var path: String
        public var format: String
        public var bytes: Int
        public var sha256: String
        /// Records read (articles and rejects), as `summary.json` counts them.
        public var records: Int
        /// Earliest and latest publish time of its articles (epoch seconds); `nil` when none is dated.
        public var first: Int64?
        public var last: Int64?
        public var dated: Int
        public var undated: Int

        enum CodingKeys: String, CodingKey {
            case path, format, bytes, sha256, records, first, last, dated, undated
        }

        public var inputFile: InputFile { InputFile(path: path, format: format, bytes: bytes, sha256: sha256, records: records) }
    }

    /// One shard: its own range, the range it reads, and the files it reads (indices into ``files``).
    public struct Shard: Sendable, Codable, Hashable {
        public var index: Int
        /// Own range, `[from, to)` in epoch seconds.
        public var from: Int64
        public var to: Int64
        /// What it reads: its own range and the window on both sides.
        public var readFrom: Int64
        public var readTo: Int64
        public var files: [Int]
        /// Dated articles in its own range are not counted by file; this is the sum of its
        /// files' articles, an upper bound of what it reads.
        public var articlesAtMost: Int

        enum CodingKeys: String, CodingKey {
            case index, from, to, files
            case readFrom = "read_from"
            case readTo = "read_to"
            case articlesAtMost = "articles_at_most"
        }
    }

    public var format = "storyclust-shard-plan"
    public var version = 1
    /// The comparison window the overlaps were made for, in seconds (`cluster --window`).
    public var windowSeconds: Int64
    public var files: [File]
    public var shards: [Shard]
    /// Paths the walk skipped (special files, StoryClust's own reports), for the merged `rejects.csv`.
    public var skipped: [SkippedPath]

    public struct SkippedPath: Sendable, Codable, Hashable {
        public var path: String
        public var reason: String
    }

    enum CodingKeys: String, CodingKey {
        case format, version, files, shards, skipped
        case windowSeconds = "window_seconds"
    }

    public var count: Int { shards.count }

    /// The shard that owns an article: by publish time, or by the hash of its id when undated.
    public func owner(published: Int64?, id: String) -> Int {
        guard let published else { return Self.undatedOwner(id, count: count) }
        // Shards are in time order and cover every dated article of the plan; a time outside
        // them (an input changed since) goes to the nearest end.
        var low = 0, high = shards.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if shards[middle].from <= published { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// `fnv1a64(id) mod count`: spread undated articles evenly, the same on every machine.
    public static func undatedOwner(_ id: String, count: Int) -> Int {
        Int(StableHash.fnv1a64(id.utf8) % UInt64(count))
    }

    /// Whether shard `index` keeps a record: dated inside its read range, or undated and its own.
    public func keeps(_ index: Int, published: Int64?, id: String) -> Bool {
        guard let published else { return Self.undatedOwner(id, count: count) == index }
        return published >= shards[index].readFrom && published < shards[index].readTo
    }

    /// Whether shard `index` owns an article (its row in the shard's reports).
    public func owns(_ index: Int, published: Int64?, id: String) -> Bool {
        owner(published: published, id: id) == index
    }

    /// The file that reports a file's rejects in a merge: the first shard that reads it.
    public func reporter(ofFile file: Int) -> Int {
        shards.first { $0.files.contains(file) }?.index ?? 0
    }

    // MARK: - Reading and writing

    /// The plan as written: pretty JSON with sorted keys, so the same inputs give the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a plan file and its SHA-256 (which every shard records, so that the merge knows
    /// its shards come from one plan).
    public static func load(_ path: String) throws(ShardError) -> (plan: ShardPlan, sha256: String) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .plan(path: path, reason: "cannot read the plan: \((error as NSError).localizedDescription)")
        }
        let plan: ShardPlan
        do {
            plan = try JSONDecoder().decode(ShardPlan.self, from: data)
        } catch {
            throw .plan(path: path, reason: "not a storyclust shard plan (\(error))")
        }
        guard plan.format == "storyclust-shard-plan", plan.version == 1, !plan.shards.isEmpty else {
            throw .plan(path: path, reason: "not a storyclust shard plan of version 1")
        }
        return (plan, StableHash.sha256Hex(data))
    }
}

extension ShardPlan {
    /// The variables job engines set to a task's index in an array of tasks, in the order looked at.
    public static let indexVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"]

    /// The shard index a job engine gave this task: the first of ``indexVariables`` that is set.
    ///
    /// - Returns: the variable and its value, or `nil` when none is set.
    public static func index(fromEnvironment environment: [String: String]) -> (variable: String, value: String)? {
        for name in indexVariables {
            if let value = environment[name], !value.isEmpty { return (name, value) }
        }
        return nil
    }
}
