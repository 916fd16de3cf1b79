import ArgumentParser
import Cluster
import Corpus
import Foundation
import Report
import StoryPipeline
import Vectors

/// The inputs and settings of a clustering run, shared by `cluster`, `evaluate` and `tune` so
/// that all three read, vectorize and cluster the same way.
struct PipelineOptions: ParsableArguments {
    /// The library's defaults, which the options below show and start from.
    static let defaults = PipelineSettings()

    @Argument(help: ArgumentHelp("Input files and directories.", discussion: "Default: data/", valueName: "input"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp(
        "Story threshold: groups join when their mean cosine reaches it.",
        discussion: "Pairs at or above it are listed in pairs.csv.",
        valueName: "t"))
    var threshold: Float = defaults.threshold

    @Option(help: ArgumentHelp("Cosine at or above which an article is a near-duplicate of an earlier one.", valueName: "d"))
    var duplicateThreshold: Float = defaults.duplicateThreshold

    @Option(help: ArgumentHelp(
        "Never compare articles published more than this many hours apart, or 'none'.",
        discussion: "Articles without a time are compared with all.",
        valueName: "hours|none"))
    var window = "84"

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "Read field NAME from input key SOURCE (a column or a dotted path); repeatable.",
        discussion: "NAME is one of: \(FieldMap.fieldNames.joined(separator: ", ")).",
        valueName: "NAME=SOURCE"))
    var fields: [String] = []

    @Option(help: ArgumentHelp(
        "Format of standard input (given as -) when its first bytes do not tell.",
        discussion: "One of: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")) (rss, atom and xml name feed). gzip and zstd are recognised by themselves.",
        valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp(
        "Dotted key of the array of records in a JSON envelope, e.g. articles or hits.hits.",
        discussion: "Default: found by itself (articles, items, data, results, hits.hits, ...); Elasticsearch hits are unwrapped from _source.",
        valueName: "key"))
    var records: String?

    @Option(help: ArgumentHelp(
        "CSV field separator: comma, semicolon, tab or pipe.",
        discussion: "Default: detected from each CSV file's header line; .tsv files are tab-separated.",
        valueName: "sep"),
        transform: { text in
            guard let delimiter = CSVDelimiter(argument: text) else {
                throw ValidationError("--delimiter takes comma, semicolon, tab or pipe (or , ; | \\t), got '\(text)'")
            }
            return delimiter
        })
    var delimiter: CSVDelimiter?

    @Option(help: ArgumentHelp(
        "Lowest cosine scored for linkage (default: two thirds of the threshold).",
        discussion: "Pairs below it count as zero in the average-link means.",
        valueName: "f"))
    var pairFloor: Float?

    @Option(help: ArgumentHelp("Stop words to remove: detected (each article's language), english or none.", valueName: "list"))
    var stopWords: StopWordsOption = .detected

    @Option(help: ArgumentHelp("How many body tokens one title token counts as.", valueName: "w"))
    var titleWeight: Float = defaults.titleWeight

    @Flag(help: "Add word bigrams to the vectors.")
    var bigrams = false

    @Flag(inversion: .prefixedNo, help: "Fold English plurals onto the singular (supercomputers -> supercomputer).")
    var stemPlurals = true

    @Option(name: .customLong("tf"), help: ArgumentHelp("Term frequency: bm25 or sublinear (1 + ln count).", valueName: "kind"))
    var termFrequency: TermFrequencyOption = .bm25

    @Option(help: ArgumentHelp(
        "How many times a capitalized word that does not start a sentence counts in the text.",
        discussion: "Names tell look-alike events apart; 1 treats them like any word.",
        valueName: "w"))
    var nameWeight: Float = defaults.nameWeight

    @Option(help: ArgumentHelp(
        "Share of a pair's cosine the linkage discounts when the two are 72 hours apart (0 to 1).",
        discussion: "Linearly less for closer pairs; 0 turns it off. pairs.csv keeps the plain cosine.",
        valueName: "d"))
    var timeDecay: Float = defaults.timeDecay

    @Option(help: ArgumentHelp(
        "Share of a merge's mean taken off when the two groups' closest linked articles are --gap-hours apart (0 to 1).",
        discussion: "Linearly less for closer ones; 0 turns it off. Only groups linked through dated pairs.",
        valueName: "d"))
    var gapDecay: Double = defaults.gapDecay

    @Option(help: ArgumentHelp("Hours apart at which --gap-decay takes its full share.", valueName: "hours"))
    var gapHours: Double = defaults.gapHours

    @Option(help: ArgumentHelp(
        "Without publish times, divide a merge's mean by 1 + c ln(s / --undated-size-pivot), s the smaller group's size.",
        discussion: "Large undated groups must agree more, single articles may join on less; 0 turns it off.",
        valueName: "c"))
    var undatedSizeCaution: Double = defaults.undatedSizeCaution

    @Option(help: ArgumentHelp("Group size at which --undated-size-caution leaves the mean as it is.", valueName: "s"))
    var undatedSizePivot: Double = defaults.undatedSizePivot

    @Option(help: ArgumentHelp(
        "Multiply the mean of two dated groups of 2 to --small-group-limit articles each by this.",
        discussion: "Two small groups that resemble each other are most often fragments of one story; 1 turns it off. Undated groups have --undated-size-caution instead.",
        valueName: "f"))
    var smallGroupBoost: Double = defaults.smallGroupBoost

    @Option(help: ArgumentHelp("Largest group size --small-group-boost applies to.", valueName: "n"))
    var smallGroupLimit: Int = defaults.smallGroupLimit

    @Option(help: ArgumentHelp(
        "Phantom zero-weight pairs added to every average-link mean.",
        discussion: "Draws means over few pairs toward zero; 0 (default) is the plain mean.",
        valueName: "k"))
    var priorPairs: Double = defaults.priorPairs

    @Option(help: ArgumentHelp(
        "Busy-day reference: articles published within 12 hours of the median article above which the linkage gets stricter.",
        discussion: "0 turns the adjustment off.",
        valueName: "n"))
    var densityReference: Float = defaults.densityReference

    @Option(help: ArgumentHelp(
        "Busy-day threshold slope: the threshold is multiplied by 1 + b ln(density / --density-reference).",
        valueName: "b"))
    var densityThresholdSlope: Float = defaults.densityThresholdSlope

    @Option(help: ArgumentHelp(
        "Busy-day phantom pairs: k ln(density / --density-reference) zero pairs are added to every mean.",
        valueName: "k"))
    var densityPriorPairs: Float = defaults.densityPriorPairs

    @Option(help: ArgumentHelp(
        "An article the linkage leaves alone joins the story of its most similar article when their cosine reaches this.",
        discussion: "The means ask a newcomer to resemble a whole story; a late follow-up often resembles one member closely. 0 turns it off.",
        valueName: "c"))
    var attachThreshold: Float = defaults.attachThreshold

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Leave pairs the window kept apart out of the average-link means instead of counting them as zero.",
        discussion: "A story longer than the window is not punished for pairs that were never compared."))
    var windowedMeans = true

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Lower the threshold per pair for short texts whose best matches are weak (headlines).",
        discussion: "Measured per pair from the two articles' effective number of terms and best cosines; long texts are never touched. See README, Short texts."))
    var adaptiveThreshold = true

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Shorten the window when the corpus's confident pairs are minutes apart (aggregator time stamps).",
        discussion: "The window becomes 100 times the median time apart of the pairs at cosine 0.5 or more (copies left out), at least 15 minutes, never longer than --window. See README, Story time scale."))
    var storyTimeScale = true

    @Option(help: ArgumentHelp(
        "Share of a short pair's score taken from the dense word-vector cosine (0 = off).",
        discussion: "Static vectors distilled from all-MiniLM-L6-v2, compared with cblas_sgemm over time-sorted tiles; with --no-adaptive-threshold it is not used.",
        valueName: "w"))
    var denseWeight: Float = 0

    @Option(help: ArgumentHelp("Neighbourhood cosine below which a short pair is boosted (ablation).", visibility: .hidden))
    var neighbourReference: Float = AdaptiveThreshold().neighbourReference

    @Option(help: ArgumentHelp("Effective terms of the shorter article below which a pair is short (ablation).", visibility: .hidden))
    var shortTerms: Float = AdaptiveThreshold().referenceTerms

    @Option(help: ArgumentHelp("Lowest share of the threshold a short pair can get (ablation).", visibility: .hidden))
    var lowestShare: Float = AdaptiveThreshold().lowestFactor

    @Option(help: ArgumentHelp("Worker threads (default: all cores).", valueName: "n"))
    var threads: Int?

    @Option(help: ArgumentHelp(
        "CSV report cells of input text that start with = + - @, tab, CR or ': neutralize (prefix a ') or keep.",
        discussion: "Neutralized, a spreadsheet shows them as text instead of running them as formulas; remove one leading ' from a text cell to get the text back.",
        valueName: "policy"))
    var csvFormulas: CSVFormulasOption = .neutralize

    @Option(help: ArgumentHelp("Most frequent terms in the dense part of the search (benchmarking).", visibility: .hidden))
    var denseColumns: Int?

    @Flag(help: ArgumentHelp(
        "Score every pair inside the window by brute force (the reference; slow).",
        discussion: "The default search is exact up to Float rounding; this checks it."))
    var exact = false

    @Flag(help: "Show progress on standard error even when it is not a terminal.")
    var progress = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    /// The largest `--window` in hours: about 114 years, far inside `Int64` seconds.
    static let maximumWindowHours = 1_000_000.0

    /// The comparison window in seconds, `nil` for none.
    var windowSeconds: Int64? {
        window.lowercased() == "none" ? nil : Int64((Double(window) ?? 0) * 3_600)
    }

    /// The inputs to read: `data/` when none is given.
    var paths: [String] { inputs.isEmpty ? ["data"] : inputs }

    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        guard threshold > 0 && threshold <= 1 else {
            throw ValidationError("--threshold must be in (0, 1], got \(threshold)")
        }
        guard duplicateThreshold >= threshold && duplicateThreshold <= 1 else {
            throw ValidationError("--duplicate-threshold must be between --threshold (\(threshold)) and 1, got \(duplicateThreshold)")
        }
        if window.lowercased() != "none" {
            guard let hours = Double(window), hours >= 0, hours.isFinite else {
                throw ValidationError("--window takes a number of hours or 'none', got '\(window)'")
            }
            // Seconds are Int64; past this bound the conversion would trap, and a window of over
            // a century compares everything anyway, which is what 'none' says.
            guard hours <= Self.maximumWindowHours else {
                throw ValidationError("--window must be at most \(Int(Self.maximumWindowHours)) hours (or 'none' for no window), got '\(window)'")
            }
        }
        guard nameWeight >= 1 && nameWeight.isFinite else {
            throw ValidationError("--name-weight must be at least 1, got \(nameWeight)")
        }
        guard timeDecay >= 0 && timeDecay <= 1 else {
            throw ValidationError("--time-decay must be between 0 and 1, got \(timeDecay)")
        }
        guard titleWeight > 0 && titleWeight.isFinite else {
            throw ValidationError("--title-weight must be positive, got \(titleWeight)")
        }
        if let pairFloor, !(pairFloor > 0 && pairFloor <= threshold) {
            throw ValidationError("--pair-floor must be in (0, --threshold], got \(pairFloor)")
        }
        guard gapDecay >= 0 && gapDecay <= 1 else {
            throw ValidationError("--gap-decay must be between 0 and 1, got \(gapDecay)")
        }
        guard gapHours > 0 && gapHours.isFinite else {
            throw ValidationError("--gap-hours must be positive, got \(gapHours)")
        }
        guard undatedSizePivot >= 1 && undatedSizePivot.isFinite else {
            throw ValidationError("--undated-size-pivot must be at least 1, got \(undatedSizePivot)")
        }
        guard undatedSizeCaution >= 0 && undatedSizeCaution * log(undatedSizePivot) < 1 else {
            throw ValidationError("--undated-size-caution must be in [0, 1 / ln(--undated-size-pivot)), got \(undatedSizeCaution)")
        }
        guard smallGroupBoost >= 1 && smallGroupBoost.isFinite else {
            throw ValidationError("--small-group-boost must be at least 1, got \(smallGroupBoost)")
        }
        guard smallGroupLimit >= 0 && smallGroupLimit < Int(Int32.max) else {
            throw ValidationError("--small-group-limit must be between 0 and \(Int32.max - 1), got \(smallGroupLimit)")
        }
        guard priorPairs >= 0 && priorPairs.isFinite else {
            throw ValidationError("--prior-pairs must not be negative, got \(priorPairs)")
        }
        guard densityReference >= 0 && densityThresholdSlope >= 0 && densityPriorPairs >= 0
            && densityReference.isFinite && densityThresholdSlope.isFinite && densityPriorPairs.isFinite else {
            throw ValidationError("--density-reference, --density-threshold-slope and --density-prior-pairs must not be negative")
        }
        guard (0...1).contains(denseWeight) && (0...1).contains(neighbourReference) && lowestShare > 0 && lowestShare <= 1 && shortTerms > 0 else {
            throw ValidationError("--dense-weight, --neighbour-reference in [0, 1], --lowest-share in (0, 1], --short-terms above 0")
        }
        guard attachThreshold == 0 || (attachThreshold >= threshold && attachThreshold <= 1) else {
            throw ValidationError("--attach-threshold must be 0 (off) or in [--threshold, 1], got \(attachThreshold)")
        }
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1, got \(threads)")
        }
        if let format, InputFormat(name: format) == nil {
            throw ValidationError("--format must be one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")) (or rss, atom, xml), got '\(format)'")
        }
        if format != nil && !paths.contains(CorpusReader.standardInputPath) {
            throw ValidationError("--format names the format of standard input, which is read only when '-' is among the inputs; files take theirs from their extension")
        }
        if let records, records.isEmpty || records.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            throw ValidationError("--records takes a key or a dotted path like hits.hits, got '\(records)'")
        }
        _ = try fieldMap()
    }

    /// The standard field map with every `--field` spec applied; a bad spec is a usage error.
    ///
    /// - Parameter label: the input key holding each article's true story, when the command
    ///   scores against labels. Applied first, so that an explicit `--field label=...` wins.
    func fieldMap(label: String? = nil) throws -> FieldMap {
        var map = FieldMap.standard
        if let label {
            do { try map.add("label=\(label)") } catch { throw ValidationError("--label-field \(label): \(error)") }
        }
        for spec in fields {
            do { try map.add(spec) } catch { throw ValidationError("--field \(spec): \(error)") }
        }
        return map
    }

    /// The run these options ask for, as the pipeline takes it (after ``validate()``).
    var settings: PipelineSettings {
        var settings = Self.defaults
        settings.paths = paths
        settings.threshold = threshold
        settings.duplicateThreshold = duplicateThreshold
        settings.windowSeconds = windowSeconds
        settings.fieldSpecs = fields
        settings.standardInputFormat = format.flatMap(InputFormat.init(name:))
        settings.recordsKey = records
        settings.csvDelimiter = delimiter
        settings.pairFloor = pairFloor
        settings.stopWords = stopWords.list
        settings.titleWeight = titleWeight
        settings.bigrams = bigrams
        settings.stemPlurals = stemPlurals
        settings.termFrequency = termFrequency.kind
        settings.nameWeight = nameWeight
        settings.timeDecay = timeDecay
        settings.gapDecay = gapDecay
        settings.gapHours = gapHours
        settings.undatedSizeCaution = undatedSizeCaution
        settings.undatedSizePivot = undatedSizePivot
        settings.smallGroupBoost = smallGroupBoost
        settings.smallGroupLimit = smallGroupLimit
        settings.priorPairs = priorPairs
        settings.densityReference = densityReference
        settings.densityThresholdSlope = densityThresholdSlope
        settings.densityPriorPairs = densityPriorPairs
        settings.attachThreshold = attachThreshold
        settings.windowedMeans = windowedMeans
        settings.threads = threadCount
        settings.csvFormulas = csvFormulas.policy
        settings.denseColumns = denseColumns
        settings.exact = exact
        settings.storyTimeScale = storyTimeScale ? StoryTimeScale() : nil
        settings.adaptiveThreshold = adaptiveThreshold
            ? AdaptiveThreshold(referenceTerms: shortTerms, lowestFactor: lowestShare, neighbourReference: neighbourReference, denseWeight: denseWeight)
            : nil
        return settings
    }

    /// Progress lines on standard error: unless `--quiet`, when asked or when it is a terminal.
    func makeProgress() -> ProgressLines {
        ProgressLines(enabled: !quiet && (progress || isatty(STDERR_FILENO) != 0))
    }
}

/// `--tf`, as the command line spells it.
enum CSVFormulasOption: String, ExpressibleByArgument, CaseIterable {
    case neutralize, keep

    var policy: CSVFormulaPolicy { self == .keep ? .keep : .neutralize }
}

enum TermFrequencyOption: String, ExpressibleByArgument, CaseIterable {
    case bm25, sublinear
    var kind: TermFrequency { self == .bm25 ? .bm25 : .sublinear }
}

/// `--stop-words`, as the command line spells it.
enum StopWordsOption: String, ExpressibleByArgument, CaseIterable {
    case detected, english, none
    var list: Tokenizer.StopWords {
        switch self {
        case .detected: .detected
        case .english: .english
        case .none: .none
        }
    }
}
