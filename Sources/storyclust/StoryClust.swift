import ArgumentParser
import Report

@main
struct StoryClust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storyclust",
        abstract: "Finds the same news story told by many outlets.",
        discussion: """
            With no arguments, runs `storyclust cluster data/ --out reports/`.
            Exit codes: 0 success, 64 bad usage, 65 rejected records under --strict, 74 I/O errors.
            """,
        version: StoryClustVersion.current,
        subcommands: [ClusterCommand.self],
        defaultSubcommand: ClusterCommand.self
    )
}
