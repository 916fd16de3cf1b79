import ArgumentParser
import Cluster
import Corpus
import Dispatch
import Foundation
import Report
import Vectors

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Clusters articles into stories and marks exact and near duplicates.",
        discussion: """
            Reads .md/.markdown/.txt files with YAML front matter, .jsonl/.ndjson, .json and .csv \
            files; directories are walked recursively. Writes articles.csv, clusters.csv, pairs.csv, \
            rejects.csv, clusters.json and summary.json into the output directory.
            """
    )

    static let defaultThreshold: Float = 0.18
    static let defaultDuplicateThreshold: Float = 0.85
    static let defaultWindowHours = 72.0
    static let defaultTimeDecay: Float = 0.5

    @Argument(help: ArgumentHelp("Input files and directories.", discussion: "Default: data/", valueName: "input"))
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory for the reports.", valueName: "dir"))
    var out = "reports"

    @Option(help: ArgumentHelp(
        "Story threshold: groups join when their mean cosine reaches it.",
        discussion: "Pairs at or above it are listed in pairs.csv.",
        valueName: "t"))
    var threshold: Float = defaultThreshold

    @Option(help: ArgumentHelp("Cosine at or above which an article is a near-duplicate of an earlier one.", valueName: "d"))
    var duplicateThreshold: Float = defaultDuplicateThreshold

    @Option(help: ArgumentHelp(
        "Never compare articles published more than this many hours apart, or 'none'.",
        discussion: "Articles without a time are compared with all.",
        valueName: "hours|none"))
    var window = "72"

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "Read field NAME from input key SOURCE (a column or a dotted path); repeatable.",
        discussion: "NAME is one of: \(FieldMap.fieldNames.joined(separator: ", ")).",
        valueName: "NAME=SOURCE"))
    var fields: [String] = []

    @Option(help: ArgumentHelp(
        "Lowest cosine scored for linkage (default: two thirds of the threshold).",
        discussion: "Pairs below it count as zero in the average-link means.",
        valueName: "f"))
    var pairFloor: Float?

    @Option(help: ArgumentHelp("Stop words to remove: english or none.", valueName: "list"))
    var stopWords: StopWordsOption = .english

    @Option(help: ArgumentHelp("How many body tokens one title token counts as.", valueName: "w"))
    var titleWeight: Float = VectorizerOptions().titleWeight

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
    var nameWeight: Float = VectorizerOptions().nameWeight

    @Option(help: ArgumentHelp(
        "Share of a pair's cosine the linkage discounts when the two are 72 hours apart (0 to 1).",
        discussion: "Linearly less for closer pairs; 0 turns it off. pairs.csv keeps the plain cosine.",
        valueName: "d"))
    var timeDecay: Float = defaultTimeDecay

    @Option(help: ArgumentHelp("Worker threads (default: all cores).", valueName: "n"))
    var threads: Int?

    @Option(help: ArgumentHelp("Most frequent terms multiplied by GEMM (benchmarking).", visibility: .hidden))
    var denseColumns: Int?

    @Flag(help: "Exit with status 65 when any record was rejected.")
    var strict = false

    @Flag(help: "Show progress on standard error even when it is not a terminal.")
    var progress = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    /// The comparison window in seconds, `nil` for none.
    var windowSeconds: Int64? {
        window.lowercased() == "none" ? nil : Int64((Double(window) ?? 0) * 3_600)
    }

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
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1, got \(threads)")
        }
        _ = try fieldMap()
    }

    /// The standard field map with every `--field` spec applied; a bad spec is a usage error.
    func fieldMap() throws -> FieldMap {
        var map = FieldMap.standard
        for spec in fields {
            do { try map.add(spec) } catch { throw ValidationError("--field \(spec): \(error)") }
        }
        return map
    }

    func run() throws {
        let progress = Progress(enabled: !quiet && (progress || isatty(STDERR_FILENO) != 0))
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let fieldMap = try fieldMap()
        let paths = inputs.isEmpty ? ["data"] : inputs
        let writer = ReportWriter(directory: out, threads: threadCount)
        var clock = StageClock()

        do {
            // Fail on an unwritable output directory before doing any work.
            try writer.prepare()

            progress.stage("reading \(paths.joined(separator: " "))")
            let corpus = try CorpusReader(options: ReadOptions(fields: fieldMap, threads: threadCount)).read(paths: paths)
            clock.lap("read")
            progress.stage("read \(corpus.articles.count) articles from \(corpus.files.count) files")

            let vectorizer = Vectorizer(options: VectorizerOptions(
                stopWords: stopWords.list, titleWeight: titleWeight, bigrams: bigrams, stemPlurals: stemPlurals,
                termFrequency: termFrequency.kind, nameWeight: nameWeight))
            let model = vectorizer.fit(corpus.articles)
            clock.lap("vectorize")
            progress.stage("vectorized: \(model.terms.count) terms")

            let clusterOptions = ClusterOptions(
                threshold: threshold, duplicateThreshold: duplicateThreshold, pairFloor: pairFloor, timeDecay: timeDecay)
            let engine = SimilarityEngine(options: SimilarityOptions(
                threshold: clusterOptions.pairFloor, window: windowSeconds, threads: threadCount, denseColumns: denseColumns))
            let pairs = engine.pairs(model.matrix, published: corpus.articles.map(\.published), progress: progress.tiles)
            clock.lap("similarity")
            progress.stage("similarity: \(pairs.count) pairs")

            let clustering = Clusterer(options: clusterOptions, threads: threadCount).cluster(corpus, model: model, pairs: pairs)
            clock.lap("cluster")

            let parameters = RunParameters(
                threshold: threshold, duplicateThreshold: duplicateThreshold, pairFloor: clusterOptions.pairFloor,
                windowHours: windowSeconds.map { Double($0) / 3_600 }, titleWeight: titleWeight, bigrams: bigrams,
                stopWords: stopWords.rawValue, fieldMappings: fields, tileRows: engine.options.tileRows,
                termFrequency: termFrequency.rawValue, nameWeight: nameWeight, stemPlurals: stemPlurals, timeDecay: timeDecay
            )
            let result = RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters)
            try writer.writeReports(result)
            clock.lap("report")
            try writer.writeSummary(result, facts: RunFacts(stageSeconds: clock.laps, threads: threadCount, blas: BLAS.info))
            progress.finish()

            let counts = RunCounts(result)
            if !quiet {
                print("""
                    storyclust: \(counts.articles) articles from \(corpus.files.count) files -> \(counts.clusters) clusters \
                    (\(counts.storiesWithSeveralArticles) with several articles), \(counts.duplicates) duplicates \
                    (\(counts.exactURL) exact URL, \(counts.exactText) exact text, \(counts.nearDuplicate) near), \
                    \(counts.rejected) rejected, \(counts.warnings) warnings, \(String(format: "%.2f", clock.total)) s
                    reports: \(out)/articles.csv clusters.csv pairs.csv rejects.csv clusters.json summary.json
                    """)
            }
            if strict && counts.rejected > 0 {
                FileHandle.standardError.write(Data("storyclust: \(counts.rejected) records rejected (--strict); see \(out)/rejects.csv\n".utf8))
                throw ExitCode(65)
            }
        } catch let error as CorpusError {
            throw Self.ioFailure("\(error)")
        } catch let error as ReportError {
            throw Self.ioFailure("\(error)")
        }
    }

    /// Prints the message and returns the I/O exit status (EX_IOERR, 74).
    private static func ioFailure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("storyclust: error: \(message)\n".utf8))
        return ExitCode(74)
    }
}

