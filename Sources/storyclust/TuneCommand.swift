import ArgumentParser
import Cluster
import Corpus
import Evaluation
import Foundation
import Report
import StoryPipeline
import Vectors

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Sweeps the threshold, time decay and name weight and scores each setting against labels.",
        discussion: """
            Every other option is fixed as given (the same as `cluster`'s). The input is vectorized \
            once per name weight and its pairs scored once, at the lowest pair floor of the sweep; each \
            setting then clusters the pairs at or above its own floor, which is exactly what `cluster` \
            would do with that setting. Prints one row per setting and the best by B-cubed F1 (ties go \
            to the setting of --threshold, --time-decay and --name-weight, then to the first row), and \
            writes the table as CSV. A list is comma-separated values or FROM:TO:STEP.
            """
    )

    @OptionGroup var options: PipelineOptions
    @OptionGroup var labels: LabelOptions

    @Option(help: ArgumentHelp("Story thresholds to try.", valueName: "list"))
    var thresholds = "0.10:0.40:0.02"

    @Option(help: ArgumentHelp("Time decays to try.", valueName: "list"))
    var timeDecays = "0,0.3,0.5"

    @Option(help: ArgumentHelp("Name weights to try (each one vectorizes the input again).", valueName: "list"))
    var nameWeights = "1,2,3"

    @Option(name: .shortAndLong, help: ArgumentHelp("CSV file for the table.", valueName: "file"))
    var out = "tune.csv"

    func validate() throws {
        let sweep = try self.sweep()
        if let bad = sweep.thresholds.first(where: { !($0 > 0 && $0 <= 1) }) {
            throw ValidationError("--thresholds must lie in (0, 1], got \(bad)")
        }
        if let highest = sweep.thresholds.last, highest > options.duplicateThreshold {
            throw ValidationError("--thresholds go up to \(highest), above --duplicate-threshold (\(options.duplicateThreshold)); lower them or raise it")
        }
        if options.attachThreshold > 0, let highest = sweep.thresholds.last, highest > options.attachThreshold {
            throw ValidationError("--thresholds go up to \(highest), above --attach-threshold (\(options.attachThreshold)); lower them, raise it, or turn it off with 0")
        }
        if let pairFloor = options.pairFloor, let lowest = sweep.thresholds.first, pairFloor > lowest {
            throw ValidationError("--pair-floor (\(pairFloor)) is above the lowest threshold of the sweep (\(lowest))")
        }
        if let bad = sweep.timeDecays.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw ValidationError("--time-decays must lie between 0 and 1, got \(bad)")
        }
        if let bad = sweep.nameWeights.first(where: { !($0 >= 1 && $0.isFinite) }) {
            throw ValidationError("--name-weights must be at least 1, got \(bad)")
        }
    }

    /// The three value lists, parsed, sorted and without repeats.
    func sweep() throws -> (thresholds: [Float], timeDecays: [Float], nameWeights: [Float]) {
        (try Self.values(thresholds, option: "--thresholds"),
         try Self.values(timeDecays, option: "--time-decays"),
         try Self.values(nameWeights, option: "--name-weights"))
    }

    func run() throws {
        let sweep = try self.sweep()
        let progress = options.makeProgress()
        var pipeline = Pipeline(settings: options.settings, fieldMap: try options.fieldMap(label: labels.labelField), progress: progress,
                                warn: Console.warning)
        let corpus: Corpus
        do {
            corpus = try pipeline.read()
        } catch {
            throw Console.ioFailure("\(error)")
        }
        let truth = (corpus.articles + corpus.urlDuplicates.map(\.article)).map(\.label)
        try PartitionScores.checkLabels(truth, field: labels.labelField)

        // Pairs are scored once per vectorization, at the lowest floor any setting needs; a
        // setting then keeps the pairs at or above its own floor, as the engine would return.
        // Thresholds run outside the time decays so that one filtered copy lives at a time; the
        // rows are placed in table order (name weight, time decay, threshold).
        let lowestFloor = sweep.thresholds.map { pipeline.settings.clusterOptions(threshold: $0).pairFloor }.min()!
        let (decays, thresholdCount) = (sweep.timeDecays.count, sweep.thresholds.count)
        let settings = sweep.nameWeights.count * decays * thresholdCount
        var rows = [TuningRow?](repeating: nil, count: settings)
        var done = 0
        // Exact copies are scored once and starred, as `cluster` does: 100,000 copies of a wire
        // story would otherwise pair up five billion times.
        let copies = pipeline.copyGroups(corpus)
        for (n, nameWeight) in sweep.nameWeights.enumerated() {
            progress.stage("name weight \(Console.number(nameWeight))")
            let model = pipeline.vectorize(corpus, nameWeight: nameWeight)
            var short = pipeline.shortTexts(model)
            var found = pipeline.pairs(corpus, model: model, floor: lowestFloor * (short?.floorFactor ?? 1), copyGroups: copies)
            var adapted = pipeline.settings.clusterOptions()
            let timeScale = pipeline.adaptWindow(&found, corpus: corpus, options: &adapted)
            if short != nil {
                found = pipeline.merge(found, model: model, published: corpus.articles.map(\.published), floor: lowestFloor,
                                       window: timeScale?.window, shortTexts: &short!)
            }
            let pairs = found.pairs
            for (t, threshold) in sweep.thresholds.enumerated() {
                let floor = pipeline.settings.clusterOptions(threshold: threshold).pairFloor
                let kept = floor == lowestFloor ? pairs : short?.kept(pairs, floor: floor) ?? pairs.filter { $0.cosine >= floor }
                for (d, timeDecay) in sweep.timeDecays.enumerated() {
                    done += 1
                    progress.status("""
                        setting \(done)/\(settings): name weight \(Console.number(nameWeight)), \
                        time decay \(Console.number(timeDecay)), threshold \(Console.number(threshold))
                        """)
                    var clusterOptions = pipeline.settings.clusterOptions(threshold: threshold, timeDecay: timeDecay)
                    clusterOptions.comparisonWindow = adapted.comparisonWindow
                    let clustering = pipeline.cluster(
                        corpus, model: model, pairs: kept, options: clusterOptions, copyGroups: copies, swarms: found, shortTexts: short)
                    let scores = PartitionScores(truth: truth, predicted: clustering.memberships.map { Optional($0.cluster) })
                    rows[(n * decays + d) * thresholdCount + t] = TuningRow(
                        nameWeight: nameWeight, timeDecay: timeDecay, threshold: threshold, pairFloor: floor, scores: scores)
                }
            }
        }
        progress.status("")
        let table = rows.map { $0! }

        let best = Self.best(table, reference: (options.nameWeight, options.timeDecay, options.threshold))
        do {
            try TuningTable.write(table, best: best, to: out)
        } catch {
            throw Console.reportFailure(error)
        }
        progress.finish()

        let unlabelled = table.first?.scores.unlabelled ?? 0
        if unlabelled > 0 {
            Console.warning("\(unlabelled) of \(truth.count) articles have no '\(labels.labelField)' label; each is scored as a story of its own")
        }
        let rejected = corpus.rejects.count { $0.severity == .rejected }
        if rejected > 0 {
            Console.warning("\(rejected) records of the input were rejected by the reader and are not scored")
        }
        print(Self.table(table, best: best, reference: (options.nameWeight, options.timeDecay, options.threshold), articles: truth.count, unlabelled: unlabelled))
        print("table: \(out)")
    }

    /// The row with the highest B-cubed F1; ties to the reference setting, then to the first row.
    static func best(_ rows: [TuningRow], reference: (Float, Float, Float)) -> Int? {
        guard let top = rows.map(\.scores.bcubedF1).max() else { return nil }
        let tied = rows.indices.filter { rows[$0].scores.bcubedF1 == top }
        return tied.first { isReference(rows[$0], reference) } ?? tied.first
    }

    static func isReference(_ row: TuningRow, _ reference: (nameWeight: Float, timeDecay: Float, threshold: Float)) -> Bool {
        row.nameWeight == reference.nameWeight && row.timeDecay == reference.timeDecay && row.threshold == reference.threshold
    }

    /// The rows for people: fixed-width columns, the best and the reference setting marked.
    static func table(_ rows: [TuningRow], best: Int?, reference: (Float, Float, Float), articles: Int, unlabelled: Int) -> String {
        func f(_ value: Double) -> String { String(format: "%.4f", value) }
        var lines = ["storyclust tune: \(rows.count) settings, \(articles) articles (\(unlabelled) unlabelled)",
                     "  name_w  decay  thresh   floor    B3_P    B3_R   B3_F1  pair_F1     ARI     NMI  clusters"]
        for (index, row) in rows.enumerated() {
            let s = row.scores
            let mark = index == best ? " best" : (isReference(row, reference) ? " default" : "")
            lines.append(String(format: "  %6.2f %6.2f %7.3f %7.4f", row.nameWeight, row.timeDecay, row.threshold, row.pairFloor)
                + " \(f(s.bcubedPrecision)) \(f(s.bcubedRecall)) \(f(s.bcubedF1))   \(f(s.pairwiseF1)) \(f(s.ari)) \(f(s.nmi))"
                + String(format: " %9d", s.predictedClusters) + mark)
        }
        if let best {
            let row = rows[best], s = row.scores
            lines.append("best by B-cubed F1: --name-weight \(Console.number(row.nameWeight)) --time-decay \(Console.number(row.timeDecay)) --threshold \(Console.number(row.threshold)) "
                + "(F1 \(f(s.bcubedF1)), precision \(f(s.bcubedPrecision)), recall \(f(s.bcubedRecall)))")
            if let reference = rows.firstIndex(where: { isReference($0, reference) }), reference != best {
                lines.append("the current setting (\(Console.number(rows[reference].nameWeight)), \(Console.number(rows[reference].timeDecay)), \(Console.number(rows[reference].threshold))) has F1 \(f(rows[reference].scores.bcubedF1))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Parses `a,b,c` or `from:to:step` into sorted distinct values, each rounded to 1e-6 so that
    /// a stepped 0.18 is the same `Float` as a typed one.
    static func values(_ text: String, option: String) throws -> [Float] {
        func number(_ part: Substring) throws -> Double {
            guard let value = Double(part.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw ValidationError("\(option): '\(part)' is not a number (give a,b,c or FROM:TO:STEP)")
            }
            return value
        }
        var values: [Double]
        let range = text.split(separator: ":", omittingEmptySubsequences: false)
        if range.count == 3 {
            let from = try number(range[0]), to = try number(range[1]), step = try number(range[2])
            guard step > 0, to >= from else {
                throw ValidationError("\(option) \(text): FROM:TO:STEP needs TO >= FROM and a positive STEP")
            }
            let count = Int(((to - from) / step + 1e-9).rounded(.down)) + 1
            guard count <= 10_000 else { throw ValidationError("\(option) \(text): \(count) values, too many") }
            values = (0..<count).map { from + Double($0) * step }
        } else if range.count == 1 {
            values = try text.split(separator: ",").map(number)
        } else {
            throw ValidationError("\(option) \(text): give a,b,c or FROM:TO:STEP")
        }
        guard !values.isEmpty else { throw ValidationError("\(option): no values") }
        return Set(values.map { Float(($0 * 1e6).rounded() / 1e6) }).sorted()
    }
}
