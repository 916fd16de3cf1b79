public import Cluster
public import Corpus
public import Report
public import Vectors

/// The read → vectorize → score pairs → cluster → report wiring, in one place for every front
/// end that clusters, so that `evaluate` and `tune` score exactly what `cluster` writes (and
/// `update` and sharding will run the same stages).
///
/// Each stage reports on the progress lines and laps the stage clock.
public struct Pipeline {
    public let settings: PipelineSettings
    public let fieldMap: FieldMap
    public let progress: ProgressLines
    /// Directories the run writes reports to: never read as input.
    public let outputDirectories: [String]
    /// Where a warning for the person running goes (a report of the run found among the inputs).
    let warn: (String) -> Void
    public private(set) var clock = StageClock()
    /// The arithmetic of the similarity scans so far, for the BLAS share on the progress lines.
    public internal(set) var scanWork = ScanWork()

    public init(
        settings: PipelineSettings, fieldMap: FieldMap, progress: ProgressLines, outputDirectories: [String] = [],
        warn: @escaping (String) -> Void
    ) {
        self.settings = settings
        self.fieldMap = fieldMap
        self.progress = progress
        self.outputDirectories = outputDirectories
        self.warn = warn
    }

    /// Reads the inputs.
    public mutating func read() throws(CorpusError) -> Corpus {
        let paths = settings.paths
        progress.stage("reading \(paths.joined(separator: " "))")
        let readOptions = settings.readOptions(fields: fieldMap, excluding: outputDirectories)
        let corpus = try CorpusReader(options: readOptions).read(paths: paths, progress: progress.counter("reading", unit: "files"))
        for reject in corpus.rejects where CorpusReader.isOwnOutput(reject) {
            warn("\(reject.source.file): \(reject.reason)")
        }
        clock.lap("read")
        progress.stage("read \(corpus.articles.count) articles from \(corpus.files.count) files")
        return corpus
    }

    /// Fits the TF-IDF model, with `nameWeight` instead of the settings' when a sweep varies it.
    public mutating func vectorize(_ corpus: Corpus, nameWeight: Float? = nil) -> TFIDFModel {
        let model = Vectorizer(options: settings.vectorizerOptions(nameWeight: nameWeight))
            .fit(corpus.articles, threads: settings.threads, progress: progress.counter("vectorizing", unit: "articles"))
        clock.lap("vectorize")
        progress.stage("vectorized: \(model.terms.count) terms")
        return model
    }

    /// The similarity engine that returns every pair at or above `floor`.
    public func engine(floor: Float) -> SimilarityEngine {
        SimilarityEngine(options: settings.similarityOptions(floor: floor))
    }

    /// The groups of exact copies (``Clusterer/exactCopies(_:threads:)``), for the engine to
    /// score once and the clustering to start from.
    public func copyGroups(_ corpus: Corpus) -> [Int] {
        Clusterer.exactCopies(corpus.articles, threads: settings.threads)
    }

    /// The groups of exact copies from the hashes `model` found while tokenizing the corpus.
    public func copyGroups(_ corpus: Corpus, model: TFIDFModel) -> [Int] {
        Clusterer.exactCopies(corpus.articles, keys: model.textKeys, threads: settings.threads)
    }

    /// Every pair of articles whose cosine reaches `floor`, sorted; by brute force when `settings.exact` (`--exact`).
    /// With `copyGroups`, exact copies are scored once and their pairs among themselves listed
    /// as a star when the group is large (``SimilarityOptions/copyStarSize``); an article with
    /// more later partners than ``SimilarityOptions/partnerCap`` keeps its best ones, ties by id.
    public mutating func pairs(_ corpus: Corpus, model: TFIDFModel, floor: Float, copyGroups: [Int]? = nil) -> PairSearch {
        let engine = engine(floor: floor)
        let published = corpus.articles.map(\.published)
        let counter = progress.counter("similarity", unit: "row chunks")
        let found: PairSearch
        if settings.exact {
            found = PairSearch(pairs: engine.bruteForcePairs(model.matrix, published: published, progress: counter))
        } else {
            found = engine.search(model.matrix, published: published, copyGroups: copyGroups, rank: Self.idRank(corpus.articles),
                                  progress: counter)
        }
        clock.lap("similarity")
        scanWork = scanWork + found.work
        let capped = found.cappedRows.isEmpty ? "" : " (\(found.cappedRows.count) articles kept their best \(engine.options.partnerCap ?? 0))"
        let work = found.work
        progress.stage("similarity: \(found.pairs.count) pairs\(capped); scan \(Self.rounded(Double(work.flops) / 1e9)) GFLOP "
                       + "(\(work.postings) postings, \(work.bounds) bounds, \(work.denseDots) dense dots of \(work.denseWidth))")
        return found
    }

