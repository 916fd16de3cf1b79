import Corpus
import Foundation

/// One article as a reports directory lists it (its `clusters.json` member and the extra
/// columns of its `articles.csv` row), read back to put the reports of several runs together.
public struct ReportedArticle: Sendable, Hashable {
    public var id: String
    public var relation: String
    public var duplicateOf: String?
    /// Cosine to its cluster's canonical article, six decimals.
    public var similarity: Double
    public var similarityToOriginal: Double?
    public var title: String
    public var publisher: String
    public var domain: String
    public var published: Int64?
    public var url: String?
    /// `file:line` (or `file#record`), as written.
    public var source: String
    public var canonicalURL: String?
    public var listedBy: String?
    /// The detected language (`articles.csv`'s `language`), empty when not known.
    public var language: String

    public init(id: String, relation: String, duplicateOf: String?, similarity: Double, similarityToOriginal: Double?,
                title: String, publisher: String, domain: String, published: Int64?, url: String?, source: String,
                canonicalURL: String? = nil, listedBy: String? = nil, language: String = "") {
        self.id = id
        self.relation = relation
        self.duplicateOf = duplicateOf
        self.similarity = similarity
        self.similarityToOriginal = similarityToOriginal
        self.title = title
        self.publisher = publisher
        self.domain = domain
        self.published = published
        self.url = url
        self.source = source
        self.canonicalURL = canonicalURL
        self.listedBy = listedBy
        self.language = language
    }
}

/// What an `articles.csv` row adds to its `clusters.json` member (``ReportReader/articleExtras()``).
public struct ArticleExtras: Sendable, Hashable {
    public var canonicalURL: String?
    public var listedBy: String?
    public var language: String
}

/// One story (cluster) as a reports directory lists it: its members in report order, canonical first.
public struct ReportedStory: Sendable {
    public var id: String
    public var members: [ReportedArticle]
    public var topTerms: [String]
    public var minSimilarity: Double?
    public var meanSimilarity: Double?

    public init(id: String, members: [ReportedArticle], topTerms: [String], minSimilarity: Double?, meanSimilarity: Double?) {
        self.id = id
        self.members = members
        self.topTerms = topTerms
        self.minSimilarity = minSimilarity
        self.meanSimilarity = meanSimilarity
    }
}

/// One row of `rejects.csv`, its text decoded.
public struct ReportedReject: Sendable, Hashable {
    public var file: String
    public var line: Int?
    public var record: Int
    public var severity: String
    public var id: String?
    public var reason: String

    public init(file: String, line: Int?, record: Int, severity: String, id: String?, reason: String) {
        self.file = file
        self.line = line
        self.record = record
        self.severity = severity
        self.id = id
        self.reason = reason
    }
}

/// One `sample` row of `calibration.csv`, its text decoded.
public struct ReportedSample: Sendable, Hashable {
    public var bandLow: String
    public var cosine: String
    public var relation: String
    public var idA: String, idB: String
    public var titleA: String, titleB: String
    public var publisherA: String, publisherB: String
    public var publishedA: String, publishedB: String
    public var hoursApart: String
}

extension ReportReader {
    private struct FullClusterLine: Decodable {
        struct Member: Decodable {
            var id: String
            var title: String
            var publisher: String
            var domain: String
            var url: String?
            var published: String?
            var relation: String
            var duplicate_of: String?
            var similarity: Double
            var similarity_to_original: Double?
            var source: String
        }
        var cluster_id: String
        var top_terms: [String]
        var min_similarity: Double?
        var mean_similarity: Double?
        var members: [Member]
    }