/// Wall time per pipeline stage.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var laps: [(stage: String, seconds: Double)] = []

    mutating func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((stage, Double(now - last) / 1e9))
        last = now
    }

    var total: Double { laps.reduce(0) { $0 + $1.seconds } }
}

/// Progress lines on standard error: one per stage, and a live tile counter with rate and ETA.
final class Progress: Sendable {
    let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func stage(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(elapsed)] \(message)\n".utf8))
    }

    var tiles: (@Sendable (Int, Int) -> Void)? {
        guard enabled else { return nil }
        let begun = DispatchTime.now().uptimeNanoseconds
        return { done, total in
            guard done == total || done % 16 == 0 else { return }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - begun) / 1e9
            let rate = Double(done) / max(seconds, 1e-9)
            let eta = Double(total - done) / max(rate, 1e-9)
            FileHandle.standardError.write(Data(String(format: "\r\u{1B}[Ksimilarity: tile pair %d/%d, %.0f/s, ETA %.0f s", done, total, rate, eta).utf8))
        }
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(elapsed)] done\n".utf8))
    }

    private var elapsed: String {
        String(format: "%6.2fs", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}

/// `--tf`, as the command line spells it.
enum TermFrequencyOption: String, ExpressibleByArgument, CaseIterable {
    case bm25, sublinear
    var kind: TermFrequency { self == .bm25 ? .bm25 : .sublinear }
}

/// `--stop-words`, as the command line spells it.
enum StopWordsOption: String, ExpressibleByArgument, CaseIterable {
    case english, none
    var list: Tokenizer.StopWords { self == .english ? .english : .none }
}
