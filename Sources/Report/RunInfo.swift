public import Vectors

/// The settings of a run, as recorded in `summary.json`.
public struct RunParameters: Sendable, Hashable, Codable {
    public var threshold: Float
    public var duplicateThreshold: Float
    public var pairFloor: Float
    /// The comparison window in hours; `nil` when disabled.
    public var windowHours: Double?
    public var titleWeight: Float
    public var bigrams: Bool
    public var stopWords: String
    public var fieldMappings: [String]
    public var tileRows: Int
    public var termFrequency: String
    public var nameWeight: Float
    public var stemPlurals: Bool
    public var timeDecay: Float
    /// The linkage's evidence settings (`nil` in a manifest written before they existed).
    public var gapDecay: Double?
    public var gapHours: Double?
    public var undatedSizeCaution: Double?
    public var undatedSizePivot: Double?
    public var priorPairs: Double?
    public var densityReference: Float?
    public var densityThresholdSlope: Float?
    public var densityPriorPairs: Float?
    public var windowedMeans: Bool?
    public var attachThreshold: Float?
    public var smallGroupBoost: Double?
    public var smallGroupLimit: Int?
    /// Measured on the input: the median number of articles published within 12 hours of an
    /// article, and the threshold and phantom pairs the linkage used after the busy-day adjustment.
    public var density: Int?
    public var linkageThreshold: Float?
    public var linkagePriorPairs: Double?
    /// Measured on the input: the median time apart of its confident pairs
    /// (`StoryTimeScale`), and the window the linkage compared within after adapting to it.
    public var storyTimeScaleSeconds: Int64?
    public var linkageWindowHours: Double?
    /// How the inputs were read where it differs from detection: `--records` and `--delimiter`
    /// (`explain` reads the inputs again the same way).
    public var recordsKey: String?
    public var csvDelimiter: String?

    public init(
        threshold: Float, duplicateThreshold: Float, pairFloor: Float, windowHours: Double?,
        titleWeight: Float, bigrams: Bool, stopWords: String, fieldMappings: [String], tileRows: Int,
        termFrequency: String = "bm25", nameWeight: Float = 2, stemPlurals: Bool = true, timeDecay: Float = 0
    ) {
        self.termFrequency = termFrequency
        self.nameWeight = nameWeight
        self.stemPlurals = stemPlurals
        self.timeDecay = timeDecay
        self.threshold = threshold
        self.duplicateThreshold = duplicateThreshold
        self.pairFloor = pairFloor
        self.windowHours = windowHours
        self.titleWeight = titleWeight
        self.bigrams = bigrams
        self.stopWords = stopWords
        self.fieldMappings = fieldMappings
        self.tileRows = tileRows
    }

