public import Cluster
public import Corpus
import Foundation
import Synchronization
public import Vectors

/// Everything a run produced, ready to be written.
public struct RunResult: Sendable {
    public var corpus: Corpus
    public var model: TFIDFModel
    public var clustering: Clustering
    public var parameters: RunParameters

    public init(corpus: Corpus, model: TFIDFModel, clustering: Clustering, parameters: RunParameters) {
        self.corpus = corpus
        self.model = model
        self.clustering = clustering
        self.parameters = parameters
    }
}

/// The headline numbers of a run, for `summary.json` and the command's closing line.
public struct RunCounts: Sendable, Hashable, Codable {
    public var recordsRead = 0
    public var articles = 0
    public var rejected = 0
    public var warnings = 0
    public var skippedFiles = 0
    public var clusters = 0
    public var storiesWithSeveralArticles = 0
    public var singletons = 0
    public var exactURL = 0
    public var exactText = 0
    public var nearDuplicate = 0
    public var sameStory = 0
    public var pairs = 0

    /// No articles, nothing counted yet.
    public init() {}

    /// Articles marked as a copy of another, of any kind.
    public var duplicates: Int { exactURL + exactText + nearDuplicate }

    enum CodingKeys: String, CodingKey {
        case articles, rejected, warnings, clusters, singletons, pairs
        case recordsRead = "records_read"
        case skippedFiles = "skipped_files"
        case storiesWithSeveralArticles = "multi_article_clusters"
        case exactURL = "exact_url"
        case exactText = "exact_text"
        case nearDuplicate = "near_duplicate"
        case sameStory = "same_story"
    }

    public init(_ result: RunResult) {
        let rejects = result.corpus.rejects
        rejected = rejects.count { $0.severity == .rejected }
        warnings = rejects.count { $0.severity == .warning }
        // A directory of StoryClust's own reports is skipped on purpose (it is listed in
        // rejects.csv); it is not an input file that went unread.
        skippedFiles = rejects.count { $0.severity == .skipped && !CorpusReader.isOwnOutput($0) }
        articles = result.clustering.records.count
        recordsRead = articles + rejected
        clusters = result.clustering.clusters.count
        storiesWithSeveralArticles = result.clustering.clusters.count { $0.members.count > 1 }
        pairs = result.clustering.pairs.count
        for membership in result.clustering.memberships {
            switch membership.relation {
            case .singleton: singletons += 1
            case .exactURL: exactURL += 1
            case .exactText: exactText += 1
            case .nearDuplicate: nearDuplicate += 1
            case .sameStory: sameStory += 1
            case .canonical: break
            }
        }
    }
}

/// Writes the reports of a run into one directory, all of them at once.
///
/// `articles.csv`, `clusters.csv`, `pairs.csv`, `calibration.csv`, `rejects.csv`, `clusters.json`,
/// `publishers.csv`, `report.html` and `summary.json` are written into a fresh hidden sibling of the directory and swapped in
/// together (``ReportSet``): a reader sees every report of the previous run or every report of
/// this one. File and column names are a contract: columns may be added at the end, never renamed.
public struct ReportWriter: Sendable {
    public let directory: String
    /// Worker threads that build the reports; the bytes do not depend on it.
    public var threads: Int
    /// What is done to CSV cells of input text that a spreadsheet would run as a formula.
    public var formulas: CSVFormulaPolicy
    /// Stories `report.html` shows as cards; `nil` writes no `report.html`.
    public var htmlStories: Int? = ReportWriter.defaultHTMLStories
    /// Files a front end adds to the set (`update`'s `changes.csv`), by name, already built.
    public var extraFiles: [(name: String, bytes: [UInt8])] = []

    public static let defaultHTMLStories = 200

    /// Rows (records, clusters or pairs) per chunk of a file: enough to keep the threads busy
    /// for a while, few enough that only a few megabytes wait to be written.
    var chunkRows = 4_096
    /// For tests: the report after which writing fails, as a full disk would.
    var failAfter: String?
    /// For tests: `false` swaps the set in as on a file system without an atomic exchange.
    var exchange = true

    public init(directory: String, threads: Int = 1, formulas: CSVFormulaPolicy = .neutralize) {
        precondition(threads >= 1, "at least one thread")
        self.directory = directory
        self.threads = threads
        self.formulas = formulas
    }

    public static let articleColumns = [
        "id", "cluster_id", "duplicate_of", "relation", "similarity", "is_canonical", "title",
        "publisher", "domain", "published", "url", "source", "canonical_url", "listed_by", "cluster_size",
        "similarity_to_original", "language",
    ]
    public static let clusterColumns = [
        "cluster_id", "size", "outlets", "first_published", "last_published", "canonical_id",
        "canonical_title", "top_terms", "min_similarity", "mean_similarity", "duplicates", "outlet_names",
    ]
    public static let pairColumns = ["id_a", "id_b", "cosine", "relation", "shared_terms", "hours_apart"]
    public static let rejectColumns = ["file", "line", "record", "severity", "id", "reason"]

