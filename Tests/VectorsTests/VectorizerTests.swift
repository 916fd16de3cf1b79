import Corpus
import Foundation
import Testing
import TestSupport
@testable import Vectors

@Suite struct VectorizerTests {
    private func article(_ id: String, title: String = "", body: String) -> Article {
        Article(id: id, title: title, body: body, source: SourceLocation(file: "t", record: 1))
    }

    /// Three tiny documents with hand-computed TF-IDF:
    /// n = 3; df(storm) = 2, df(coast) = 1, df(rain) = 1, df(city) = 1.
    /// idf(t) = ln((1 + 3) / (1 + df)) + 1: idf(storm) = ln(4/3) + 1, the others ln(2) + 1.
    @Test func tfidfWeightsMatchTheHandComputedValues() throws {
        let docs = [
            article("a", body: "storm storm coast"),
            article("b", body: "storm rain"),
            article("c", body: "city"),
        ]
        let model = Vectorizer(options: VectorizerOptions(stopWords: .none, titleWeight: 1, termFrequency: .sublinear, nameWeight: 1)).fit(docs)
        #expect(model.terms == ["city", "coast", "rain", "storm"])
        #expect(model.documentFrequency == [1, 1, 1, 2])

        let idfStorm = log(4.0 / 3.0) + 1, idfRare = log(2.0) + 1
        // Document a: storm counted twice -> tf = 1 + ln 2; coast once -> tf = 1.
        let stormA = (1 + log(2.0)) * idfStorm, coastA = idfRare
        let normA = (stormA * stormA + coastA * coastA).squareRoot()
        let rowA = Dictionary(uniqueKeysWithValues: model.matrix.row(0).map { (model.terms[Int($0.column)], Double($0.value)) })
        #expect(abs(try #require(rowA["storm"]) - stormA / normA) < 1e-6)
        #expect(abs(try #require(rowA["coast"]) - coastA / normA) < 1e-6)

        // Document b: storm and rain once each.
        let normB = (idfStorm * idfStorm + idfRare * idfRare).squareRoot()
        let cosineAB = (stormA / normA) * (idfStorm / normB)
        #expect(abs(Double(model.matrix.dot(0, 1)) - cosineAB) < 1e-6)
        // Document c shares nothing with a.
        #expect(model.matrix.dot(0, 2) == 0)
        // Every non-empty row has unit length.
        for row in 0..<3 {
            #expect(abs(model.matrix.dot(row, row) - 1) < 1e-6)
        }
    }

    @Test func titleTokensWeighMoreThanBodyTokens() {
        let docs = [article("a", title: "storm", body: "coast"), article("b", body: "storm coast")]
        let weighted = Vectorizer(options: VectorizerOptions(stopWords: .none, titleWeight: 2, termFrequency: .sublinear)).fit(docs)
        let row = Dictionary(uniqueKeysWithValues: weighted.matrix.row(0).map { (weighted.terms[Int($0.column)], $0.value) })
        // Same idf for both terms, so the title term outweighs the body term by tf alone: 1 + ln 2 to 1.
        #expect(abs(row["storm"]! / row["coast"]! - Float(1 + log(2.0))) < 1e-5)
    }

