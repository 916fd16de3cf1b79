import ArgumentParser
import Corpus
import Foundation
import StoryPipeline
import StoryShards

/// `storyclust plan`: cuts the inputs into time shards for `cluster --plan` and `merge`.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Cuts the inputs into time shards, each read with the window on both sides, for clustering on many machines.",
        discussion: """
            Reads each input file once (one at a time) for its time range and SHA-256 and writes \
            the plan: the shards' own ranges, the ranges they read, and the files each reads. Then \
            run `storyclust cluster --plan PLAN --shard I --out DIR` for every shard (anywhere the \
            inputs are at the same paths) and `storyclust merge DIR...`. See README, Sharding.
            """
    )

    @Argument(help: ArgumentHelp("Input files and directories.", valueName: "input"))
    var inputs: [String]

    @Option(help: ArgumentHelp("Cut the time span into this many shards of equal length.", valueName: "n"))
    var shards: Int?

    @Option(help: ArgumentHelp("Cut the time span into shards of this many days from the first midnight (UTC).", valueName: "d"))
    var shardDays: Double?

    @Option(name: .shortAndLong, help: ArgumentHelp("The plan file to write.", valueName: "plan.json"))
    var out: String

    @Option(help: ArgumentHelp("The comparison window in hours: the overlap each shard reads on both sides; give cluster the same.", valueName: "hours"))
    var window: Double = 84

    @Option(name: .customLong("field"), help: ArgumentHelp("Read field NAME from input key SOURCE, as cluster does; repeatable.", valueName: "NAME=SOURCE"))
    var fields: [String] = []

    @Option(help: ArgumentHelp("Dotted key of the array of records in a JSON envelope, as cluster takes it.", valueName: "key"))
    var records: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard (shards == nil) != (shardDays == nil) else { throw ValidationError("give one of --shards N or --shard-days D") }
        if let shards, shards < 1 || shards > 100_000 { throw ValidationError("--shards must be between 1 and 100000, got \(shards)") }
        if let shardDays, !(shardDays > 0 && shardDays <= 36_500) { throw ValidationError("--shard-days must be above 0 (and at most 36500), got \(shardDays)") }
        guard window >= 0 && window <= 1_000_000 else { throw ValidationError("--window must be between 0 and 1000000 hours, got \(window)") }
        guard !inputs.contains(CorpusReader.standardInputPath) else {
            throw ValidationError("standard input (-) cannot be planned: every shard must read the inputs again; save it to a file first")
        }
    }

    func run() throws {
        var map = FieldMap.standard
        for spec in fields {
            do { try map.add(spec) } catch { throw ValidationError("--field \(spec): \(error)") }
        }
        var settings = PipelineSettings()
        settings.recordsKey = records
        let cut: ShardPlanner.Cut = shards.map { .count($0) } ?? .days(shardDays ?? 1)
        let planner = ShardPlanner(cut: cut, windowSeconds: Int64(window * 3_600), readOptions: settings.readOptions(fields: map))
        let progress = ProgressLines(enabled: !quiet && isatty(STDERR_FILENO) != 0)
        do {
            let plan = try planner.plan(paths: inputs, progress: progress.counter("planning", unit: "files"))
            progress.finish()
            let data = try plan.encoded()
            let url = URL(fileURLWithPath: out)
            try data.write(to: url, options: .atomic)
            if !quiet {
                let records = plan.files.reduce(0) { $0 + $1.dated + $1.undated }
                let largest = plan.shards.map(\.articlesAtMost).max() ?? 0
                print("""
                    storyclust: \(out): \(plan.count) shards over \(plan.files.count) files (\(records) articles), \
                    each reading \(Console.number(Float(window))) hours on both sides; the largest reads files of \(largest) articles
                    next: storyclust cluster --plan \(out) --shard I --out DIR (I = 0 to \(plan.count - 1)), then storyclust merge DIR...
                    """)
            }
        } catch let error as CorpusError {
            throw Console.ioFailure("\(error)")
        } catch let error as CocoaError {
            throw Console.ioFailure("\(out): \(error.localizedDescription)")
        }
    }
}