    /// Creates the directory's parent when needed and checks that a new set can be swapped in:
    /// the parent is writable, and the directory, if it exists, is one that can be replaced.
    public func prepare() throws(ReportError) {
        let above = URL(fileURLWithPath: directory).standardizedFileURL.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: above, withIntermediateDirectories: true)
        } catch {
            throw .directory(path: directory, reason: (error as NSError).localizedDescription)
        }
        let (parent, base) = try ReportSet.resolve(directory)
        guard access(parent, W_OK | X_OK) == 0 else {
            throw .directory(path: directory, reason: "its parent \(parent) is not writable (the reports are written beside it, then swapped in)")
        }
        try ReportSet.checkTarget(ReportSet.join(parent, base))
    }

    /// Writes every report, then swaps them in for the directory's previous ones in one step.
    ///
    /// - Parameter facts: what `summary.json` records about the run, asked for once the other
    ///   reports are on disk so that it can time them.
    /// - Throws: ``ReportError`` when a report cannot be written; the previous reports are then
    ///   untouched and the staging directory is removed.
    public func write(_ result: RunResult, facts: () -> RunFacts) throws(ReportError) {
        try writeSet(result, facts: facts)
    }

    /// Writes every report but `summary.json`, as one set.
    public func writeReports(_ result: RunResult) throws(ReportError) {
        try writeSet(result) { nil }
    }

    private func writeSet(_ result: RunResult, facts: () -> RunFacts?) throws(ReportError) {
        try prepare()
        let set = try ReportSet(for: directory)
        try writeFiles(result, into: set.path)
        if let facts = facts() {
            try writeJSON(Summary(result: result, facts: facts, formulas: formulas), to: "summary.json", in: set.path)
            try injectedFailure(after: "summary.json")
        }
        try set.publish(exchange: exchange)
    }

    /// Writes every report but `summary.json` into `staging`.
    ///
    /// Each file is cut into chunks (runs of clusters or pairs) that the worker threads build as
    /// bytes; every file takes its chunks in order and is synced to disk as soon as it is
    /// complete, while the threads go on with the next file.
    private func writeFiles(_ result: RunResult, into staging: String) throws(ReportError) {
        let clustering = result.clustering
        let facts = Parallel.map(clustering.clusters.count, threads: threads, grain: 256) {
            ClusterFacts(clustering.clusters[$0], clustering)
        }
        let order = ReportOrder(clustering)
        // The stories as the editorial reports see them and the outlet table are built by the
        // first job that needs them, beside the other files, not before them all.
        let editorial = Once { () -> (report: EditorialReport, publishers: PublisherTable) in
            let report = EditorialReport(result, facts: facts, order: order)
            return (report, PublisherTable(report.stories))
        }
        var reports = [
            ReportFile(name: "publishers.csv", chunkCount: 1) { [formulas] _ in editorial.value.publishers.csv(formulas) },
        ]
        if let stories = htmlStories {
            reports.append(ReportFile(name: "report.html", chunkCount: 1) { _ in
                ReportPage(report: editorial.value.report, publishers: editorial.value.publishers, budget: .init(stories: stories)).render()
            })
        }
        let tables = [
            articlesFile(result, order: order),
            clustersFile(result, facts: facts),
            pairsFile(result, rows: PairRows(result, threads: threads, order: order, formulas: formulas)),
            rejectsFile(result.corpus.rejects),
            clustersJSONFile(result, facts: facts, order: order),
        ]
        // Files an update adds (changes.csv), one job each.
        let extras = extraFiles.map { name, bytes in ReportFile(name: name, chunkCount: 1) { _ in bytes } }
        // The editorial files first (one job each, the longest), then the tables largest first, so
        // that the file whose sync nothing overlaps is a small one.
        let files = reports + (tables + extras).sorted { $0.chunkCount > $1.chunkCount }
        var writers: [OrderedWriter] = []
        for file in files { writers.append(try OrderedWriter(path: staging + "/" + file.name, chunkCount: file.chunkCount)) }
        let jobs = files.indices.flatMap { file in (0..<files[file].chunkCount).map { (file: file, chunk: $0) } }
        // Job 0 writes calibration.csv (its own file, a serial pass over the pairs); the others
        // build one chunk each.
        let queue = Chunks(count: jobs.count + 1, grain: 1)
        let ready = writers
        let calibration = Mutex<ReportError?>(nil)
        Parallel.run(threads: min(threads, jobs.count + 1)) { _ in
            while let range = queue.next() {
                for job in range {
                    guard job > 0 else {
                        do throws(ReportError) {
                            try writeCalibration(result, order: order, to: staging + "/calibration.csv")
                        } catch {
                            calibration.withLock { $0 = error }
                        }
                        continue
                    }
                    let (file, chunk) = jobs[job - 1]
                    do throws(ReportError) {
                        ready[file].deliver(chunk, try files[file].build(chunk))
                    } catch {
                        ready[file].fail(error)
                    }
                }
            }
        }
        for writer in writers { try writer.check() }
        for (writer, file) in zip(writers, files) {
            try writer.commit()
            try injectedFailure(after: file.name)
        }
        if let error = calibration.withLock({ $0 }) { throw error }
        try injectedFailure(after: "calibration.csv")
    }

    private func injectedFailure(after name: String) throws(ReportError) {
        if failAfter == name { throw .file(path: directory + "/" + name, reason: "injected failure after writing it") }
    }

    /// `articles.csv`: one row per record, by cluster, in cluster order.
    private func articlesFile(_ result: RunResult, order: ReportOrder) -> ReportFile {
        let clustering = result.clustering, text = formulas, matrix = result.model.matrix
        let languages = result.model.languages
        let chunks = ReportFile.clusterRuns(clustering.clusters, rows: chunkRows)
        return ReportFile(name: "articles.csv", chunkCount: chunks.count - 1) { chunk in
            var out = ReportBuffer(capacity: 1 << 20)
            if chunk == 0 { out.appendCSVHeader(Self.articleColumns) }
            var days = DayCache()
            let records = clustering.records
            for cluster in clustering.clusters[chunks[chunk]..<chunks[chunk + 1]] {
                for member in order.members(cluster) {
                    let membership = clustering.memberships[member]
                    out.appendCSVText(records[member].id, text)
                    out.append(byte: 0x2C)
                    out.appendCSVField(cluster.id)
                    out.append(byte: 0x2C)
                    if let original = membership.duplicateOf { out.appendCSVText(records[original].id, text) }
                    out.append(byte: 0x2C)
                    out.append(membership.relation.rawValue)
                    out.append(byte: 0x2C)
                    out.appendDecimal(membership.similarity)
                    out.append(member == cluster.canonical ? ",true," : ",false,")
                    out.appendCSVText(records[member].title, text)
                    out.append(byte: 0x2C)
                    out.appendCSVText(records[member].publisher, text)
                    out.append(byte: 0x2C)
                    out.appendCSVText(records[member].domain, text)
                    out.append(byte: 0x2C)
                    if let published = records[member].published { out.appendTimestamp(published, days: &days) }
                    out.append(byte: 0x2C)
                    if let url = records[member].url { out.appendCSVText(url, text) }
                    out.append(byte: 0x2C)
                    out.appendCSVText(text) { $0.append(records[member].source) }
                    out.append(byte: 0x2C)
                    if let canonicalURL = records[member].canonicalURL { out.appendCSVText(canonicalURL, text) }
                    out.append(byte: 0x2C)
                    if let listedBy = records[member].listedBy { out.appendCSVText(listedBy, text) }
                    out.append(byte: 0x2C)
                    out.append(cluster.members.count)
                    out.append(byte: 0x2C)
                    if let toOriginal = OriginalSimilarity.of(member, clustering, matrix) { out.appendDecimal(toOriginal) }
                    out.append(byte: 0x2C)
                    // An exact-URL copy (the same article read twice) has no row of its own:
                    // it is in the language of the article it copies.
                    let row = member < languages.count ? member : membership.duplicateOf ?? member
                    if row < languages.count { out.append(languages[row].rawValue) }
                    out.appendCRLF()
                }
            }
            return out.bytes
        }
    }

    /// `clusters.csv`: one row per cluster.
    private func clustersFile(_ result: RunResult, facts: [ClusterFacts]) -> ReportFile {
        let clusters = result.clustering.clusters
        let size = chunkRows, text = formulas
        return ReportFile(name: "clusters.csv", chunkCount: max(1, (clusters.count + size - 1) / size)) { chunk in
            var out = ReportBuffer(capacity: 1 << 20)
            if chunk == 0 { out.appendCSVHeader(Self.clusterColumns) }
            var days = DayCache()
            for index in (chunk * size)..<min((chunk + 1) * size, clusters.count) {
                let cluster = clusters[index], facts = facts[index]
                out.appendCSVField(cluster.id)
                out.append(byte: 0x2C)
                out.append(cluster.members.count)
                out.append(byte: 0x2C)
                out.append(facts.outlets.count)
                out.append(byte: 0x2C)
                if let first = facts.first { out.appendTimestamp(first, days: &days) }
                out.append(byte: 0x2C)
                if let last = facts.last { out.appendTimestamp(last, days: &days) }
                out.append(byte: 0x2C)
                out.appendCSVText(facts.canonical.id, text)
                out.append(byte: 0x2C)
                out.appendCSVText(facts.canonical.title, text)
                out.append(byte: 0x2C)
                out.appendCSVText(text) { $0.appendJoined(cluster.topTerms) }
                out.append(byte: 0x2C)
                if let min = cluster.minSimilarity { out.appendDecimal(min) }
                out.append(byte: 0x2C)
                if let mean = cluster.meanSimilarity { out.appendDecimal(mean) }
                out.append(byte: 0x2C)
                out.append(facts.duplicates)
                out.append(byte: 0x2C)
                out.appendCSVText(text) { $0.appendJoined(facts.outlets) }
                out.appendCRLF()
            }
            return out.bytes
        }
    }

    /// `pairs.csv`: one row per pair at or above the story threshold.
    private func pairsFile(_ result: RunResult, rows: PairRows) -> ReportFile {
        let count = result.clustering.pairs.count, size = chunkRows
        return ReportFile(name: "pairs.csv", chunkCount: max(1, (count + size - 1) / size)) { chunk in
            var out = ReportBuffer(capacity: 1 << 20)
            if chunk == 0 { out.appendCSVHeader(Self.pairColumns) }
            rows.append((chunk * size)..<min((chunk + 1) * size, count), to: &out)
            return out.bytes
        }
    }

    /// `rejects.csv`: one row per rejected record or warning.
    private func rejectsFile(_ rejects: [Reject]) -> ReportFile {
        let text = formulas
        return ReportFile(name: "rejects.csv", chunkCount: 1) { _ in
            var out = ReportBuffer()
            out.appendCSVHeader(Self.rejectColumns)
            for reject in rejects {
                out.appendCSVText(reject.source.file, text)
                out.append(byte: 0x2C)
                if let line = reject.source.line { out.append(line) }
                out.append(byte: 0x2C)
                if reject.source.record > 0 { out.append(reject.source.record) }
                out.append(byte: 0x2C)
                out.append(reject.severity.rawValue)
                out.append(byte: 0x2C)
                if let id = reject.articleID { out.appendCSVText(id, text) }
                out.append(byte: 0x2C)
                out.appendCSVText(reject.reason, text)
                out.appendCRLF()
            }
            return out.bytes
        }
    }

    /// `clusters.json`: one cluster per line, each byte for byte what `JSONEncoder` with
    /// `[.sortedKeys, .withoutEscapingSlashes]` makes of it (keys in sorted order, absent values
    /// as `null`, no spaces), so that a month's file is a third smaller than pretty-printed and
    /// `head` or `grep` still show whole clusters.
    private func clustersJSONFile(_ result: RunResult, facts: [ClusterFacts], order: ReportOrder) -> ReportFile {
        let clustering = result.clustering, matrix = result.model.matrix
        let chunks = ReportFile.clusterRuns(clustering.clusters, rows: max(1, chunkRows / 2))
        let path = directory + "/clusters.json"
        return ReportFile(name: "clusters.json", chunkCount: chunks.count - 1) { chunk throws(ReportError) in
            var out = ReportBuffer(capacity: 1 << 20)
            if chunk == 0 { out.append("{\"clusters\":[\n") }
            var days = DayCache()
            do throws(JSONNumberError) {
                for index in chunks[chunk]..<chunks[chunk + 1] {
                    if index > 0 { out.append(",\n") }
                    try out.appendClusterJSON(index, clustering, matrix: matrix, members: order.members(clustering.clusters[index]), facts: facts[index], days: &days)
                }
            } catch {
                throw .encoding(path: path, reason: "\(error.value) cannot be written in JSON")
            }
            if chunk == chunks.count - 2 {
                out.append(clustering.clusters.isEmpty ? "],\"tool\":" : "\n],\"tool\":")
                out.appendJSONString("storyclust")
                out.append(",\"version\":")
                out.appendJSONString(StoryClustVersion.current)
                out.append("}\n")
            }
            return out.bytes
        }
    }

    /// Writes `summary.json` into `staging`.
    func writeSummary(_ summary: Summary, in staging: String) throws(ReportError) {
        try writeJSON(summary, to: "summary.json", in: staging)
    }

    private func writeJSON(_ value: some Encodable, to name: String, in staging: String) throws(ReportError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw .encoding(path: directory + "/" + name, reason: "\(error)")
        }
        let file = try AtomicFile(path: staging + "/" + name)
        try file.write(data)
        try file.write("\n")
        try file.commit()
    }
}
