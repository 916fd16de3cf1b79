public import Cluster
public import Corpus
import Foundation
public import Report
public import Vectors

/// The inputs and settings of one clustering run, as plain values: what every front end
/// (`cluster`, `evaluate`, `tune`, and later `update` and sharding) hands the ``Pipeline``.
///
/// Nothing here parses or validates a command line: the executable checks its options and
/// converts them to this value. The defaults are `storyclust cluster`'s.
public struct PipelineSettings: Sendable {
    /// The inputs to read: files, directories, or `-` for standard input.
    public var paths: [String] = ["data"]
    /// Story threshold: groups join when their mean cosine reaches it.
    public var threshold: Float = 0.18
    /// Cosine at or above which an article is a near-duplicate of an earlier one.
    public var duplicateThreshold: Float = 0.85
    /// The comparison window in seconds, `nil` for none.
    public var windowSeconds: Int64? = 84 * 3_600
    /// The `NAME=SOURCE` field specs the field map was built from, as `summary.json` records them.
    public var fieldSpecs: [String] = []
    /// The format of standard input when its first bytes do not tell.
    public var standardInputFormat: InputFormat?
    /// The dotted key of the array of records in a JSON envelope; `nil` finds it.
    public var recordsKey: String?
    /// The CSV field separator; `nil` detects it per file.
    public var csvDelimiter: CSVDelimiter?
    /// Lowest cosine scored for linkage; `nil` is two thirds of the threshold.
    public var pairFloor: Float?
    public var stopWords: Tokenizer.StopWords = .detected
    public var titleWeight: Float = VectorizerOptions().titleWeight
    public var bigrams = false
    public var stemPlurals = true
    public var termFrequency: TermFrequency = .bm25
    public var nameWeight: Float = VectorizerOptions().nameWeight
    public var timeDecay: Float = 0.3
    public var gapDecay: Double = 0.3
    public var gapHours: Double = 12
    public var undatedSizeCaution: Double = 0.2
    public var undatedSizePivot: Double = 3
    public var smallGroupBoost: Double = 1.2
    public var smallGroupLimit: Int = 4
    public var priorPairs: Double = 0
    public var densityReference: Float = 5_000
    public var densityThresholdSlope: Float = 0.03
    public var densityPriorPairs: Float = 0.2
    public var attachThreshold: Float = 0.4
    /// Leave pairs the window kept apart out of the average-link means.
    public var windowedMeans = true
    /// Worker threads, at least 1.
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// What the CSV reports do with input text that a spreadsheet would run as a formula.
    public var csvFormulas: CSVFormulaPolicy = .neutralize
    /// Most frequent terms in the dense part of the search (benchmarking); `nil` for the default.
    public var denseColumns: Int?
    /// Score every pair inside the window by brute force (the reference; slow).
    public var exact = false
    /// The per-pair threshold for short texts and its dense signal (``AdaptiveThreshold``);
    /// `nil` clusters every pair on its plain cosine, as before.
    public var adaptiveThreshold: AdaptiveThreshold? = AdaptiveThreshold()
    /// The comparison window adapted to the time scale of the corpus's stories
    /// (``StoryTimeScale``); `nil` keeps ``windowSeconds`` whatever the corpus.
    public var storyTimeScale: StoryTimeScale? = StoryTimeScale()
    /// Lowest dense cosine at which two short articles the sparse search did not pair are
    /// scored anyway (``DenseSignal/candidates(published:window:floor:threads:)``).
    public var denseFloor: Float = 0.5
    /// A word-piece table to use instead of the bundled one (tests of a corrupt or missing table).
    public var wordPieceTable: String?

    /// `storyclust cluster`'s settings on `data/`.
    public init() {}

    /// How the inputs are read with `fields`, never reading the `outputDirectories` the run writes to.
    public func readOptions(fields: FieldMap, excluding outputDirectories: [String] = []) -> ReadOptions {
        ReadOptions(fields: fields, threads: threads, standardInputFormat: standardInputFormat, recordsKey: recordsKey,
                    csvDelimiter: csvDelimiter, excludedDirectories: outputDirectories)
    }

    /// The vectorizer settings, with the name weight overridden when a sweep varies it.
    public func vectorizerOptions(nameWeight: Float? = nil) -> VectorizerOptions {
        VectorizerOptions(
            stopWords: stopWords, titleWeight: titleWeight, bigrams: bigrams, stemPlurals: stemPlurals,
            termFrequency: termFrequency, nameWeight: nameWeight ?? self.nameWeight)
    }

    /// The clustering settings, with threshold and time decay overridden when a sweep varies them.
    public func clusterOptions(threshold: Float? = nil, timeDecay: Float? = nil) -> ClusterOptions {
        ClusterOptions(
            threshold: threshold ?? self.threshold, duplicateThreshold: duplicateThreshold,
            pairFloor: pairFloor, timeDecay: timeDecay ?? self.timeDecay,
            evidence: AverageLinkage.Evidence(
                priorPairs: priorPairs, gapDecay: gapDecay, gapHours: gapHours,
                undatedSizeCaution: undatedSizeCaution, undatedSizePivot: undatedSizePivot,
                smallGroupBoost: smallGroupBoost, smallGroupLimit: Int32(smallGroupLimit)),
            densityReference: densityReference, densityThresholdSlope: densityThresholdSlope,
            densityPriorPairs: densityPriorPairs, comparisonWindow: windowedMeans ? windowSeconds : nil,
            attachThreshold: attachThreshold)
    }

    /// The similarity engine settings that return every pair at or above `floor`.
    public func similarityOptions(floor: Float) -> SimilarityOptions {
        SimilarityOptions(threshold: floor, window: windowSeconds, threads: threads, denseColumns: denseColumns)
    }

    /// The settings as `summary.json` records them.
    public func parameters(pairFloor: Float) -> RunParameters {
        var parameters = RunParameters(
            threshold: threshold, duplicateThreshold: duplicateThreshold, pairFloor: pairFloor,
            windowHours: windowSeconds.map { Double($0) / 3_600 }, titleWeight: titleWeight,
            bigrams: bigrams, stopWords: stopWords.rawValue, fieldMappings: fieldSpecs,
            tileRows: similarityOptions(floor: pairFloor).tileRows, termFrequency: termFrequency.rawValue,
            nameWeight: nameWeight, stemPlurals: stemPlurals, timeDecay: timeDecay
        )
        parameters.gapDecay = gapDecay
        parameters.gapHours = gapHours
        parameters.undatedSizeCaution = undatedSizeCaution
        parameters.undatedSizePivot = undatedSizePivot
        parameters.priorPairs = priorPairs
        parameters.densityReference = densityReference
        parameters.densityThresholdSlope = densityThresholdSlope
        parameters.densityPriorPairs = densityPriorPairs
        parameters.windowedMeans = windowedMeans
        parameters.attachThreshold = attachThreshold
        parameters.smallGroupBoost = smallGroupBoost
        parameters.smallGroupLimit = smallGroupLimit
        parameters.recordsKey = recordsKey
        parameters.csvDelimiter = csvDelimiter?.rawValue
        return parameters
    }
}
