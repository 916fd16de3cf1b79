public import Cluster
public import Corpus
import Foundation
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
        skippedFiles = rejects.count { $0.severity == .skipped }
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

/// Writes the reports of a run into one directory, each file atomically.
///
/// `articles.csv`, `clusters.csv`, `pairs.csv`, `calibration.csv`, `rejects.csv`, `clusters.json`
/// and `summary.json`.
/// File and column names are a contract: columns may be added at the end, never renamed.
public struct ReportWriter: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public static let articleColumns = [
        "id", "cluster_id", "duplicate_of", "relation", "similarity", "is_canonical", "title",
        "publisher", "domain", "published", "url", "source", "canonical_url", "listed_by", "cluster_size",
    ]
    public static let clusterColumns = [
        "cluster_id", "size", "outlets", "first_published", "last_published", "canonical_id",
        "canonical_title", "top_terms", "min_similarity", "mean_similarity", "duplicates", "outlet_names",
    ]
    public static let pairColumns = ["id_a", "id_b", "cosine", "relation", "shared_terms", "hours_apart"]
    public static let rejectColumns = ["file", "line", "record", "severity", "id", "reason"]

    /// Creates the directory when needed and checks that it can be written.
    public func prepare() throws(ReportError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .directory(path: directory, reason: (error as NSError).localizedDescription)
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw .directory(path: directory, reason: "permission denied")
        }
    }

    /// Writes every report but `summary.json`.
    public func writeReports(_ result: RunResult) throws(ReportError) {
        try prepare()
        try writeArticles(result)
        try writeClusters(result)
        try writePairs(result)
        try writeCalibration(result)
        try writeRejects(result.corpus.rejects)
        try writeClustersJSON(result)
    }

    /// Writes `summary.json`, the run manifest; last, so that it can time the other reports.
    public func writeSummary(_ result: RunResult, facts: RunFacts) throws(ReportError) {
        let summary = Summary(result: result, facts: facts)
        try writeJSON(summary, to: "summary.json")
    }

    private func path(_ name: String) -> String { directory + "/" + name }

    private func writeArticles(_ result: RunResult) throws(ReportError) {
        var table = try CSVTable(path: path("articles.csv"), header: Self.articleColumns)
        let clustering = result.clustering
        let records = clustering.records
        for cluster in clustering.clusters {
            for member in cluster.members {
                let article = records[member]
                let membership = clustering.memberships[member]
                try table.append([
                    article.id,
                    cluster.id,
                    membership.duplicateOf.map { records[$0].id } ?? "",
                    membership.relation.rawValue,
                    Format.decimal(membership.similarity),
                    member == cluster.canonical ? "true" : "false",
                    article.title,
                    article.publisher,
                    article.domain,
                    article.published.map(Timestamp.iso8601) ?? "",
                    article.url ?? "",
                    article.source.description,
                    article.canonicalURL ?? "",
                    article.listedBy ?? "",
                    String(cluster.members.count),
                ])
            }
        }
        try table.commit()
    }

    private func writeClusters(_ result: RunResult) throws(ReportError) {
        var table = try CSVTable(path: path("clusters.csv"), header: Self.clusterColumns)
        for cluster in result.clustering.clusters {
            let facts = ClusterFacts(cluster, result.clustering)
            try table.append([
                cluster.id,
                String(cluster.members.count),
                String(facts.outlets.count),
                facts.first.map(Timestamp.iso8601) ?? "",
                facts.last.map(Timestamp.iso8601) ?? "",
                facts.canonical.id,
                facts.canonical.title,
                cluster.topTerms.joined(separator: "; "),
                cluster.minSimilarity.map { Format.decimal($0) } ?? "",
                cluster.meanSimilarity.map { Format.decimal($0) } ?? "",
                String(facts.duplicates),
                facts.outlets.joined(separator: "; "),
            ])
        }
        try table.commit()
    }

    private func writePairs(_ result: RunResult) throws(ReportError) {
        var table = try CSVTable(path: path("pairs.csv"), header: Self.pairColumns)
        let clustering = result.clustering
        for pair in clustering.pairs {
            let a = Int(pair.first), b = Int(pair.second)
            let first = clustering.records[a], second = clustering.records[b]
            let hours: String
            if let x = first.published, let y = second.published {
                hours = Format.decimal(Double(abs(x - y)) / 3_600, places: 2)
            } else {
                hours = ""
            }
            try table.append([
                first.id,
                second.id,
                Format.decimal(pair.cosine),
                PairRelation.of(a, b, pair.cosine, clustering).rawValue,
                SharedTerms.describe(a, b, model: result.model),
                hours,
            ])
        }
        try table.commit()
    }

    private func writeRejects(_ rejects: [Reject]) throws(ReportError) {
        var table = try CSVTable(path: path("rejects.csv"), header: Self.rejectColumns)
        for reject in rejects {
            try table.append([
                reject.source.file,
                reject.source.line.map(String.init) ?? "",
                reject.source.record > 0 ? String(reject.source.record) : "",
                reject.severity.rawValue,
                reject.articleID ?? "",
                reject.reason,
            ])
        }
        try table.commit()
    }

    private func writeClustersJSON(_ result: RunResult) throws(ReportError) {
        let clustering = result.clustering
        let clusters = clustering.clusters.map { cluster in
            let facts = ClusterFacts(cluster, clustering)
            return ClusterJSON(
                clusterID: cluster.id,
                size: cluster.members.count,
                canonicalID: facts.canonical.id,
                canonicalTitle: facts.canonical.title,
                firstPublished: facts.first.map(Timestamp.iso8601),
                lastPublished: facts.last.map(Timestamp.iso8601),
                outlets: facts.outlets,
                topTerms: cluster.topTerms,
                minSimilarity: cluster.minSimilarity.map(Rounded.init),
                meanSimilarity: cluster.meanSimilarity.map(Rounded.init),
                members: cluster.members.map { member in
                    let article = clustering.records[member]
                    let membership = clustering.memberships[member]
                    return MemberJSON(
                        id: article.id,
                        relation: membership.relation.rawValue,
                        duplicateOf: membership.duplicateOf.map { clustering.records[$0].id },
                        similarity: Rounded(membership.similarity),
                        title: article.title,
                        publisher: article.publisher,
                        domain: article.domain,
                        published: article.published.map(Timestamp.iso8601),
                        url: article.url,
                        source: article.source.description
                    )
                }
            )
        }
        try writeJSON(ClustersJSON(tool: "storyclust", version: StoryClustVersion.current, clusters: clusters), to: "clusters.json")
    }

    private func writeJSON(_ value: some Encodable, to name: String) throws(ReportError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw .encoding(path: path(name), reason: "\(error)")
        }
        let file = try AtomicFile(path: path(name))
        try file.write(data)
        try file.write("\n")
        try file.commit()
    }
}

