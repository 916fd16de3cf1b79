import Cluster
import Corpus
import Foundation
import Testing
import TestSupport
import Vectors
@testable import Report

/// The byte-level writers against what they replace: `JSONEncoder`, `Format.decimal`,
/// `Timestamp.iso8601` and `SparseMatrix.sharedTerms`, and the chunked files against the thread
/// count and the chunk size.
@Suite struct ReportBytesTests {
    static let trickyStrings = [
        "", "plain", "quote \" inside", "back\\slash", "a/b and </script>", "\u{0}\u{1}\u{7}\u{1F}",
        "\u{8}\u{C}\n\r\t", "DEL \u{7F}", "é ü 中文 ß", "e\u{301} decomposed", "emoji 😀 👍🏽 🇫🇷",
        "line\u{2028}para\u{2029}", "mixed \"\\/\n\u{1B}[0m", "\\\"", "ends with backslash \\",
    ]

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    @Test(arguments: trickyStrings)
    func jsonStringsAreEscapedAsJSONEncoderEscapesThem(_ string: String) throws {
        var out = ReportBuffer()
        out.appendJSONString(string)
        let expected = try Self.encoder().encode(string)
        #expect(out.bytes == Array(expected))
        // And the result is valid JSON that reads back as the same string.
        let read = try JSONSerialization.jsonObject(with: Data(out.bytes), options: [.fragmentsAllowed])
        #expect(read as? String == string)
    }

