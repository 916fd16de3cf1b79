import CSV
import Cluster
import Corpus
import Foundation
import Testing
import TestSupport
import Vectors
@testable import Report

@Suite struct CalibrationTests {
    static let floor: Float = 0.1

    /// Articles drawing words from a small vocabulary, so their pairs spread over many bands.
    static func articles(count: Int = 80, seed: UInt64 = 3) -> [Article] {
        var random = SplitMix64(seed: seed)
        let words = ["storm", "coast", "harbor", "flood", "rain", "vote", "budget", "senate", "match", "goal",
                     "league", "coach", "market", "stock", "bank", "rate", "virus", "vaccine", "trial", "court"]
        return (0..<count).map { index in
            let story = Int.random(in: 0..<4, using: &random) * 5
            let body = (0..<8).map { _ in
                words[Int.random(in: 0..<10, using: &random) < 7 ? story + Int.random(in: 0..<5, using: &random) : Int.random(in: 0..<20, using: &random)]
            }
            return Article(
                id: String(format: "a%03d", index), title: "Title \(index)", body: body.joined(separator: " "),
                published: 1_600_000_000 + Int64(index) * 600, publisher: "Outlet \(index % 7)",
                source: SourceLocation(file: "in.jsonl", line: index + 1, record: index + 1))
        }
    }