    /// Calls `body` with each cluster of `clusters.json`, in file order, one line at a time, so
    /// that a month's file is never held as one parsed document. `canonical_url` and `listed_by`
    /// are not in `clusters.json`: see ``articleExtras()``.
    ///
    /// - Throws: ``ReportError`` naming the file and line that cannot be read.
    public func forEachStory(_ body: (ReportedStory) throws(ReportError) -> Void) throws(ReportError) {
        let path = clustersJSONPath
        let lines = try LineReader(path: path)
        let decoder = JSONDecoder()
        var lineNumber = 0, closed = false
        while let next = try lines.next() {
            lineNumber += 1
            var line = next
            if lineNumber == 1 {
                guard line.elementsEqual("{\"clusters\":[".utf8) else {
                    throw .malformed(path: path, reason: "line 1 is not {\"clusters\":[ (is it a storyclust clusters.json, one cluster a line?)")
                }
                continue
            }
            if line.first == UInt8(ascii: "]") {
                closed = true
                break
            }
            if line.last == UInt8(ascii: ",") { line = line.dropLast() }
            let cluster: FullClusterLine
            do {
                cluster = try decoder.decode(FullClusterLine.self, from: Data(line))
            } catch {
                throw .malformed(path: path, reason: "line \(lineNumber): not a cluster (\(Self.describe(error)))")
            }
            let members = cluster.members.map {
                ReportedArticle(
                    id: $0.id, relation: $0.relation, duplicateOf: $0.duplicate_of, similarity: $0.similarity,
                    similarityToOriginal: $0.similarity_to_original, title: $0.title, publisher: $0.publisher,
                    domain: $0.domain, published: $0.published.flatMap(Timestamp.parse), url: $0.url, source: $0.source)
            }
            try body(ReportedStory(id: cluster.cluster_id, members: members, topTerms: cluster.top_terms,
                                   minSimilarity: cluster.min_similarity, meanSimilarity: cluster.mean_similarity))
        }
        guard closed else { throw .malformed(path: path, reason: "the file ends before the clusters array does (line \(lineNumber))") }
    }

    /// `canonical_url`, `listed_by` and `language` of every `articles.csv` row that has one, by id.
    public func articleExtras() throws(ReportError) -> [String: ArticleExtras] {
        var extras: [String: ArticleExtras] = [:]
        let text = formulas()
        try CSVRecordScanner.forEachRow(articlesPath, columns: ["id", "canonical_url", "listed_by", "language"]) { fields in
            guard !fields[1].isEmpty || !fields[2].isEmpty || !fields[3].isEmpty else { return }
            extras[text.decode(fields[0])] = ArticleExtras(
                canonicalURL: fields[1].isEmpty ? nil : text.decode(fields[1]), listedBy: fields[2].isEmpty ? nil : text.decode(fields[2]),
                language: fields[3])
        }
        return extras
    }

    /// Every row of `rejects.csv`, in file order.
    public func rejects() throws(ReportError) -> [ReportedReject] {
        var rows: [ReportedReject] = []
        let text = formulas()
        try forEachRow(rejectsPath, columns: ["file", "line", "record", "severity", "id", "reason"]) { _, fields in
            rows.append(ReportedReject(
                file: text.decode(fields[0]), line: Int(fields[1]), record: Int(fields[2]) ?? 0, severity: fields[3],
                id: fields[4].isEmpty ? nil : text.decode(fields[4]), reason: text.decode(fields[5])))
            return true
        }
        return rows
    }

    /// The `sample` rows of `calibration.csv`.
    public func calibrationSamples() throws(ReportError) -> [ReportedSample] {
        var rows: [ReportedSample] = []
        let text = formulas()
        let columns = ["kind", "band_low", "cosine", "relation", "id_a", "id_b", "title_a", "title_b",
                       "publisher_a", "publisher_b", "published_a", "published_b", "hours_apart"]
        try forEachRow(directory + "/calibration.csv", columns: columns) { _, f in
            guard f[0] == "sample" else { return true }
            rows.append(ReportedSample(
                bandLow: f[1], cosine: f[2], relation: f[3], idA: text.decode(f[4]), idB: text.decode(f[5]),
                titleA: text.decode(f[6]), titleB: text.decode(f[7]), publisherA: text.decode(f[8]), publisherB: text.decode(f[9]),
                publishedA: f[10], publishedB: f[11], hoursApart: f[12]))
            return true
        }
        return rows
    }
}
