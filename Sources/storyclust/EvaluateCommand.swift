import ArgumentParser
import Cluster
import Corpus
import Evaluation
import Foundation
import Report
import StoryPipeline

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Scores the clusters against true story labels.",
        discussion: """
            Clusters the input exactly as `cluster` does, with the same options, and compares the \
            clusters with the labels in --label-field: B-cubed and pairwise precision, recall and F1, \
            adjusted Rand index and NMI (the definitions of ../shared/bench/score.py). With --reports \
            DIR it scores the clusters of an earlier run (DIR/articles.csv) instead, matching articles \
            by id; the clustering options are then not used. An article without a label counts as a \
            story of its own; one missing from DIR/articles.csv as a cluster of its own. Both are \
            counted in the output. Writes no reports unless --out is given.
            """
    )

    @OptionGroup var options: PipelineOptions
    @OptionGroup var labels: LabelOptions

    @Option(help: ArgumentHelp(
        "Score the clusters of this reports directory (its articles.csv) instead of clustering again.",
        valueName: "dir"))
    var reports: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Also write the reports of this run into this directory.", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func validate() throws {
        if reports != nil && out != nil {
            throw ValidationError("--reports scores existing reports and --out writes new ones: give one of them")
        }
    }

    func run() throws {
        let progress = options.makeProgress()
        var pipeline = Pipeline(settings: options.settings, fieldMap: try options.fieldMap(label: labels.labelField), progress: progress,
                                outputDirectories: out.map { [$0] } ?? [], warn: Console.warning)
        let evaluation: Evaluation
        do {
            if let reports {
                evaluation = try scoreReports(in: reports, pipeline: &pipeline)
            } else {
                evaluation = try scoreRun(pipeline: &pipeline)
            }
        } catch let error as CorpusError {
            throw Console.ioFailure("\(error)")
        } catch let error as ReportError {
            throw Console.reportFailure(error)
        }
        progress.finish()
        evaluation.warn(labelField: labels.labelField, reports: reports)
        print(json ? evaluation.json(labelField: labels.labelField) : evaluation.text(reports: reports))
    }

    /// Clusters the input and scores every record of the result.
    private func scoreRun(pipeline: inout Pipeline) throws -> Evaluation {
        let writer = out.map { ReportWriter(directory: $0, formulas: pipeline.settings.csvFormulas) }
        try writer?.prepare()
        let result = try pipeline.run()
        if let writer { _ = try pipeline.write(result, with: writer) }
        let records = result.clustering.records
        let truth = records.map(\.label)
        try PartitionScores.checkLabels(truth, field: labels.labelField)
        let scores = PartitionScores(truth: truth, predicted: result.clustering.memberships.map { Optional($0.cluster) })
        return Evaluation(scores: scores, rejected: Self.rejected(result.corpus), missing: [], extra: [])
    }

    /// Reads the labelled input and scores the clusters `DIR/articles.csv` gives its articles.
    private func scoreReports(in directory: String, pipeline: inout Pipeline) throws -> Evaluation {
        let corpus = try pipeline.read()
        let rows = try ReportReader(directory: directory).articles()
        var clusterOf: [String: String] = [:]
        for row in rows where clusterOf[row.id] == nil { clusterOf[row.id] = row.clusterID }
        let records = corpus.articles + corpus.urlDuplicates.map(\.article)
        let truth = records.map(\.label)
        try PartitionScores.checkLabels(truth, field: labels.labelField)
        let predicted = records.map { clusterOf[$0.id] }
        let known = Set(records.map(\.id))
        return Evaluation(
            scores: PartitionScores(truth: truth, predicted: predicted),
            rejected: Self.rejected(corpus),
            missing: records.filter { clusterOf[$0.id] == nil }.map(\.id),
            extra: rows.map(\.id).filter { !known.contains($0) }
        )
    }

    private static func rejected(_ corpus: Corpus) -> Int {
        corpus.rejects.count { $0.severity == .rejected }
    }
}

/// The scores of one evaluation and what did not take part in them.
struct Evaluation {
    var scores: PartitionScores
    /// Records the reader rejected: never articles, so never scored.
    var rejected: Int
    /// Labelled articles missing from the reports, each scored as a cluster of its own.
    var missing: [String]
    /// Ids in the reports that are not in the input, not scored.
    var extra: [String]

    /// Warnings on standard error for everything that is not scored as it stands.
    func warn(labelField: String, reports: String?) {
        if scores.unlabelled > 0 {
            Console.warning("\(scores.unlabelled) of \(scores.articles) articles have no '\(labelField)' label; each is scored as a story of its own")
        }
        if !missing.isEmpty, let reports {
            Console.warning("\(missing.count) articles of the input are missing from \(reports)/articles.csv; each is scored as a cluster of its own: \(Self.sample(missing))")
        }
        if !extra.isEmpty, let reports {
            Console.warning("\(extra.count) articles of \(reports)/articles.csv are not in the input and are not scored: \(Self.sample(extra))")
        }
        if rejected > 0 {
            Console.warning("\(rejected) records of the input were rejected by the reader and are not scored (run cluster to see them in rejects.csv)")
        }
    }

    /// The first few ids of a list, for a message.
    private static func sample(_ ids: [String]) -> String {
        ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", ..." : "")
    }

    /// The scores as a short table for people.
    func text(reports: String?) -> String {
        func f(_ value: Double) -> String { String(format: "%.4f", value) }
        let s = scores
        var lines = [
            "storyclust evaluate: \(s.articles) articles (\(s.unlabelled) unlabelled), \(s.trueStories) true stories, \(s.predictedClusters) clusters",
            "  B-cubed   precision \(f(s.bcubedPrecision))  recall \(f(s.bcubedRecall))  F1 \(f(s.bcubedF1))",
            "  pairwise  precision \(f(s.pairwisePrecision))  recall \(f(s.pairwiseRecall))  F1 \(f(s.pairwiseF1))",
            "  ARI \(f(s.ari))  NMI \(f(s.nmi))",
        ]
        if let reports {
            lines.append("  clusters from \(reports)/articles.csv: \(missing.count) input articles missing from it, \(extra.count) of its articles not in the input")
        }
        if rejected > 0 { lines.append("  \(rejected) rejected records not scored") }
        return lines.joined(separator: "\n")
    }

    /// The scores as one JSON object: `score.py --json`'s keys and a few more.
    func json(labelField: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(EvaluationJSON(evaluation: self, labelField: labelField))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// ``PartitionScores``' keys, then the counts of what was not scored.
private struct EvaluationJSON: Encodable {
    let evaluation: Evaluation
    let labelField: String

    enum CodingKeys: String, CodingKey {
        case labelField = "label_field"
        case rejectedRecords = "rejected_records"
        case extraPredictedIDs = "extra_predicted_ids"
    }

    func encode(to encoder: any Encoder) throws {
        try evaluation.scores.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(labelField, forKey: .labelField)
        try c.encode(evaluation.rejected, forKey: .rejectedRecords)
        try c.encode(evaluation.extra.count, forKey: .extraPredictedIDs)
    }
}
