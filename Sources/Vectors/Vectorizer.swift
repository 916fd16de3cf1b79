public import Corpus
import Glibc

/// How articles are turned into TF-IDF vectors.
public struct VectorizerOptions: Sendable, Hashable {
    /// Which stop words are removed before counting.
    public var stopWords: Tokenizer.StopWords = .english
    /// How many times a title token counts against one body token. Headlines name the story in
    /// few words, so a title term is worth more than one more mention in a long body.
    public var titleWeight: Float = 2
    /// Adds adjacent word pairs (`new york`) as terms of their own.
    public var bigrams: Bool = false
    /// Folds English plurals onto the singular (``PluralStemmer``) before counting.
    public var stemPlurals: Bool = true

    public init(stopWords: Tokenizer.StopWords = .english, titleWeight: Float = 2, bigrams: Bool = false, stemPlurals: Bool = true) {
        self.stopWords = stopWords
        self.titleWeight = titleWeight
        self.bigrams = bigrams
        self.stemPlurals = stemPlurals
    }
}

/// A fitted TF-IDF model: the vocabulary, its statistics, and one L2-normalized row per document.
public struct TFIDFModel: Sendable {
    /// Terms in sorted order: column `k` of ``matrix`` is `terms[k]`.
    public let terms: [String]
    /// How many documents use each term.
    public let documentFrequency: [Int32]
    /// `ln((1 + n) / (1 + df)) + 1` for each term.
    public let idf: [Float]
    /// Documents × terms, each row of unit length (or all zero when a document has no terms).
    public let matrix: SparseMatrix
}

/// Builds TF-IDF vectors: sublinear term frequency, smoothed idf, L2-normalized rows.
///
/// For a term counted `c` times in a document (title tokens count ``VectorizerOptions/titleWeight``
/// times), the weight is `(1 + ln c) · idf`, then the row is divided by its Euclidean norm. These are
/// scikit-learn's `TfidfVectorizer(sublinear_tf=True, smooth_idf=True, norm="l2")` definitions.
public struct Vectorizer: Sendable {
    public var options: VectorizerOptions

    public init(options: VectorizerOptions = VectorizerOptions()) {
        self.options = options
    }

    /// Fits the vocabulary and idf on `articles` and returns their vectors.
    ///
    /// Columns are assigned in sorted term order, so the matrix does not depend on the order in
    /// which terms were first seen.
    /// - Complexity: O(total tokens + V log V) for a vocabulary of V terms.
    public func fit(_ articles: [Article]) -> TFIDFModel {
        let tokenizer = Tokenizer(stopWords: options.stopWords)
        var ids: [String: Int32] = [:]
        var firstSeen: [String] = []
        // Per document: (provisional term id, weighted count), terms unique within the document.
        var documents: [[(term: Int32, count: Float)]] = []
        documents.reserveCapacity(articles.count)
        var tokens: [String] = []
        var counts: [Int32: Float] = [:]

        func add(_ tokens: [String], weight: Float) {
            func count(_ term: String) {
                let id: Int32
                if let known = ids[term] {
                    id = known
                } else {
                    id = Int32(firstSeen.count)
                    ids[term] = id
                    firstSeen.append(term)
                }
                counts[id, default: 0] += weight
            }
            for token in tokens { count(token) }
            if options.bigrams && tokens.count > 1 {
                for k in 1..<tokens.count { count(tokens[k - 1] + " " + tokens[k]) }
            }
        }

        var stems: [String: String] = [:]
        func tokenize(_ text: String) {
            tokens.removeAll(keepingCapacity: true)
            tokenizer.tokenize(text, into: &tokens)
            guard options.stemPlurals else { return }
            for k in tokens.indices {
                if let stem = stems[tokens[k]] {
                    tokens[k] = stem
                } else {
                    let stem = PluralStemmer.stem(tokens[k])
                    stems[tokens[k]] = stem
                    tokens[k] = stem
                }
            }
        }

        for article in articles {
            counts.removeAll(keepingCapacity: true)
            tokenize(article.title)
            add(tokens, weight: options.titleWeight)
            tokenize(article.text)
            add(tokens, weight: 1)
            documents.append(counts.map { (term: $0.key, count: $0.value) })
        }

        // Renumber terms in sorted order.
        let order = firstSeen.indices.sorted { firstSeen[$0] < firstSeen[$1] }
        var column = [Int32](repeating: 0, count: firstSeen.count)
        for (rank, provisional) in order.enumerated() { column[provisional] = Int32(rank) }
        let terms = order.map { firstSeen[$0] }

        var df = [Int32](repeating: 0, count: terms.count)
        for document in documents {
            for entry in document { df[Int(column[Int(entry.term)])] += 1 }
        }
        let n = Float(articles.count)
        let idf = df.map { logf((1 + n) / (1 + Float($0))) + 1 }

        var rowStart = [0]
        rowStart.reserveCapacity(documents.count + 1)
        var columns: [Int32] = []
        var values: [Float] = []
        for document in documents {
            var row = document.map { (column: column[Int($0.term)], count: $0.count) }
            row.sort { $0.column < $1.column }
            var squares: Float = 0
            let start = values.count
            for entry in row {
                let weight = Self.termFrequency(entry.count) * idf[Int(entry.column)]
                columns.append(entry.column)
                values.append(weight)
                squares += weight * weight
            }
            if squares > 0 {
                let scale = 1 / squares.squareRoot()
                for k in start..<values.count { values[k] *= scale }
            }
            rowStart.append(values.count)
        }
        let matrix = SparseMatrix(
            rowCount: documents.count, columnCount: terms.count,
            rowStart: rowStart, columns: columns, values: values
        )
        return TFIDFModel(terms: terms, documentFrequency: df, idf: idf, matrix: matrix)
    }

    /// Sublinear term frequency `1 + ln c`; below one occurrence (a title weight under 1) the
    /// count itself, which keeps the curve continuous and positive.
    static func termFrequency(_ count: Float) -> Float {
        count <= 1 ? count : 1 + logf(count)
    }
}
