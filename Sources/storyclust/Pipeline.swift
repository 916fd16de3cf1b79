import Cluster
import Corpus
import Report
import Vectors

/// The read → vectorize → score pairs → cluster wiring, in one place for every command that
/// clusters, so that `evaluate` and `tune` score exactly what `cluster` writes.
///
/// Each stage reports on the progress lines and laps the stage clock.
struct Pipeline {
    let options: PipelineOptions
    let fieldMap: FieldMap
    let progress: Progress
    private(set) var clock = StageClock()

    init(options: PipelineOptions, fieldMap: FieldMap, progress: Progress) {
        self.options = options
        self.fieldMap = fieldMap
        self.progress = progress
    }

    /// Reads the inputs.
    mutating func read() throws(CorpusError) -> Corpus {
        let paths = options.paths
        progress.stage("reading \(paths.joined(separator: " "))")
        let corpus = try CorpusReader(options: options.readOptions(fields: fieldMap))
            .read(paths: paths, progress: progress.counter("reading", unit: "files"))
        clock.lap("read")
        progress.stage("read \(corpus.articles.count) articles from \(corpus.files.count) files")
        return corpus
    }

    /// Fits the TF-IDF model, with `nameWeight` instead of the option's when a sweep varies it.
    mutating func vectorize(_ corpus: Corpus, nameWeight: Float? = nil) -> TFIDFModel {
        let model = Vectorizer(options: options.vectorizerOptions(nameWeight: nameWeight))
            .fit(corpus.articles, threads: options.threadCount, progress: progress.counter("vectorizing", unit: "articles"))
        clock.lap("vectorize")
        progress.stage("vectorized: \(model.terms.count) terms")
        return model
    }

    /// The similarity engine that returns every pair at or above `floor`.
    func engine(floor: Float) -> SimilarityEngine {
        SimilarityEngine(options: SimilarityOptions(
            threshold: floor, window: options.windowSeconds, threads: options.threadCount, denseColumns: options.denseColumns))
    }

    /// Every pair of articles whose cosine reaches `floor`, sorted; by brute force under `--exact`.
    mutating func pairs(_ corpus: Corpus, model: TFIDFModel, floor: Float) -> [ScoredPair] {
        let engine = engine(floor: floor)
        let published = corpus.articles.map(\.published)
        let counter = progress.counter("similarity", unit: "row chunks")
        let pairs = options.exact
            ? engine.bruteForcePairs(model.matrix, published: published, progress: counter)
            : engine.pairs(model.matrix, published: published, progress: counter)
        clock.lap("similarity")
        progress.stage("similarity: \(pairs.count) pairs")
        return pairs
    }

    /// Clusters with the given settings; `pairs` must hold every pair at or above their floor.
    mutating func cluster(_ corpus: Corpus, model: TFIDFModel, pairs: [ScoredPair], options clusterOptions: ClusterOptions) -> Clustering {
        let clustering = Clusterer(options: clusterOptions, threads: options.threadCount).cluster(corpus, model: model, pairs: pairs)
        clock.lap("cluster")
        return clustering
    }

    /// Laps the clock for a stage run outside the pipeline (writing the reports).
    mutating func lap(_ stage: String) {
        clock.lap(stage)
    }

    /// The whole run with the options as given: what `cluster` writes.
    mutating func run() throws(CorpusError) -> RunResult {
        let corpus = try read()
        let model = vectorize(corpus)
        let clusterOptions = options.clusterOptions()
        let pairs = pairs(corpus, model: model, floor: clusterOptions.pairFloor)
        let clustering = cluster(corpus, model: model, pairs: pairs, options: clusterOptions)
        var parameters = parameters(pairFloor: clusterOptions.pairFloor)
        parameters.density = clustering.density
        parameters.linkageThreshold = clustering.linkageThreshold
        parameters.linkagePriorPairs = clustering.priorPairs
        return RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters)
    }

    /// The settings as `summary.json` records them.
    func parameters(pairFloor: Float) -> RunParameters {
        var parameters = RunParameters(
            threshold: options.threshold, duplicateThreshold: options.duplicateThreshold, pairFloor: pairFloor,
            windowHours: options.windowSeconds.map { Double($0) / 3_600 }, titleWeight: options.titleWeight,
            bigrams: options.bigrams, stopWords: options.stopWords.rawValue, fieldMappings: options.fields,
            tileRows: engine(floor: pairFloor).options.tileRows, termFrequency: options.termFrequency.rawValue,
            nameWeight: options.nameWeight, stemPlurals: options.stemPlurals, timeDecay: options.timeDecay
        )
        parameters.gapDecay = options.gapDecay
        parameters.gapHours = options.gapHours
        parameters.undatedSizeCaution = options.undatedSizeCaution
        parameters.undatedSizePivot = options.undatedSizePivot
        parameters.priorPairs = options.priorPairs
        parameters.densityReference = options.densityReference
        parameters.densityThresholdSlope = options.densityThresholdSlope
        parameters.densityPriorPairs = options.densityPriorPairs
        parameters.windowedMeans = options.windowedMeans
        parameters.attachThreshold = options.attachThreshold
        parameters.smallGroupBoost = options.smallGroupBoost
        parameters.smallGroupLimit = options.smallGroupLimit
        return parameters
    }
}