    @Test func headlineOnlyRecordsKeepPlainCounts() {
        // Without body text the title weight has nothing to weigh against: a headline-only
        // feed gets the same vectors whatever the weight.
        let headlines = [article("a", title: "storm storm coast", body: ""), article("b", title: "storm city", body: "")]
        func fit(_ docs: [Article], _ weight: Float) -> TFIDFModel {
            Vectorizer(options: VectorizerOptions(stopWords: .none, titleWeight: weight, termFrequency: .bm25, nameWeight: 1)).fit(docs)
        }
        let plain = fit(headlines, 1), heavy = fit(headlines, 3)
        for row in 0..<2 {
            #expect(plain.matrix.row(row).map(\.column) == heavy.matrix.row(row).map(\.column))
            for (x, y) in zip(plain.matrix.row(row), heavy.matrix.row(row)) { #expect(abs(x.value - y.value) < 1e-6) }
        }
        // A record with a body still feels it: its title term gains on its body terms.
        let mixed = headlines + [article("c", title: "storm", body: "coast city")]
        func ratio(_ model: TFIDFModel) -> Float {
            let row = Dictionary(uniqueKeysWithValues: model.matrix.row(2).map { (model.terms[Int($0.column)], $0.value) })
            return row["storm"]! / row["coast"]!
        }
        #expect(ratio(fit(mixed, 3)) > ratio(fit(mixed, 1)) + 0.1)
    }

    /// BM25 term frequency on the same three documents: lengths 3, 2 and 1, mean 2;
    /// tf = c (k1 + 1) / (c + k1 (1 - b + b · len / mean)) with k1 = 1.2, b = 0.75.
    @Test func bm25WeightsMatchTheHandComputedValues() throws {
        let docs = [
            article("a", body: "storm storm coast"),
            article("b", body: "storm rain"),
            article("c", body: "city"),
        ]
        let model = Vectorizer(options: VectorizerOptions(stopWords: .none, titleWeight: 1, termFrequency: .bm25, nameWeight: 1)).fit(docs)
        func tf(_ c: Double, _ length: Double) -> Double { c * 2.2 / (c + 1.2 * (0.25 + 0.75 * length / 2)) }
        let idfStorm = log(4.0 / 3.0) + 1, idfRare = log(2.0) + 1
        let storm = tf(2, 3) * idfStorm, coast = tf(1, 3) * idfRare
        let norm = (storm * storm + coast * coast).squareRoot()
        let row = Dictionary(uniqueKeysWithValues: model.matrix.row(0).map { (model.terms[Int($0.column)], Double($0.value)) })
        #expect(abs(try #require(row["storm"]) - storm / norm) < 1e-6)
        #expect(abs(try #require(row["coast"]) - coast / norm) < 1e-6)
        // Saturation: twice the count is less than twice the weight.
        #expect(tf(2, 3) < 2 * tf(1, 3))
    }

    @Test func namesInTheTextCountMoreThanOtherWords() {
        let body = "Officials said the storm hit Louisiana. Rain fell on the coast near Louisiana."
        let docs = [article("a", body: body), article("b", body: "storm rain coast officials")]
        let plain = Vectorizer(options: VectorizerOptions(stopWords: .none, termFrequency: .sublinear, nameWeight: 1)).fit(docs)
        let boosted = Vectorizer(options: VectorizerOptions(stopWords: .none, termFrequency: .sublinear, nameWeight: 2)).fit(docs)
        func weight(_ model: TFIDFModel, _ term: String) -> Float {
            model.matrix.row(0).first { model.terms[Int($0.column)] == term }!.value
        }
        // "Louisiana" is a name twice; "Officials" and "Rain" start sentences, so they are not.
        #expect(weight(boosted, "louisiana") / weight(boosted, "storm") > weight(plain, "louisiana") / weight(plain, "storm"))
        #expect(abs(weight(boosted, "official") / weight(boosted, "storm") - weight(plain, "official") / weight(plain, "storm")) < 1e-5)
    }

    @Test func bigramsAreExtraTermsWhenAskedFor() {
        let docs = [article("a", body: "new york storm"), article("b", body: "york new")]
        let plain = Vectorizer(options: VectorizerOptions(stopWords: .none, bigrams: false)).fit(docs)
        let pairs = Vectorizer(options: VectorizerOptions(stopWords: .none, bigrams: true)).fit(docs)
        #expect(!plain.terms.contains("new york"))
        #expect(pairs.terms.contains("new york"))
        #expect(pairs.terms.contains("york storm"))
        #expect(pairs.terms.contains("york new"))
    }

    @Test func aDocumentWithoutTermsIsAZeroRow() {
        let docs = [article("a", body: "the of and"), article("b", body: "storm")]
        let model = Vectorizer().fit(docs)
        #expect(model.matrix.nonZeroCount(row: 0) == 0)
        #expect(model.matrix.dot(0, 1) == 0)
    }

    @Test func columnsDoNotDependOnDocumentOrder() {
        let docs = [article("a", body: "storm coast"), article("b", body: "rain city storm")]
        let forward = Vectorizer().fit(docs)
        let backward = Vectorizer().fit(docs.reversed())
        #expect(forward.terms == backward.terms)
        #expect(forward.matrix.row(0).map(\.column) == backward.matrix.row(1).map(\.column))
    }

    /// Chunks counted on several threads join into exactly the model one thread builds.
    @Test func theModelDoesNotDependOnThreadsOrChunks() {
        let words = ["storm", "coast", "Rain", "city", "flood", "Mayor", "bridge", "river", "school", "vote"]
        var random = SplitMix64(seed: 3)
        let docs = (0..<60).map { i in
            let body = (0..<12).map { _ in words[Int.random(in: 0..<words.count, using: &random)] }.joined(separator: " ")
            return article("d\(i)", title: words[i % words.count], body: "It said " + body + ".")
        }
        let vectorizer = Vectorizer()
        let reference = vectorizer.fit(docs, threads: 1, chunkSize: 1_024)
        for (threads, chunkSize) in [(1, 7), (3, 7), (2, 1), (4, 25)] {
            let model = vectorizer.fit(docs, threads: threads, chunkSize: chunkSize)
            #expect(model.terms == reference.terms)
            #expect(model.matrix == reference.matrix, "threads \(threads), chunks of \(chunkSize)")
        }
    }
}