    @Test func jsonNumbersAreWrittenAsJSONEncoderWritesThem() throws {
        var values: [Double] = [0, -0.0, 1, 2, 0.5, 0.1, 1e-6, 1e-5, 0.0001, 0.000123, 123456.789, 1e16, 1e22, 3.0e-7]
        var random = SplitMix64(seed: 5)
        for _ in 0..<2_000 {
            values.append(Rounded(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()) & 0x3F7F_FFFF)).value)
        }
        for value in values {
            var out = ReportBuffer()
            try out.appendJSONNumber(value)
            #expect(String(decoding: out.bytes, as: UTF8.self) == String(decoding: try Self.encoder().encode(value), as: UTF8.self))
        }
        var out = ReportBuffer()
        #expect(throws: JSONNumberError.self) { try out.appendJSONNumber(.nan) }
    }

    @Test func decimalsAreFormattedAsFormatDecimalFormatsThem() {
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.0000005, 0.00000049, -0.0000004, 1.0000005, 12.345, 1e9, .nan, .infinity, -.infinity]
        var random = SplitMix64(seed: 6)
        for _ in 0..<5_000 {
            let value = Double(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()) & 0x4FFF_FFFF))
            values.append(random.next() % 2 == 0 ? value : -value)
        }
        for value in values {
            for places in [0, 2, 4, 6, 9] {
                var out = ReportBuffer()
                out.appendDecimal(value, places: places)
                #expect(String(decoding: out.bytes, as: UTF8.self) == Format.decimal(value, places: places), "\(value) to \(places) places")
            }
        }
    }

    @Test func timestampsAreWrittenAsTimestampISO8601WritesThem() {
        var seconds: [Int64] = [0, -1, 86_399, 86_400, -86_400, -86_401, 951_782_400, 4_102_444_800, -62_135_596_800, 253_402_300_799]
        var random = SplitMix64(seed: 8)
        for _ in 0..<5_000 { seconds.append(Int64(random.next() % 20_000_000_000) - 10_000_000_000) }
        // Runs within a day too, where the date part comes from the cache.
        for start in stride(from: Int64(1_600_000_000), to: 1_600_200_000, by: 7_919) { seconds.append(start) }
        var days = DayCache()
        for value in seconds {
            var out = ReportBuffer()
            out.appendTimestamp(value, days: &days)
            #expect(String(decoding: out.bytes, as: UTF8.self) == Timestamp.iso8601(value), "\(value)")
        }
    }

    @Test func sharedTermsAreTheLargestContributionsOfSparseMatrixSharedTerms() {
        let corpus = Self.corpus()
        let model = Vectorizer().fit(corpus.articles)
        var shared = SharedTerms()
        var rows = SecondRows()
        var checked = 0
        // Batches in the engine's order (runs of one first article) and out of it.
        for a in 0..<min(40, model.matrix.rowCount) {
            let firsts = [a, a, a, (a + 7) % model.matrix.rowCount, a]
            let seconds = firsts.indices.map { (a * 13 + $0 * 29 + 1) % model.matrix.rowCount }
            rows.copy(seconds, from: model.matrix)
            shared.find(firsts, rows, matrix: model.matrix)
            for (offset, (first, second)) in zip(firsts, seconds).enumerated() {
                let described = shared.range(offset)
                    .map { "\(model.terms[Int(shared.columns[$0])]):\(Format.decimal(shared.contributions[$0], places: 4))" }
                    .joined(separator: "; ")
                #expect(described == SharedTerms.describe(first, second, model: model))
                checked += described.isEmpty ? 0 : 1
            }
        }
        #expect(checked > 50)
    }

    @Test func aByteTableGivesBackShortAndLongValues() {
        let values = ["", "a", "fifteen bytes!!", "sixteen bytes!!!", "é中😀", String(repeating: "long ", count: 20)]
        let table = ByteTable(values.count) { $1.append(values[$0]) }
        for index in values.indices.reversed() {
            var out = ReportBuffer()
            table.append(table.slot(index), to: &out)
            #expect(String(decoding: out.bytes, as: UTF8.self) == values[index])
        }
    }

    /// A corpus with exact copies, url copies, undated articles and awkward strings.
    static func corpus() -> Corpus {
        var random = SplitMix64(seed: 3)
        let words = ["storm", "coast", "vote", "court", "rates", "fire", "quake", "match", "strike", "merger"]
        var articles: [Article] = []
        var urlDuplicates: [URLDuplicate] = []
        for story in 0..<30 {
            let topic = (0..<2).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
                + " k\(story)x k\(story)y"
            for copy in 0..<(1 + Int(random.next() % 5)) {
                let awkward = ReportBytesTests.trickyStrings[Int(random.next() % UInt64(ReportBytesTests.trickyStrings.count))]
                let id = "s\(story)-\(copy)" + (copy == 2 ? ",\"x\"" : "")
                let article = Article(
                    id: id, title: "\(topic) \(story) \(awkward)", body: "\(topic) \(topic) story \(story) update \(copy % 2)",
                    published: copy == 3 ? nil : 1_600_000_000 + Int64(random.next() % 200_000),
                    url: copy == 1 ? nil : "https://x.test/\(story)/\(copy)", publisher: copy == 4 ? "" : "P, \(story % 3)",
                    source: SourceLocation(file: "in/a,\"b\".jsonl", line: copy == 0 ? nil : articles.count + 1, record: articles.count + 1))
                articles.append(article)
                if copy == 1 {
                    var again = article
                    again.id = id + "~url"
                    urlDuplicates.append(URLDuplicate(article: again, originalID: id))
                }
            }
        }
        // No publisher, no domain, no terms: a cluster with empty outlets and top terms.
        articles.append(Article(id: "empty", title: "¿?", body: "", source: SourceLocation(file: "t", record: 0)))
        return Corpus(
            articles: articles, urlDuplicates: urlDuplicates,
            rejects: [Reject(source: SourceLocation(file: "bad.csv", line: 7, record: 6), severity: .rejected, reason: "row has \"2\" fields, the header has 3")])
    }

    static func result() -> RunResult {
        let corpus = corpus()
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.1)).pairs(model.matrix, published: corpus.articles.map(\.published))
        let clustering = Clusterer(options: ClusterOptions(threshold: 0.15, duplicateThreshold: 0.8)).cluster(corpus, model: model, pairs: pairs)
        let parameters = RunParameters(threshold: 0.15, duplicateThreshold: 0.8, pairFloor: 0.1, windowHours: nil, titleWeight: 2, bigrams: false, stopWords: "english", fieldMappings: [], tileRows: 1024)
        return RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters)
    }

    private static func write(_ result: RunResult, threads: Int, chunkRows: Int) throws -> [String: Data] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-bytes-\(UUID().uuidString)")
        var writer = ReportWriter(directory: directory.path, threads: threads)
        writer.chunkRows = chunkRows
        try writer.writeReports(result)
        var files: [String: Data] = [:]
        for name in ["articles.csv", "clusters.csv", "pairs.csv", "rejects.csv", "clusters.json", "calibration.csv", "publishers.csv", "report.html"] {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 8, "no temporary file is left")
        try FileManager.default.removeItem(at: directory)
        return files
    }

    @Test(arguments: [(2, 1), (3, 2), (4, 7), (2, 4_096)])
    func reportsAreTheSameBytesForAnyThreadCountAndChunkSize(threads: Int, chunkRows: Int) throws {
        let result = Self.result()
        #expect(result.clustering.pairs.count > 20 && result.clustering.clusters.count > 10)
        let reference = try Self.write(result, threads: 1, chunkRows: 4_096)
        #expect(try Self.write(result, threads: threads, chunkRows: chunkRows) == reference)
    }

    @Test func clustersJSONIsWhatJSONEncoderMakesOfTheSameValues() throws {
        let result = Self.result()
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
                duplicates: facts.duplicates,
                outlets: facts.outlets.count,
                outletNames: facts.outlets,
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
                        similarityToOriginal: OriginalSimilarity.of(member, clustering, result.model.matrix).map(Rounded.init),
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
        let expected = try Self.clustersJSON(clusters)
        #expect(clusters.contains { $0.outletNames.isEmpty && $0.topTerms.isEmpty }, "empty arrays are written too")
        let written = try Self.write(result, threads: 2, chunkRows: 3)["clusters.json"]
        #expect(written == expected)
        // One cluster per line, and the same document as the pretty-printed encoding.
        let lines = try #require(written.flatMap { String(data: $0, encoding: .utf8) }).split(separator: "\n")
        #expect(lines.count == clusters.count + 2)
        let parsed = try JSONSerialization.jsonObject(with: try #require(written)) as? NSDictionary
        let reference = try JSONSerialization.jsonObject(
            with: Self.encoder().encode(ClustersJSON(tool: "storyclust", version: StoryClustVersion.current, clusters: clusters))) as? NSDictionary
        #expect(parsed != nil && parsed == reference)
    }

    /// `clusters.json` as `JSONEncoder` (sorted keys, no spaces) writes each cluster, one a line.
    private static func clustersJSON(_ clusters: [ClusterJSON]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = "{\"clusters\":[\n"
        text += try clusters.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: ",\n")
        text += clusters.isEmpty ? "" : "\n"
        text += "],\"tool\":" + String(decoding: try encoder.encode("storyclust"), as: UTF8.self)
        text += ",\"version\":" + String(decoding: try encoder.encode(StoryClustVersion.current), as: UTF8.self) + "}\n"
        return Data(text.utf8)
    }

    @Test func anEmptyRunStillWritesEveryHeaderAndAValidJSON() throws {
        let corpus = Corpus()
        let model = Vectorizer().fit([])
        let clustering = Clusterer(options: ClusterOptions(threshold: 0.2, duplicateThreshold: 0.8)).cluster(corpus, model: model, pairs: [])
        let parameters = RunParameters(threshold: 0.2, duplicateThreshold: 0.8, pairFloor: 0.1, windowHours: nil, titleWeight: 2, bigrams: false, stopWords: "english", fieldMappings: [], tileRows: 1024)
        let files = try Self.write(RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters), threads: 3, chunkRows: 1)
        #expect(files["pairs.csv"] == Data((ReportWriter.pairColumns.joined(separator: ",") + "\r\n").utf8))
        #expect(files["clusters.json"] == (try Self.clustersJSON([])))
        #expect(try JSONSerialization.jsonObject(with: try #require(files["clusters.json"])) is NSDictionary)
    }
}

