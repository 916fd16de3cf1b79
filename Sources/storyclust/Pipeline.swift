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
    /// Directories the run writes reports to: never read as input.
    let outputDirectories: [String]
    private(set) var clock = StageClock()

    init(options: PipelineOptions, fieldMap: FieldMap, progress: Progress, outputDirectories: [String] = []) {
        self.options = options
        self.fieldMap = fieldMap
        self.progress = progress
        self.outputDirectories = outputDirectories
    }

    /// Reads the inputs.
    mutating func read() throws(CorpusError) -> Corpus {
        let paths = options.paths
        progress.stage("reading \(paths.joined(separator: " "))")
        let readOptions = options.readOptions(fields: fieldMap, excluding: outputDirectories)
        let corpus = try CorpusReader(options: readOptions).read(paths: paths, progress: progress.counter("reading", unit: "files"))
        for reject in corpus.rejects where CorpusReader.isOwnOutput(reject) {
            Console.warning("\(reject.source.file): \(reject.reason)")
        }
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

    /// The groups of exact copies (``Clusterer/exactCopies(_:threads:)``), for the engine to
    /// score once and the clustering to start from.
    func copyGroups(_ corpus: Corpus) -> [Int] {
        Clusterer.exactCopies(corpus.articles, threads: options.threadCount)
    }

    /// Every pair of articles whose cosine reaches `floor`, sorted; by brute force under `--exact`.
    /// With `copyGroups`, exact copies are scored once and their pairs among themselves listed
    /// as a star when the group is large (``SimilarityOptions/copyStarSize``); an article with
    /// more later partners than ``SimilarityOptions/partnerCap`` keeps its best ones, ties by id.
    mutating func pairs(_ corpus: Corpus, model: TFIDFModel, floor: Float, copyGroups: [Int]? = nil) -> PairSearch {
        let engine = engine(floor: floor)
        let published = corpus.articles.map(\.published)
        let counter = progress.counter("similarity", unit: "row chunks")
        let found: PairSearch
        if options.exact {
            found = PairSearch(pairs: engine.bruteForcePairs(model.matrix, published: published, progress: counter))
        } else {
            let articles = corpus.articles
            var rank = [Int32](repeating: 0, count: articles.count)
            for (place, index) in articles.indices.sorted(by: { articles[$0].id < articles[$1].id }).enumerated() { rank[index] = Int32(place) }
            found = engine.search(model.matrix, published: published, copyGroups: copyGroups, rank: rank, progress: counter)
        }
        clock.lap("similarity")
        let capped = found.cappedRows.isEmpty ? "" : " (\(found.cappedRows.count) articles kept their best \(engine.options.partnerCap ?? 0))"
        progress.stage("similarity: \(found.pairs.count) pairs\(capped)")
        return found
    }

    /// Clusters with the given settings; `pairs` must hold every pair at or above their floor
    /// but those the cap dropped (`swarms`, the search that gave them).
    mutating func cluster(
        _ corpus: Corpus, model: TFIDFModel, pairs: [ScoredPair], options clusterOptions: ClusterOptions,
        copyGroups: [Int]? = nil, swarms: PairSearch? = nil
    ) -> Clustering {
        let clustering = Clusterer(options: clusterOptions, threads: options.threadCount)
            .cluster(corpus, model: model, pairs: pairs, copyGroups: copyGroups, swarms: swarms)
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
        let copies = copyGroups(corpus)
        let found = pairs(corpus, model: model, floor: clusterOptions.pairFloor, copyGroups: copies)
        let clustering = cluster(corpus, model: model, pairs: found.pairs, options: clusterOptions, copyGroups: copies, swarms: found)
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
        parameters.recordsKey = options.records
        parameters.csvDelimiter = options.delimiter?.rawValue
        return parameters
    }
}
