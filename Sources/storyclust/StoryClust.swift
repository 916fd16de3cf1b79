import ArgumentParser
import Report

@main
struct StoryClust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storyclust",
        abstract: "Finds the same news story told by many outlets.",
        discussion: """
            With no arguments, runs `storyclust cluster data/ --out reports/`.
            Exit codes: 0 success, 64 bad usage (including an unknown id for explain), 65 data errors \
            (rejected records under --strict, no labels to score, a malformed report), 74 I/O errors.
            """,
        version: StoryClustVersion.current,
        subcommands: [ClusterCommand.self, EvaluateCommand.self, TuneCommand.self, ExplainCommand.self, ReportCommand.self, ProbeCommand.self, UpdateCommand.self, ExportCommand.self, PlanCommand.self, MergeCommand.self],
        defaultSubcommand: ClusterCommand.self
    )
}