    enum CodingKeys: String, CodingKey {
        case threshold, bigrams
        case duplicateThreshold = "duplicate_threshold"
        case pairFloor = "pair_floor"
        case windowHours = "window_hours"
        case titleWeight = "title_weight"
        case stopWords = "stop_words"
        case fieldMappings = "field_mappings"
        case tileRows = "tile_rows"
        case termFrequency = "term_frequency"
        case nameWeight = "name_weight"
        case stemPlurals = "stem_plurals"
        case timeDecay = "time_decay"
        case gapDecay = "gap_decay"
        case gapHours = "gap_hours"
        case undatedSizeCaution = "undated_size_caution"
        case undatedSizePivot = "undated_size_pivot"
        case priorPairs = "prior_pairs"
        case densityReference = "density_reference"
        case densityThresholdSlope = "density_threshold_slope"
        case densityPriorPairs = "density_prior_pairs"
        case windowedMeans = "windowed_means"
        case attachThreshold = "attach_threshold"
        case smallGroupBoost = "small_group_boost"
        case smallGroupLimit = "small_group_limit"
        case density
        case linkageThreshold = "linkage_threshold"
        case linkagePriorPairs = "linkage_prior_pairs"
        case storyTimeScaleSeconds = "story_time_scale_seconds"
        case linkageWindowHours = "linkage_window_hours"
        case recordsKey = "records_key"
        case csvDelimiter = "csv_delimiter"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Rounded(threshold), forKey: .threshold)
        try c.encode(Rounded(duplicateThreshold), forKey: .duplicateThreshold)
        try c.encode(Rounded(pairFloor), forKey: .pairFloor)
        // An explicit null says "no window", which an absent key would not.
        try c.encode(windowHours, forKey: .windowHours)
        try c.encode(Rounded(titleWeight), forKey: .titleWeight)
        try c.encode(bigrams, forKey: .bigrams)
        try c.encode(stopWords, forKey: .stopWords)
        try c.encode(fieldMappings, forKey: .fieldMappings)
        try c.encode(tileRows, forKey: .tileRows)
        try c.encode(termFrequency, forKey: .termFrequency)
        try c.encode(Rounded(nameWeight), forKey: .nameWeight)
        try c.encode(stemPlurals, forKey: .stemPlurals)
        try c.encode(Rounded(timeDecay), forKey: .timeDecay)
        try c.encodeIfPresent(gapDecay.map { Rounded($0) }, forKey: .gapDecay)
        try c.encodeIfPresent(gapHours.map { Rounded($0) }, forKey: .gapHours)
        try c.encodeIfPresent(undatedSizeCaution.map { Rounded($0) }, forKey: .undatedSizeCaution)
        try c.encodeIfPresent(undatedSizePivot.map { Rounded($0) }, forKey: .undatedSizePivot)
        try c.encodeIfPresent(priorPairs.map { Rounded($0) }, forKey: .priorPairs)
        try c.encodeIfPresent(densityReference.map { Rounded($0) }, forKey: .densityReference)
        try c.encodeIfPresent(densityThresholdSlope.map { Rounded($0) }, forKey: .densityThresholdSlope)
        try c.encodeIfPresent(densityPriorPairs.map { Rounded($0) }, forKey: .densityPriorPairs)
        try c.encodeIfPresent(windowedMeans, forKey: .windowedMeans)
        try c.encodeIfPresent(attachThreshold.map { Rounded($0) }, forKey: .attachThreshold)
        try c.encodeIfPresent(smallGroupBoost.map { Rounded($0) }, forKey: .smallGroupBoost)
        try c.encodeIfPresent(smallGroupLimit, forKey: .smallGroupLimit)
        try c.encodeIfPresent(density, forKey: .density)
        try c.encodeIfPresent(linkageThreshold.map { Rounded($0) }, forKey: .linkageThreshold)
        try c.encodeIfPresent(linkagePriorPairs.map { Rounded($0) }, forKey: .linkagePriorPairs)
        try c.encodeIfPresent(storyTimeScaleSeconds, forKey: .storyTimeScaleSeconds)
        try c.encodeIfPresent(linkageWindowHours.map { Rounded($0) }, forKey: .linkageWindowHours)
        try c.encodeIfPresent(recordsKey, forKey: .recordsKey)
        try c.encodeIfPresent(csvDelimiter, forKey: .csvDelimiter)
    }
}

/// Facts of one execution that legitimately differ between two runs on the same input:
/// wall time per stage, threads, the BLAS kernels picked for this CPU. They are kept apart, in
/// the `run` object of `summary.json`, so that every other byte of the reports is reproducible.
public struct RunFacts: Sendable {
    /// Seconds per stage, in pipeline order.
    public var stageSeconds: [(stage: String, seconds: Double)]
    public var threads: Int
    public var blas: BLASInfo

    public init(stageSeconds: [(stage: String, seconds: Double)], threads: Int, blas: BLASInfo) {
        self.stageSeconds = stageSeconds
        self.threads = threads
        self.blas = blas
    }
}

/// A `Float` written with six decimals, so that JSON does not show `0.30000001192092896`.
struct Rounded: Encodable {
    let value: Double
    init(_ value: Float) { self.value = (Double(value) * 1e6).rounded() / 1e6 }
    init(_ value: Double) { self.value = (value * 1e6).rounded() / 1e6 }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// The tool's version, recorded in every manifest.
public enum StoryClustVersion {
    public static let current = "0.1.0"
}
