import ArgumentParser
import Corpus
import Foundation
import Report
import StoryPipeline

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

    func run() throws {
        let progress = options.makeProgress()
        var pipeline = Pipeline(settings: options.settings, fieldMap: try options.fieldMap(), progress: progress, outputDirectories: [out],
                                warn: Console.warning)
        var writer = ReportWriter(directory: out, threads: pipeline.settings.threads, formulas: pipeline.settings.csvFormulas)
        writer.htmlStories = html == .none ? nil : page.htmlStories

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
            Foundation.exit(EXIT_SUCCESS)
        } catch let error as CorpusError {
            throw Console.ioFailure("\(error)")
        } catch let error as ReportError {
            throw Console.ioFailure("\(error)")
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
