import ArgumentParser
import Cluster
import Corpus
import Foundation
import Report
import StoryPipeline
import StoryState

struct UpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Adds new articles to a state file and clusters them with the stored ones inside the window.",
        discussion: """
            Articles already stored (same id) are skipped; another record of a stored URL is kept as its \
            exact_url copy, and a changed, not older text of it replaces the stored text. Stories keep their ids across runs: see README, Daily runs. \
            The first update on a missing state file is a full run. With --out, writes the window's \
            reports with cluster_id the stable story id, and changes.csv.
            """
    )

    @OptionGroup var options: PipelineOptions

    @OptionGroup var stateOptions: StateOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory for the window's reports (none without it).", valueName: "dir"))
    var out: String?

    var state: String { stateOptions.state }
    var allowParameterChange: Bool { stateOptions.allowParameterChange }
    var html: HTMLPageOption { stateOptions.html }
    var page: HTMLOptions { stateOptions.page }

    func run() throws {
        let progress = options.makeProgress()
        var pipeline = Pipeline(settings: options.settings, fieldMap: try options.fieldMap(), progress: progress,
                                outputDirectories: out.map { [$0] } ?? [], warn: Console.warning)
        do {
            var writer = out.map { ReportWriter(directory: $0, threads: pipeline.settings.threads, formulas: pipeline.settings.csvFormulas) }
            writer?.htmlStories = html == .none ? nil : page.htmlStories
            try writer?.prepare()
            let store = try StateStore(path: state)
            let outcome = try pipeline.update(store, allowParameterChange: allowParameterChange)
            guard let result = outcome.result else {
                progress.finish()
                if !options.quiet, let run = outcome.run {
                    print("storyclust: run \(run): 0 new, 0 updated, \(outcome.seenArticles) already seen, "
                        + "\(outcome.newCopies) exact_url copies of stored articles kept beside them; no story changed, no reports written")
                } else if !options.quiet {
                    print("storyclust: nothing new: \(outcome.seenArticles) articles already in \(state), "
                        + "\(outcome.corpus.rejects.count { $0.severity == .rejected }) rejected; state unchanged, no reports written")
                }
                return
            }
            if var writer {
                writer.extraFiles = [("changes.csv", StoryChange.csv(outcome.changes))]
                _ = try pipeline.write(result, with: writer)
            }
            progress.finish()
            if !options.quiet {
                let kinds = Dictionary(grouping: outcome.changes, by: \.kind).mapValues(\.count)
                let summary = StoryChange.Kind.allCases.map { "\(kinds[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                print("""
                    storyclust: run \(outcome.run ?? 0): \(outcome.newArticles) new, \(outcome.updatedArticles) updated, \
                    \(outcome.seenArticles) already seen, \(outcome.newCopies) exact_url copies of stored articles; \(outcome.windowArticles) articles in the window -> \
                    \(result.clustering.clusters.count) stories (\(summary)), \(String(format: "%.2f", pipeline.clock.total)) s
                    """ + (out.map { "\nreports: \($0)/articles.csv clusters.csv changes.csv ..." } ?? ""))
            }
        } catch let error as StateError {
            throw Self.failure(error)
        } catch let error as CorpusError {
            throw Console.ioFailure("\(error)")
        } catch let error as ReportError {
            throw Console.reportFailure(error)
        }
    }

    /// 65 for a file that is not a usable state (schema, settings), 74 when SQLite fails.
    static func failure(_ error: StateError) -> ExitCode {
        if case .database = error { return Console.ioFailure("\(error)") }
        return Console.dataFailure("\(error)")
    }
}

/// The options `update` and `export` share: the state file, the settings check and the page.
struct StateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The state file (SQLite); update creates it when missing.", valueName: "file"))
    var state: String

    @Flag(help: "Go on when the clustering settings differ from the ones the state was built with.")
    var allowParameterChange = false

    @Option(help: "Write report.html, the page for editors (page), or not (none).")
    var html: HTMLPageOption = .page

    @OptionGroup var page: HTMLOptions
}
