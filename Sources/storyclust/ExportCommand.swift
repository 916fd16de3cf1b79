import ArgumentParser
import Corpus
import Foundation
import Report
import StoryPipeline
import StoryState

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Writes the usual reports over every stored article (or a time range) with the stored story ids.",
        discussion: """
            Takes the settings update was given (they mark duplicates and measure cohesion); the \
            stories are the stored ones, never clustered again.
            """
    )

    @OptionGroup var options: PipelineOptions

    @OptionGroup var stateOptions: StateOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory for the reports.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Only articles published at or after this time (ISO 8601, RFC 2822 or epoch seconds).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("Only articles published at or before this time; a bare date means its end.", valueName: "date"))
    var to: String?

    var state: String { stateOptions.state }
    var allowParameterChange: Bool { stateOptions.allowParameterChange }
    var html: HTMLPageOption { stateOptions.html }
    var page: HTMLOptions { stateOptions.page }

    func validate() throws {
        guard options.inputs.isEmpty else { throw ValidationError("export reads the state, not input files: drop \(options.inputs.joined(separator: " "))") }
        if let from, Timestamp.parse(from) == nil { throw ValidationError("--from takes a date or time, got '\(from)'") }
        if let to, Timestamp.parse(to) == nil { throw ValidationError("--to takes a date or time, got '\(to)'") }
        if !FileManager.default.fileExists(atPath: state) { throw ValidationError("--state \(state): no such file") }
    }

    /// `--to`: a bare date (no time) stands for its last second.
    var toSeconds: Int64? {
        guard let to, let seconds = Timestamp.parse(to) else { return nil }
        return to.count == 10 && to.filter({ $0 == "-" }).count == 2 ? seconds + 86_399 : seconds
    }

    func run() throws {
        let progress = options.makeProgress()
        var pipeline = Pipeline(settings: options.settings, fieldMap: try options.fieldMap(), progress: progress,
                                outputDirectories: [out], warn: Console.warning)
        var writer = ReportWriter(directory: out, threads: pipeline.settings.threads, formulas: pipeline.settings.csvFormulas)
        writer.htmlStories = html == .none ? nil : page.htmlStories
        do {
            try writer.prepare()
            let store = try StateStore(path: state)
            let parameters = try pipeline.stateParameters()
            if !allowParameterChange, let stored = try store.lastParameters(), stored != parameters {
                throw StateError.parameters(path: state, differences: Pipeline.differences(stored, parameters))
            }
            let result = try pipeline.export(store, from: from.flatMap(Timestamp.parse), to: toSeconds)
            let counts = try pipeline.write(result, with: writer)
            progress.finish()
            if !options.quiet {
                print("storyclust: exported \(counts.articles) articles in \(counts.clusters) stories from \(state) -> \(out)")
            }
        } catch let error as StateError {
            throw UpdateCommand.failure(error)
        } catch let error as ReportError {
            throw Console.reportFailure(error)
        }
    }
}
