import ArgumentParser
import Corpus
import Foundation
import Evaluation

/// Where the true story labels are, for the commands that score clusters against them.
struct LabelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Input key holding each article's true story (a column or a dotted path).",
        discussion: "Articles without one count as stories of their own and are counted in the output.",
        valueName: "key"))
    var labelField = "story"

    func validate() throws {
        guard !labelField.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--label-field needs the input key of the story labels, e.g. --label-field story")
        }
    }
}

extension PartitionScores {
    /// Refuses to score labels that are all missing: the label field is then almost surely wrong,
    /// and every article alone would make meaningless numbers.
    static func checkLabels(_ labels: [String?], field: String) throws(ExitCode) {
        guard !labels.isEmpty else {
            throw Console.dataFailure("no articles to score")
        }
        guard labels.contains(where: { $0 != nil }) else {
            throw Console.dataFailure("none of the \(labels.count) articles has a label in '\(field)'; name the key of the story labels with --label-field")
        }
    }
}
