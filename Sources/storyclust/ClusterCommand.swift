import ArgumentParser
import Corpus
import Foundation
import Report
import StoryPipeline
import StoryShards

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Clusters articles into stories and marks exact and near duplicates.",
        discussion: """
            Reads .md/.markdown/.txt files with YAML front matter, .jsonl/.ndjson, .json and .csv \
            files; directories are walked recursively. Writes articles.csv, clusters.csv, pairs.csv, \
            calibration.csv, rejects.csv, clusters.json, publishers.csv, report.html and summary.json \
            into the output directory.
            """
    )

    @OptionGroup var options: PipelineOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory for the reports.", valueName: "dir"))
    var out = "reports"

    @Option(help: "Write report.html, the page for editors (page), or not (none).")
    var html: HTMLPageOption = .page

    @OptionGroup var page: HTMLOptions

    @Flag(help: "Exit with status 65 when any record was rejected, any file skipped, or no article read.")
    var strict = false

    @Option(help: ArgumentHelp("Cluster one shard of this plan (storyclust plan) instead of the inputs.", valueName: "plan.json"))
    var plan: String?

    @Option(help: ArgumentHelp(
        "The shard of --plan to cluster, from 0.",
        discussion: "Default: the job engine's task index, from \(ShardPlan.indexVariables.joined(separator: ", ")).",
        valueName: "i"))
    var shard: Int?

    func validate() throws {
        if plan == nil, shard != nil { throw ValidationError("--shard needs --plan") }
        if plan != nil, !options.inputs.isEmpty {
            throw ValidationError("with --plan the inputs come from the plan: drop \(options.inputs.joined(separator: " "))")
        }
        if let shard, shard < 0 { throw ValidationError("--shard must be 0 or more, got \(shard)") }
    }

    /// The shard index: `--shard`, else the job engine's variable.
    func shardIndex() throws -> Int {
        if let shard { return shard }
        guard let (variable, value) = ShardPlan.index(fromEnvironment: ProcessInfo.processInfo.environment) else {
            throw Console.usageFailure("--plan needs --shard I, or a job engine's task index in \(ShardPlan.indexVariables.joined(separator: ", "))")
        }
        guard let index = Int(value), index >= 0 else {
            throw Console.usageFailure("\(variable)=\(value) is not a shard index (0 or more)")
        }
        return index
    }

    func run() throws {
        if let plan { return try runShard(plan: plan) }
        let progress = options.makeProgress()
        var (pipeline, writer) = try makeRun(progress)

        do {
            // Fail on an unwritable output directory before doing any work.
            try writer.prepare()
            let result = try pipeline.run()
            let counts = try pipeline.write(result, with: writer)
            progress.finish()

            if !options.quiet {
                print("""
                    storyclust: \(counts.articles) articles from \(result.corpus.files.count) files -> \(counts.clusters) clusters \
                    (\(counts.storiesWithSeveralArticles) with several articles), \(counts.duplicates) duplicates \
                    (\(counts.exactURL) exact URL, \(counts.exactText) exact text, \(counts.nearDuplicate) near), \
                    \(counts.rejected) rejected, \(counts.warnings) warnings, \(String(format: "%.2f", pipeline.clock.total)) s
                    reports: \(out)/articles.csv clusters.csv pairs.csv calibration.csv rejects.csv clusters.json publishers.csv \
                    \(html == .none ? "" : "report.html ")summary.json
                    """)
            }
            if strict, let failure = Self.strictFailure(counts, out: out) {
                Console.error("\(failure) (--strict)")
                throw ExitCode(65)
            }
            // Every report is on disk. Freeing the run's structures one by one (seconds for a
            // month's gigabytes) would only delay the exit: the system takes them back at once.
            // The result is kept alive up to here, or Swift frees it after its last use above.
            withExtendedLifetime(result) { Foundation.exit(EXIT_SUCCESS) }
        } catch let error as CorpusError {
            throw Console.ioFailure("\(error)")
        } catch let error as ReportError {
            throw Console.ioFailure("\(error)")
        }
    }

    /// The pipeline and report writer of a run into `out`, with the options as given.
    private func makeRun(_ progress: ProgressLines) throws -> (Pipeline, ReportWriter) {
        let pipeline = Pipeline(settings: options.settings, fieldMap: try options.fieldMap(), progress: progress, outputDirectories: [out],
                                warn: Console.warning)
        var writer = ReportWriter(directory: out, threads: pipeline.settings.threads, formulas: pipeline.settings.csvFormulas)
        writer.htmlStories = html == .none ? nil : page.htmlStories
        return (pipeline, writer)
    }

    /// `cluster --plan PLAN --shard I`: one shard's reports and its shard.json.
    private func runShard(plan path: String) throws {
        let index = try shardIndex()
        let progress = options.makeProgress()
        var (pipeline, writer) = try makeRun(progress)
        do {
            try writer.prepare()
            let (plan, sha256) = try ShardPlan.load(path)
            let (result, manifest) = try pipeline.runShard(plan, planSHA256: sha256, index: index)
            writer.extraFiles = [(ShardManifest.fileName, try manifest.encoded())]
            let counts = try pipeline.write(result, with: writer)
            progress.finish()
            if !options.quiet {
                print("""
                    storyclust: shard \(index) of \(plan.count): \(counts.articles) articles (\(manifest.ownedArticles) its own) -> \
                    \(counts.clusters) clusters, \(String(format: "%.2f", pipeline.clock.total)) s
                    reports: \(out)/ (with shard.json); merge every shard with storyclust merge
                    """)
            }
            withExtendedLifetime(result) { Foundation.exit(EXIT_SUCCESS) }
        } catch let error as ShardError {
            if case .index = error { throw Console.usageFailure("\(error)") }
            throw Console.dataFailure("\(error)")
        } catch let error as CorpusError {
            throw Console.ioFailure("\(error)")
        } catch let error as ReportError {
            throw Console.reportFailure(error)
        }
    }

    /// What makes a run fail under `--strict`, `nil` when nothing does.
    static func strictFailure(_ counts: RunCounts, out: String) -> String? {
        if counts.rejected > 0 { return "\(counts.rejected) records rejected; see \(out)/rejects.csv" }
        if counts.skippedFiles > 0 { return "\(counts.skippedFiles) files skipped; see \(out)/rejects.csv" }
        if counts.articles == 0 { return "no article was read" }
        return nil
    }
}