    /// Clusters with the given settings; `pairs` must hold every pair at or above their floor
    /// but those the cap dropped (`swarms`, the search that gave them).
    public mutating func cluster(
        _ corpus: Corpus, model: TFIDFModel, pairs: [ScoredPair], options clusterOptions: ClusterOptions,
        copyGroups: [Int]? = nil, swarms: PairSearch? = nil, partition: [Int]? = nil, seed: [Int]? = nil, shortTexts: ShortTexts? = nil
    ) -> Clustering {
        let scores = shortTexts?.linkScores(pairs)
        let clustering = Clusterer(options: clusterOptions, threads: settings.threads)
            .cluster(corpus, model: model, pairs: pairs, copyGroups: copyGroups, swarms: swarms, partition: partition, seed: seed,
                     linkScores: scores)
        clock.lap("cluster")
        let dense = clustering.denseWork
        if dense.calls > 0 {
            let rounded = Self.rounded
            progress.stage("cluster: story cosines by BLAS: \(dense.calls) calls, \(rounded(Double(dense.flops) / 1e9)) GFLOP in \(rounded(dense.seconds)) s (\(rounded(Double(dense.flops) / 1e9 / max(dense.seconds, 1e-9))) GFLOP/s)")
            let share = Double(dense.flops) / Double(max(1, dense.flops + scanWork.flops))
            progress.stage("BLAS share of the scan and cosine flops: \(rounded(100 * share))%")
        }
        return clustering
    }

    private static func rounded(_ x: Double) -> String { "\(Double(Int((x * 1_000).rounded())) / 1_000)" }

    /// Laps the clock for a stage run outside the pipeline (writing the reports).
    public mutating func lap(_ stage: String) {
        clock.lap(stage)
    }

    /// The whole run with the settings as given: what `cluster` writes.
    public mutating func run() throws(CorpusError) -> RunResult {
        run(try read())
    }

    /// Every stage after reading, on a corpus put together by the caller (`update`'s window).
    public mutating func run(_ corpus: Corpus) -> RunResult {
        let model = vectorize(corpus)
        var clusterOptions = settings.clusterOptions()
        let copies = copyGroups(corpus, model: model)
        var short = shortTexts(model)
        let found = pairs(corpus, model: model, floor: clusterOptions.pairFloor * (short?.floorFactor ?? 1), copyGroups: copies)
        return cluster(corpus, model: model, found: consume found, copies: copies, shortTexts: &short, options: &clusterOptions)
    }

    /// The stages after the pair search, for a batch run and an update's window alike: the story
    /// time scale, the short texts' dense candidates, the clustering (from `seed`'s groups when
    /// given), and the run's result with the parameters as the clustering applied them.
    ///
    /// `found` is consumed: the time scale and the short texts replace its pairs, and a caller
    /// still holding them would keep a month's first list (some 400 MB) alive through the linkage.
    mutating func cluster(
        _ corpus: Corpus, model: TFIDFModel, found: consuming PairSearch, copies: [Int], shortTexts short: inout ShortTexts?,
        options clusterOptions: inout ClusterOptions, seed: [Int]? = nil
    ) -> RunResult {
        // The window first: the short-text scores judge each article by its best match among
        // the pairs the linkage can use.
        let timeScale = adaptWindow(&found, corpus: corpus, options: &clusterOptions)
        if short != nil {
            found = merge(found, model: model, published: corpus.articles.map(\.published), floor: clusterOptions.pairFloor,
                          window: timeScale?.window, shortTexts: &short!)
        }
        let clustering = cluster(
            corpus, model: model, pairs: found.pairs, options: clusterOptions, copyGroups: copies, swarms: found, seed: seed,
            shortTexts: short)
        var parameters = settings.parameters(pairFloor: clusterOptions.pairFloor)
        parameters.density = clustering.density
        parameters.linkageThreshold = clustering.linkageThreshold
        parameters.linkagePriorPairs = clustering.priorPairs
        parameters.storyTimeScaleSeconds = timeScale?.medianSeconds
        parameters.linkageWindowHours = timeScale?.window.map { Double($0) / 3_600 }
        return RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters)
    }

    /// Each article's place in id order: the engine's tie-breaker, so that which partners come
    /// first does not depend on the order of the input's records.
    static func idRank(_ articles: [Article]) -> [Int32] {
        var rank = [Int32](repeating: 0, count: articles.count)
        for (place, index) in articles.indices.sorted(by: { articles[$0].id < articles[$1].id }).enumerated() { rank[index] = Int32(place) }
        return rank
    }

    /// Writes every report of `result` as one set, `summary.json` last so that it records the
    /// time spent writing the others (the `report` lap).
    public mutating func write(_ result: RunResult, with writer: ReportWriter) throws(ReportError) -> RunCounts {
        try writer.write(result) {
            lap("report")
            return RunFacts(stageSeconds: clock.laps, threads: settings.threads, blas: BLAS.info)
        }
        return RunCounts(result)
    }
}
