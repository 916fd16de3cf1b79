import CSV
import Cluster
import Corpus
import Evaluation
import Foundation
import Testing
import Vectors
@testable import Report

/// Cells of input text that a spreadsheet would run as formulas are neutralized, and read back
/// as they were.
@Suite struct CSVFormulaTests {
    static let hostile = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tTab", "\rCR", "'=quoted", "'plain"]

    private func result() -> RunResult {
        var articles: [Article] = []
        for (index, text) in Self.hostile.enumerated() {
            articles.append(Article(
                id: text, title: text, body: "storm coast harbor flood power towns \(index)",
                published: 1_600_000_000 + Int64(index) * 3_600, publisher: text,
                source: SourceLocation(file: "=in.jsonl", line: index + 1, record: index + 1)))
        }
        articles.append(Article(id: "n1", title: "Normal title", body: "election results senate vote", published: nil, publisher: "Daily", source: SourceLocation(file: "in.jsonl", line: 9, record: 9)))
        let corpus = Corpus(articles: articles)
        let model = Vectorizer().fit(corpus.articles)
        let pairs = SimilarityEngine(options: SimilarityOptions(threshold: 0.1)).pairs(model.matrix, published: corpus.articles.map(\.published))
        let clustering = Clusterer(options: ClusterOptions(threshold: 0.2, duplicateThreshold: 0.95)).cluster(corpus, model: model, pairs: pairs)
        let parameters = RunParameters(threshold: 0.2, duplicateThreshold: 0.95, pairFloor: 0.1, windowHours: nil, titleWeight: 2, bigrams: false, stopWords: "english", fieldMappings: [], tileRows: 1024)
        return RunResult(corpus: corpus, model: model, clustering: clustering, parameters: parameters)
    }

    private func written(_ policy: CSVFormulaPolicy) throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-formulas-\(UUID().uuidString)")
        try ReportWriter(directory: out.path, formulas: policy).write(result()) {
            RunFacts(stageSeconds: [("read", 0.1)], threads: 1, blas: BLAS.info)
        }
        return out
    }

    private func table(_ url: URL) throws -> [[String: String]] {
        let reader = try CSVReader(string: String(contentsOf: url, encoding: .utf8), hasHeaderRow: true)
        let header = try #require(reader.headerRow)
        var rows: [[String: String]] = []
        while let row = reader.next() { rows.append(Dictionary(uniqueKeysWithValues: zip(header, row))) }
        return rows
    }

    @Test func textCellsThatLookLikeFormulasGetAQuoteAndNumbersDoNot() throws {
        let out = try written(.neutralize)
        let articles = try table(out.appendingPathComponent("articles.csv"))
        #expect(articles.count == Self.hostile.count + 1)
        for text in Self.hostile {
            let row = try #require(articles.first { $0["id"] == "'" + text }, "no row for \(text.debugDescription)")
            #expect(row["title"] == "'" + text)
            #expect(row["publisher"] == "'" + text)
            #expect(row["source"]?.hasPrefix("'=in.jsonl:") == true)
            #expect(row["similarity"]?.first?.isNumber == true, "numbers are written as they are")
        }
        let normal = try #require(articles.first { $0["id"] == "n1" })
        #expect(normal["title"] == "Normal title" && normal["publisher"] == "Daily")
        // No cell of any CSV report starts with a formula character.
        for name in ["articles.csv", "clusters.csv", "pairs.csv", "calibration.csv", "rejects.csv"] {
            for row in try table(out.appendingPathComponent(name)) {
                for (column, cell) in row {
                    if let first = cell.unicodeScalars.first {
                        #expect(!"=+-@\t\r".unicodeScalars.contains(first), "\(name) \(column): \(cell.debugDescription)")
                    }
                }
            }
        }
        let pairs = try table(out.appendingPathComponent("pairs.csv"))
        #expect(!pairs.isEmpty)
        #expect(pairs.allSatisfy { $0["id_a"]!.hasPrefix("'") || $0["id_a"] == "n1" })
    }

    @Test func negativeScoresInTheTuningTableStayNumbers() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-tune-\(UUID().uuidString).csv")
        var scores = PartitionScores(truth: ["a", "a", "b", "b"], predicted: ["x", "y", "x", "y"])
        #expect(scores.ari < 0)
        scores.nmi = -0.25
        try TuningTable.write([TuningRow(nameWeight: 0, timeDecay: 0, threshold: 0.2, pairFloor: 0.1, scores: scores)], best: 0, to: out.path)
        let row = try #require(try table(out).first)
        #expect(row["ari"] == Format.decimal(scores.ari))
        #expect(row["nmi"] == "-0.250000")
    }

    @Test func theReaderGivesBackTheTextAsItWasRead() throws {
        let out = try written(.neutralize)
        let reader = ReportReader(directory: out.path)
        #expect(reader.formulas() == .neutralize)
        let ids = Set(try reader.articles().map(\.id))
        #expect(ids == Set(Self.hostile + ["n1"]))
        let pairs = try table(out.appendingPathComponent("pairs.csv"))
        let first = try #require(pairs.first)
        let a = CSVFormulaPolicy.neutralize.decode(first["id_a"]!), b = CSVFormulaPolicy.neutralize.decode(first["id_b"]!)
        let found = try #require(try reader.pair(b, a))
        #expect(Set([found.idA, found.idB]) == [a, b])
    }

    @Test func keepWritesEveryCellAsItIsAndTheReaderKnows() throws {
        let out = try written(.keep)
        let articles = try table(out.appendingPathComponent("articles.csv"))
        #expect(Set(articles.map { $0["id"]! }) == Set(Self.hostile + ["n1"]))
        let reader = ReportReader(directory: out.path)
        #expect(reader.formulas() == .keep)
        #expect(Set(try reader.articles().map(\.id)) == Set(Self.hostile + ["n1"]))
    }
}
