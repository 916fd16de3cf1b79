import ArgumentParser
import Foundation
import Report
import StoryPipeline
import StoryShards
import Vectors

/// `storyclust merge`: one set of stories from the reports of every shard of a plan.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Joins the reports of every shard of a plan into one set of stories.",
        discussion: """
            Reads each shard's reports (not the inputs) and joins the clusters that share articles \
            in the overlaps, by the rule of the daily runs; every article is taken once, from the \
            shard that owns it. Writes the same reports as cluster. See README, Sharding.
            """
    )

    @Argument(help: ArgumentHelp("The shards' report directories, in any order.", valueName: "shard-dir"))
    var directories: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory for the merged reports.", valueName: "dir"))
    var out = "reports"

    @Option(help: "Write report.html, the page for editors (page), or not (none).")
    var html: HTMLPageOption = .page

    @OptionGroup var page: HTMLOptions

    @Option(help: ArgumentHelp(
        "CSV report cells of input text that start with = + - @, tab, CR or ': neutralize (prefix a ') or keep.",
        valueName: "policy"))
    var csvFormulas: CSVFormulasOption = .neutralize

    @Flag(help: "Show progress on standard error even when it is not a terminal.")
    var progress = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard !directories.isEmpty else { throw ValidationError("give the report directories of the shards") }
    }

    func run() throws {
        let lines = ProgressLines(enabled: !quiet && (progress || isatty(STDERR_FILENO) != 0))
        var writer = ReportWriter(directory: out, threads: 1, formulas: csvFormulas.policy)
        writer.htmlStories = html == .none ? nil : page.htmlStories
        var clock = StageClock()
        do {
            try writer.prepare()
            var report = try ShardMerge(directories: directories).assemble(progress: lines)
            clock.lap("assemble")
            let counts = try writer.writeAssembled(&report) {
                clock.lap("report")
                return RunFacts(stageSeconds: clock.laps, threads: 1, blas: BLAS.info)
            }
            lines.finish()
            if !quiet {
                print("""
                    storyclust: merged \(report.parts.count) shards: \(counts.articles) articles -> \(counts.clusters) clusters \
                    (\(counts.storiesWithSeveralArticles) with several articles), \(counts.pairs) pairs, \(String(format: "%.2f", clock.total)) s
                    reports: \(out)/articles.csv clusters.csv pairs.csv calibration.csv rejects.csv clusters.json publishers.csv \
                    \(html == .none ? "" : "report.html ")summary.json
                    """)
            }
        } catch let error as ShardError {
            throw Console.dataFailure("\(error)")
        } catch let error as ReportError {
            throw Console.reportFailure(error)
        }
    }
}