    static func run(_ articles: [Article], threads: Int = 1) -> RunResult {
        let corpus = Corpus(articles: articles)
        let model = Vectorizer().fit(articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: floor, threads: threads))
            .pairs(model.matrix, published: articles.map(\.published))
        let clustering = Clusterer(options: ClusterOptions(threshold: 0.15, duplicateThreshold: 0.85, pairFloor: floor)).cluster(corpus, model: model, pairs: pairs)
        let parameters = RunParameters(threshold: 0.15, duplicateThreshold: 0.85, pairFloor: floor, windowHours: nil, titleWeight: 2,
                                       bigrams: false, stopWords: "english", fieldMappings: [], tileRows: 1024)
        return RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters)
    }

    static func write(_ result: RunResult) throws -> (rows: [[String: String]], bytes: Data) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-calibration-\(UUID().uuidString)")
        try ReportWriter(directory: out.path).writeReports(result)
        let file = out.appendingPathComponent("calibration.csv")
        let reader = try CSVReader(string: String(contentsOf: file, encoding: .utf8), hasHeaderRow: true)
        #expect(reader.headerRow == ReportWriter.calibrationColumns)
        var rows: [[String: String]] = []
        while let row = reader.next() { rows.append(Dictionary(uniqueKeysWithValues: zip(ReportWriter.calibrationColumns, row))) }
        return (rows, try Data(contentsOf: file))
    }

    @Test func histogramCountsEveryScoredPairOnceInContiguousBands() throws {
        let result = Self.run(Self.articles())
        let pairs = result.clustering.scoredPairs
        try #require(pairs.count > 100, "the fixture should spread pairs over the bands")
        let histogram = try Self.write(result).rows.filter { $0["kind"] == "histogram" }

        #expect(histogram.map { $0["band_low"]! } == stride(from: 10, to: 100, by: 5).map { String(format: "%.2f", Double($0) / 100) })
        #expect(histogram.allSatisfy { abs(Double($0["band_high"]!)! - Double($0["band_low"]!)! - 0.05) < 1e-9 })
        #expect(histogram.last?["band_high"] == "1.00")
        #expect(histogram.map { Int($0["pairs"]!)! }.reduce(0, +) == pairs.count)

        // Recount one band and its same-cluster pairs straight from the clustering.
        let memberships = result.clustering.memberships
        for row in histogram {
            let low = Double(row["band_low"]!)!, high = Double(row["band_high"]!)!
            let inBand = pairs.filter {
                let printed = (Double($0.cosine) * 1e6).rounded() / 1e6
                return printed >= low - 1e-9 && (printed < high - 1e-9 || high == 1)
            }
            #expect(Int(row["pairs"]!) == inBand.count, "band \(low)")
            let together = inBand.count { memberships[Int($0.first)].cluster == memberships[Int($0.second)].cluster }
            #expect(Int(row["same_cluster"]!) == together, "band \(low)")
        }
    }

    @Test func samplesLieInTheirBandAndNameTheirArticlesAndRelation() throws {
        let result = Self.run(Self.articles())
        let rows = try Self.write(result).rows
        let byID = Dictionary(uniqueKeysWithValues: result.corpus.articles.map { ($0.id, $0) })
        let clusterOf = Dictionary(uniqueKeysWithValues: result.clustering.records.indices.map {
            (result.clustering.records[$0].id, result.clustering.memberships[$0].cluster)
        })
        var currentBand: [String: String] = [:]
        var samplesInBand = 0
        for row in rows {
            if row["kind"] == "histogram" {
                if let pairs = currentBand["pairs"] { #expect(samplesInBand == min(Calibration.samplesPerBand, Int(pairs)!)) }
                currentBand = row
                samplesInBand = 0
                #expect(row["cosine"] == "" && row["id_a"] == "")
                continue
            }
            #expect(row["kind"] == "sample")
            samplesInBand += 1
            #expect(row["band_low"] == currentBand["band_low"], "a sample follows its band's histogram row")
            let cosine = try #require(Double(row["cosine"]!))
            #expect(cosine >= Double(row["band_low"]!)! && (cosine < Double(row["band_high"]!)! || row["band_high"] == "1.00"))
            let a = try #require(byID[row["id_a"]!]), b = try #require(byID[row["id_b"]!])
            #expect(row["title_a"] == a.title && row["title_b"] == b.title)
            #expect(row["publisher_a"] == a.publisher && row["publisher_b"] == b.publisher)
            #expect(row["published_a"] == a.published.map(Timestamp.iso8601) && row["published_b"] == b.published.map(Timestamp.iso8601))
            #expect(row["hours_apart"] == String(format: "%.2f", Double(abs(a.published! - b.published!)) / 3_600))
            let together = clusterOf[a.id] == clusterOf[b.id]
            #expect((row["relation"] == "different_story") == !together, "\(row)")
        }
        #expect(rows.contains { $0["kind"] == "sample" })
    }

    @Test func theFileIsByteIdenticalAcrossRunsThreadsAndInputOrder() throws {
        let articles = Self.articles()
        let first = try Self.write(Self.run(articles)).bytes
        #expect(try Self.write(Self.run(articles, threads: 2)).bytes == first)

        // Another input order changes row numbers, not which pairs are drawn.
        var random = SplitMix64(seed: 99)
        let shuffled = try Self.write(Self.run(articles.shuffled(using: &random))).rows
        let original = try Self.write(Self.run(articles)).rows
        func samples(_ rows: [[String: String]]) -> Set<[String]> {
            Set(rows.filter { $0["kind"] == "sample" }.map { [$0["band_low"]!, $0["cosine"]!] + [$0["id_a"]!, $0["id_b"]!].sorted() })
        }
        #expect(samples(shuffled) == samples(original))
    }

    @Test func samplesAreTheSmallestHashesOfTheirBand() {
        let result = Self.run(Self.articles())
        let records = result.clustering.records
        let calibration = Calibration(clustering: result.clustering, pairFloor: Self.floor)
        for band in calibration.bands where band.pairs > 0 {
            let inBand = result.clustering.scoredPairs.filter { Calibration.band(of: $0.cosine) * Calibration.bandMicros == band.lowMicros }
            let hashes = inBand.map { Calibration.pairHash(records[Int($0.first)].id, records[Int($0.second)].id) }.sorted()
            let drawn = band.samples.map { Calibration.pairHash(records[Int($0.first)].id, records[Int($0.second)].id) }.sorted()
            #expect(drawn == Array(hashes.prefix(Calibration.samplesPerBand)))
        }
    }
}
