import ArgumentParser

/// `report.html`'s options, shared by `cluster` and `report`.
struct HTMLOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Stories report.html shows in full, as cards (the next ones are listed in a table, the rest counted).", valueName: "n"))
    var htmlStories = 200

    func validate() throws {
        guard htmlStories >= 0 && htmlStories <= 100_000 else {
            throw ValidationError("--html-stories must be between 0 and 100000, got \(htmlStories)")
        }
    }
}

/// `--html`: whether `cluster` writes `report.html`.
enum HTMLPageOption: String, ExpressibleByArgument, CaseIterable {
    case page, none
}