/// Derived facts about a cluster shared by the CSV and JSON writers.
struct ClusterFacts {
    let canonical: Article
    let first: Int64?
    let last: Int64?
    /// Distinct outlets (publisher, else domain), sorted.
    let outlets: [String]
    let duplicates: Int

    init(_ cluster: StoryCluster, _ clustering: Clustering) {
        let members = cluster.members.map { clustering.records[$0] }
        canonical = clustering.records[cluster.canonical]
        let times = members.compactMap(\.published)
        first = times.min()
        last = times.max()
        outlets = Set(members.map { $0.publisher.isEmpty ? $0.domain : $0.publisher }.filter { !$0.isEmpty }).sorted()
        duplicates = cluster.members.count { clustering.memberships[$0].duplicateOf != nil }
    }
}

/// What a scored pair turned out to be. (`exact_url` copies are never scored: they share their
/// original's vector.)
enum PairRelation: String {
    case exactText = "exact_text"
    case nearDuplicate = "near_duplicate"
    case sameStory = "same_story"
    /// Scored above the threshold, yet kept in different clusters by the linkage.
    case differentStory = "different_story"

    static func of(_ a: Int, _ b: Int, _ cosine: Float, _ clustering: Clustering) -> PairRelation {
        let x = clustering.memberships[a], y = clustering.memberships[b]
        guard x.cluster == y.cluster else { return .differentStory }
        if x.duplicateOf == b || y.duplicateOf == a || (x.duplicateOf != nil && x.duplicateOf == y.duplicateOf) {
            for membership in [x, y] where membership.duplicateOf != nil {
                if membership.relation == .exactText { return .exactText }
            }
            return .nearDuplicate
        }
        return .sameStory
    }
}

