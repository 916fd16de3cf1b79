import ArgumentParser
import Report

/// `storyclust report DIR`: renders `report.html` again from a reports directory.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Renders report.html again from an existing reports directory, without clustering.",
        discussion: """
            Reads clusters.json, rejects.csv and summary.json of DIR (as `cluster` wrote them, or \
            filtered in a notebook: a cluster is one line of clusters.json) and replaces DIR/report.html.
            """
    )

    @Argument(help: ArgumentHelp("A reports directory written by `storyclust cluster`.", valueName: "dir"))
    var directory: String

    @OptionGroup var html: HTMLOptions

    func run() throws {
        do throws(ReportError) {
            let (stories, bytes) = try ReportPage.rerender(directory: directory, stories: html.htmlStories)
            print("storyclust: \(directory)/report.html: \(stories) stories, \(bytes) bytes")
        } catch {
            throw Console.reportFailure(error)
        }
    }
}