// MARK: - The Encodable values clusters.json was first written from (the reference)

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
    let duplicates: Int
    let outlets: Int
    let outletNames: [String]
    let topTerms: [String]
    let minSimilarity: Rounded?
    let meanSimilarity: Rounded?
    let members: [MemberJSON]

    enum CodingKeys: String, CodingKey {
        case size, duplicates, outlets, members
        case outletNames = "outlet_names"
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
        try c.encode(duplicates, forKey: .duplicates)
        try c.encode(outlets, forKey: .outlets)
        try c.encode(outletNames, forKey: .outletNames)
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
    let similarityToOriginal: Rounded?
    let title: String
    let publisher: String
    let domain: String
    let published: String?
    let url: String?
    let source: String

    enum CodingKeys: String, CodingKey {
        case id, relation, similarity, title, publisher, domain, published, url, source
        case duplicateOf = "duplicate_of"
        case similarityToOriginal = "similarity_to_original"
    }

    /// Absent values are written as `null`, so that every member has the same keys.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(relation, forKey: .relation)
        try c.encode(duplicateOf, forKey: .duplicateOf)
        try c.encode(similarity, forKey: .similarity)
        try c.encode(similarityToOriginal, forKey: .similarityToOriginal)
        try c.encode(title, forKey: .title)
        try c.encode(publisher, forKey: .publisher)
        try c.encode(domain, forKey: .domain)
        try c.encode(published, forKey: .published)
        try c.encode(url, forKey: .url)
        try c.encode(source, forKey: .source)
    }
}