/// The terms that contribute most to a pair's cosine, as `term:share; term:share`.
enum SharedTerms {
    static let count = 5

    static func describe(_ a: Int, _ b: Int, model: TFIDFModel) -> String {
        model.matrix.sharedTerms(a, b).prefix(count)
            .map { "\(model.terms[Int($0.column)]):\(Format.decimal($0.contribution, places: 4))" }
            .joined(separator: "; ")
    }
}

/// Fixed-point number formatting, independent of the locale.
///
/// Written out by hand because Foundation's `String(format:locale:)` builds a formatter per
/// call, which made it the slowest part of writing a large `pairs.csv`.
enum Format {
    static func decimal(_ value: Float, places: Int = 6) -> String { decimal(Double(value), places: places) }

    static func decimal(_ value: Double, places: Int = 6) -> String {
        precondition(places >= 0 && places <= 9, "0 to 9 decimal places")
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * Double(scale)).rounded())
        let whole = scaled / scale, fraction = scaled % scale
        var text = value < 0 && scaled != 0 ? "-" : ""
        text += String(whole)
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }
}

struct ClustersJSON: Encodable {
    let tool: String
    let version: String
    let clusters: [ClusterJSON]
}

struct ClusterJSON: Encodable {
    let clusterID: String
    let size: Int
    let canonicalID: String
    let canonicalTitle: String
    let firstPublished: String?
    let lastPublished: String?
    let outlets: [String]
    let topTerms: [String]
    let minSimilarity: Rounded?
    let meanSimilarity: Rounded?
    let members: [MemberJSON]

    enum CodingKeys: String, CodingKey {
        case size, outlets, members
        case clusterID = "cluster_id"
        case canonicalID = "canonical_id"
        case canonicalTitle = "canonical_title"
        case firstPublished = "first_published"
        case lastPublished = "last_published"
        case topTerms = "top_terms"
        case minSimilarity = "min_similarity"
        case meanSimilarity = "mean_similarity"
    }

    /// Absent values are written as `null`, so that every cluster has the same keys.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clusterID, forKey: .clusterID)
        try c.encode(size, forKey: .size)
        try c.encode(canonicalID, forKey: .canonicalID)
        try c.encode(canonicalTitle, forKey: .canonicalTitle)
        try c.encode(firstPublished, forKey: .firstPublished)
        try c.encode(lastPublished, forKey: .lastPublished)
        try c.encode(outlets, forKey: .outlets)
        try c.encode(topTerms, forKey: .topTerms)
        try c.encode(minSimilarity, forKey: .minSimilarity)
        try c.encode(meanSimilarity, forKey: .meanSimilarity)
        try c.encode(members, forKey: .members)
    }
}

struct MemberJSON: Encodable {
    let id: String
    let relation: String
    let duplicateOf: String?
    let similarity: Rounded
    let title: String
    let publisher: String
    let domain: String
    let published: String?
    let url: String?
    let source: String

    enum CodingKeys: String, CodingKey {
        case id, relation, similarity, title, publisher, domain, published, url, source
        case duplicateOf = "duplicate_of"
    }

    /// Absent values are written as `null`, so that every member has the same keys.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(relation, forKey: .relation)
        try c.encode(duplicateOf, forKey: .duplicateOf)
        try c.encode(similarity, forKey: .similarity)
        try c.encode(title, forKey: .title)
        try c.encode(publisher, forKey: .publisher)
        try c.encode(domain, forKey: .domain)
        try c.encode(published, forKey: .published)
        try c.encode(url, forKey: .url)
        try c.encode(source, forKey: .source)
    }
}
