import ArgumentParser
import Corpus
import Foundation
import Report
import Vectors

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explains the similarity of two articles of a run and what the clustering made of them.",
        discussion: """
            Prints the cosine of the two articles, the terms that contribute most to it (weight in \
            either vector, their product, share of the cosine), the hours between them and the \
            relation the run gave them (from DIR/articles.csv and DIR/pairs.csv). The vectors are \
            rebuilt from the inputs and vectorizer settings DIR/summary.json records, so run it from \
            the directory the run started in, or give the inputs again; a warning says when an input \
            changed since. Exit status 64 when an id is not in DIR/articles.csv.
            """
    )

    @Argument(help: ArgumentHelp("Id of the first article (the `id` column of articles.csv).", valueName: "id-a"))
    var idA: String

    @Argument(help: ArgumentHelp("Id of the second article.", valueName: "id-b"))
    var idB: String

    @Argument(help: ArgumentHelp(
        "Input files and directories to rebuild the vectors from.",
        discussion: "Default: the inputs DIR/summary.json lists.",
        valueName: "input"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("The reports directory of the run.", valueName: "dir"))
    var reports = "reports"

    @Option(help: ArgumentHelp("How many of the top terms to list.", valueName: "n"))
    var top = 10

    @Flag(help: "Print one JSON object instead of the text.")
    var json = false

    func validate() throws {
        guard idA != idB else { throw ValidationError("give two different ids, got '\(idA)' twice") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
    }

    func run() throws {
        let reader = ReportReader(directory: reports)
        let rows: [ReportReader.ArticleRow]
        let recorded: ReportReader.RecordedRun
        do {
            rows = try reader.articles()
            recorded = try reader.summary()
        } catch {
            throw Console.reportFailure(error)
        }
        var rowOf: [String: ReportReader.ArticleRow] = [:]
        for row in rows where rowOf[row.id] == nil { rowOf[row.id] = row }
        let unknown = [idA, idB].filter { rowOf[$0] == nil }
        guard unknown.isEmpty else {
            let names = unknown.map { "'\($0)'" }.joined(separator: " and ")
            throw Console.usageFailure("no article \(names) in \(reader.articlesPath) (ids are its `id` column)")
        }

        let corpus = try readInputs(recorded)
        let model = Vectorizer(options: try vectorizerOptions(recorded.parameters))
            .fit(corpus.articles, threads: ProcessInfo.processInfo.activeProcessorCount)
        let a = try vectorRow(idA, in: corpus), b = try vectorRow(idB, in: corpus)
        let explanation = PairExplanation(a.row, b.row, model: model)

        let listed: ReportReader.PairRow?
        do {
            listed = try reader.pair(idA, idB)
        } catch {
            throw Console.reportFailure(error)
        }
        if let listed, listed.sharedTerms != explanation.sharedTerms {
            Console.warning(TerminalText.visible("""
                the shared terms rebuilt now (\(explanation.sharedTerms)) differ from \(reader.pairsPath) \
                (\(listed.sharedTerms)): the inputs or the tool changed since the run
                """))
        }
        var hours: Double?
        if let x = a.article.published, let y = b.article.published { hours = Double(abs(x - y)) / 3_600 }
        let facts = Explained(
            idA: idA, idB: idB, articleA: a.article, articleB: b.article, rowA: rowOf[idA]!, rowB: rowOf[idB]!,
            explanation: explanation, hours: hours, listed: listed, parameters: recorded.parameters, top: top)
        print(json ? facts.json() : facts.text(reports: reports))
    }

    /// Reads the inputs again, the recorded ones unless others are given, and warns about every
    /// input that is not the one the run read.
    private func readInputs(_ recorded: ReportReader.RecordedRun) throws -> Corpus {
        let paths = inputs.isEmpty ? recorded.inputs.map(\.path) : inputs
        if inputs.isEmpty && paths.contains(CorpusReader.standardInputName) {
            throw Console.dataFailure("the run read standard input, which cannot be read again; give its records as a file after the two ids")
        }
        guard !paths.isEmpty else {
            throw Console.dataFailure("\(reports)/summary.json lists no inputs; give them after the two ids")
        }
        var fields = FieldMap.standard
        for spec in recorded.parameters.fieldMappings {
            do { try fields.add(spec) } catch { throw Console.dataFailure("\(reports)/summary.json: field mapping \(spec): \(error)") }
        }
        let corpus: Corpus
        do {
            let options = ReadOptions(
                fields: fields, threads: ProcessInfo.processInfo.activeProcessorCount,
                recordsKey: recorded.parameters.recordsKey,
                csvDelimiter: recorded.parameters.csvDelimiter.flatMap(CSVDelimiter.init(rawValue:)))
            corpus = try CorpusReader(options: options).read(paths: paths)
        } catch {
            let hint = inputs.isEmpty ? " (the paths in \(reports)/summary.json are relative to where the run started; give the inputs after the two ids)" : ""
            throw Console.ioFailure("\(error)\(hint)")
        }
        // A file is the run's input when its path or its content (read from elsewhere) is.
        let recordedSHA = Dictionary(recorded.inputs.map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        let recordedContent = Set(recorded.inputs.map(\.sha256))
        let readPaths = Set(corpus.files.map(\.path)), readContent = Set(corpus.files.map(\.sha256))
        for file in corpus.files {
            if let sha = recordedSHA[file.path] {
                if sha != file.sha256 {
                    Console.warning("\(file.path) changed since the run (its SHA-256 differs from \(reports)/summary.json); the vectors may differ from the run's")
                }
            } else if !recordedContent.contains(file.sha256) {
                Console.warning("\(file.path) was not an input of the run in \(reports); the vectors may differ from the run's")
            }
        }
        for input in recorded.inputs where !readPaths.contains(input.path) && !readContent.contains(input.sha256) {
            Console.warning("\(input.path), an input of the run, was not read now; the vectors may differ from the run's")
        }
        return corpus
    }

    /// The run's vectorizer settings, as `summary.json` records them.
    private func vectorizerOptions(_ parameters: RunParameters) throws -> VectorizerOptions {
        guard let stopWords = StopWordsOption(rawValue: parameters.stopWords),
              let termFrequency = TermFrequency(rawValue: parameters.termFrequency) else {
            throw Console.dataFailure("\(reports)/summary.json: unknown stop_words '\(parameters.stopWords)' or term_frequency '\(parameters.termFrequency)'")
        }
        return VectorizerOptions(
            stopWords: stopWords.list, titleWeight: parameters.titleWeight, bigrams: parameters.bigrams,
            stemPlurals: parameters.stemPlurals, termFrequency: termFrequency, nameWeight: parameters.nameWeight)
    }

    /// The article with `id` and its row of the matrix (an `exact_url` copy has its original's).
    private func vectorRow(_ id: String, in corpus: Corpus) throws -> (article: Article, row: Int) {
        if let row = corpus.articles.firstIndex(where: { $0.id == id }) { return (corpus.articles[row], row) }
        if let copy = corpus.urlDuplicates.first(where: { $0.article.id == id }),
           let row = corpus.articles.firstIndex(where: { $0.id == copy.originalID }) {
            return (copy.article, row)
        }
        throw Console.dataFailure("article '\(id)' is in \(reports)/articles.csv but not in the inputs read now; did they change since the run?")
    }
}

/// Everything `explain` prints about one pair.
private struct Explained {
    let idA: String
    let idB: String
    let articleA: Article
    let articleB: Article
    let rowA: ReportReader.ArticleRow
    let rowB: ReportReader.ArticleRow
    let explanation: PairExplanation
    let hours: Double?
    let listed: ReportReader.PairRow?
    let parameters: RunParameters
    let top: Int

    /// The run's verdict on the pair in words.
    var verdict: String {
        guard rowA.clusterID == rowB.clusterID else {
            return "different clusters: \(idA) in \(rowA.clusterID) (\(rowA.relation)), \(idB) in \(rowB.clusterID) (\(rowB.relation))"
        }
        if rowA.duplicateOf == idB { return "same cluster \(rowA.clusterID): \(idA) is a duplicate of \(idB) (\(rowA.relation))" }
        if rowB.duplicateOf == idA { return "same cluster \(rowB.clusterID): \(idB) is a duplicate of \(idA) (\(rowB.relation))" }
        return "same cluster \(rowA.clusterID): \(idA) \(rowA.relation), \(idB) \(rowB.relation)"
    }

    /// Why a pair is not in pairs.csv.
    var unlisted: String {
        "not in pairs.csv: below the story threshold \(Console.number(parameters.threshold))"
            + ((parameters.linkageWindowHours ?? parameters.windowHours).map { ", or more than \(Console.number(Float($0))) hours apart and never compared" } ?? "")
    }

    func text(reports: String) -> String {
        func describe(_ label: String, _ id: String, _ article: Article) -> String {
            let facts = [article.publisher, article.published.map(Timestamp.iso8601) ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
            let title = article.title.isEmpty ? String(article.text.prefix(80)) : article.title
            return "\(label) \(id): \"\(title)\"" + (facts.isEmpty ? "" : " (\(facts))")
        }
        var lines = [describe("A", idA, articleA), describe("B", idB, articleB)]
        let pairsCSV = listed.map { "pairs.csv: \($0.cosine), \($0.relation)" } ?? unlisted
        lines.append("cosine \(String(format: "%.6f", explanation.cosine)) (\(pairsCSV))")
        lines.append("hours apart: " + (hours.map { String(format: "%.2f", $0) } ?? "unknown (no publish time)"))
        lines.append("relation: \(verdict)")
        let shown = explanation.terms.prefix(top)
        lines.append("top terms (\(shown.count) of \(explanation.terms.count) shared, \(String(format: "%.1f", shown.reduce(0) { $0 + $1.share } * 100))% of the cosine):")
        lines.append("  term                      weight A  weight B  contribution   share")
        for term in shown {
            let name = term.term.count > 24 ? String(term.term.prefix(23)) + "…" : term.term
            lines.append("  " + name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(format: "  %8.4f  %8.4f  %12.6f  %5.1f%%", term.weightA, term.weightB, term.contribution, term.share * 100))
        }
        // Titles, publishers, terms and ids are the input's: none may move the cursor or recolour the terminal.
        return lines.map(TerminalText.visible).joined(separator: "\n")
    }

    func json() -> String {
        let terms: [[String: Any]] = explanation.terms.prefix(top).map {
            ["term": $0.term, "weight_a": Double($0.weightA), "weight_b": Double($0.weightB),
             "contribution": Double($0.contribution), "share": $0.share]
        }
        let object: [String: Any] = [
            "id_a": idA, "id_b": idB,
            "cosine": Double(explanation.cosine),
            "hours_apart": hours ?? NSNull(),
            "cluster_a": rowA.clusterID, "cluster_b": rowB.clusterID,
            "relation_a": rowA.relation, "relation_b": rowB.relation,
            "duplicate_of_a": rowA.duplicateOf ?? NSNull(), "duplicate_of_b": rowB.duplicateOf ?? NSNull(),
            "same_cluster": rowA.clusterID == rowB.clusterID,
            "pair_relation": listed?.relation ?? NSNull(),
            "shared_terms": explanation.sharedTerms,
            "shared_term_count": explanation.terms.count,
            "terms": terms,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Text from the input made safe to print on a terminal.
enum TerminalText {
    /// `text` with every control character written out as `\u{XX}`: C0 (line breaks and tabs
    /// too), DEL, C1, and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
    /// U+2066-U+2069), which would let a title run escape sequences or reorder the line.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
