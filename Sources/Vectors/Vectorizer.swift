import Dispatch
import Synchronization
public import Corpus
import Glibc

/// How articles are turned into TF-IDF vectors.
public struct VectorizerOptions: Sendable, Hashable {
    /// Which stop words are removed before counting.
    public var stopWords: Tokenizer.StopWords = .detected
    /// How many times a title token counts against one body token. Headlines name the story in
    /// few words, so a title term is worth more than one more mention in a long body. A record
    /// without body text counts its title tokens once: there is no body to weigh them against.
    public var titleWeight: Float = 3
    /// Adds adjacent word pairs (`new york`) as terms of their own.
    public var bigrams: Bool = false
    /// Folds English plurals onto the singular (``PluralStemmer``) before counting.
    public var stemPlurals: Bool = true
    /// How a term's (weighted) count becomes its term frequency.
    public var termFrequency: TermFrequency = .bm25
    /// How many times a capitalized body word that does not start a sentence (``NameFinder``)
    /// counts; 1 treats names like any word.
    public var nameWeight: Float = 2

    public init(
        stopWords: Tokenizer.StopWords = .detected, titleWeight: Float = 3, bigrams: Bool = false,
        stemPlurals: Bool = true, termFrequency: TermFrequency = .bm25, nameWeight: Float = 2
    ) {
        self.stopWords = stopWords
        self.titleWeight = titleWeight
        self.bigrams = bigrams
        self.stemPlurals = stemPlurals
        self.termFrequency = termFrequency
        self.nameWeight = nameWeight
    }
}

/// Term frequency from a term's count `c` in a document.
public enum TermFrequency: String, Sendable, Hashable, CaseIterable {
    /// `1 + ln c`: scikit-learn's `sublinear_tf`.
    case sublinear
    /// BM25's saturation `c (k1 + 1) / (c + k1 (1 - b + b · len / mean len))` with k1 = 1.2 and
    /// b = 0.75: a term's weight levels off with repetition, and long documents are discounted
    /// (measured better than sublinear on ECB+ and the synthetic corpora: see QUALITY.md).
    case bm25

    static let k1: Float = 1.2
    static let b: Float = 0.75
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
    /// Each document's language, detected from its title and text together.
    public let languages: [Language]
    /// Each document's ``TextKeyHash`` (`nil` when it has no tokens), found while tokenizing it:
    /// what exact-text copies are grouped by.
    public let textKeys: [UInt64?]
}

/// Builds TF-IDF vectors: BM25 or sublinear term frequency, smoothed idf, L2-normalized rows.
///
/// A term's count `c` in a document is weighted: a title token counts
/// ``VectorizerOptions/titleWeight`` times (once when the article has no body text), a name in
/// the text (``NameFinder``) ``VectorizerOptions/nameWeight`` times, any other token once. The weight is
/// `tf(c) · idf` with `idf = ln((1 + n) / (1 + df)) + 1`, then the row is divided by its
/// Euclidean norm. With ``TermFrequency/sublinear`` and weights of 1 these are scikit-learn's
/// `TfidfVectorizer(sublinear_tf=True, smooth_idf=True, norm="l2")` definitions.
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
    /// - Parameters:
    ///   - threads: worker threads for tokenizing; the model does not depend on it.
    ///   - progress: called with (articles counted, articles in all), from worker threads.
    public func fit(_ articles: [Article], threads: Int = 1, progress: (@Sendable (Int, Int) -> Void)? = nil) -> TFIDFModel {
        fit(articles, threads: threads, chunkSize: 1_024, progress: progress)
    }

    /// ``fit(_:threads:progress:)`` with the number of articles per unit of work (tests make it small).
    func fit(_ articles: [Article], threads: Int, chunkSize: Int, progress: (@Sendable (Int, Int) -> Void)? = nil) -> TFIDFModel {
        // Tokenizing is nearly all of the cost: chunks of articles are counted on the worker
        // threads, each with its own provisional vocabulary, then joined in order.
        let chunkCount = (articles.count + chunkSize - 1) / chunkSize
        let counted = Mutex([ChunkCounts?](repeating: nil, count: chunkCount))
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, chunkCount))) { worker in
            var chunk = worker
            while chunk < chunkCount {
                let part = articles[(chunk * chunkSize)..<min((chunk + 1) * chunkSize, articles.count)]
                let result = count(part)
                let done = counted.withLock { chunks in
                    chunks[chunk] = result
                    return chunks.reduce(0) { $0 + ($1?.lengths.count ?? 0) }
                }
                progress?(done, articles.count)
                chunk += max(1, threads)
            }
        }

        let chunks = counted.withLock { $0 }.compactMap { $0 }

        // The vocabulary, numbered in first-seen order over the chunks in order, and the
        // document frequencies, from each chunk's own (a term is in a document once).
        var ids = StringTable(capacity: chunks.first.map { 2 * $0.terms.count } ?? 0)
        var firstSeen: [String] = []
        var provisionalDF: [Int32] = []
        let global = chunks.map { chunk in
            zip(chunk.terms, chunk.documentFrequency).map { term, df -> Int32 in
                let (id, inserted) = ids.value(for: term, inserting: Int32(firstSeen.count))
                if inserted {
                    firstSeen.append(term)
                    provisionalDF.append(df)
                } else {
                    provisionalDF[Int(id)] += df
                }
                return id
            }
        }
        let lengths = chunks.flatMap(\.lengths)
        let languages = chunks.flatMap(\.languages)
        let textKeys = chunks.flatMap(\.textKeys)
        let meanLength = lengths.isEmpty ? 0 : lengths.reduce(0, +) / Float(lengths.count)

        // Renumber terms in sorted order.
        let order = firstSeen.indices.sorted { firstSeen[$0] < firstSeen[$1] }
        var rankOf = [Int32](repeating: 0, count: firstSeen.count)
        for (rank, provisional) in order.enumerated() { rankOf[provisional] = Int32(rank) }
        let column = rankOf
        let terms = order.map { firstSeen[$0] }
        let df = order.map { provisionalDF[$0] }
        let n = Float(articles.count)
        let idf = df.map { logf((1 + n) / (1 + Float($0))) + 1 }

        // Each chunk's rows on the worker threads (a row depends on its document alone), then
        // joined in order: the same matrix whatever the thread count.
        let firstRow = chunks.reduce(into: [0]) { $0.append($0.last! + $1.documents.count) }
        let rows = Mutex([WeightedRows?](repeating: nil, count: chunks.count))
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, chunks.count))) { worker in
            var k = worker
            while k < chunks.count {
                let part = weightedRows(chunks[k].documents, columns: global[k].map { column[Int($0)] },
                                        lengths: lengths[firstRow[k]..<firstRow[k + 1]], idf: idf, meanLength: meanLength)
                rows.withLock { $0[k] = part }
                k += max(1, threads)
            }
        }
        var rowStart = [0]
        rowStart.reserveCapacity(lengths.count + 1)
        var columns: [Int32] = []
        var values: [Float] = []
        for part in rows.withLock({ $0 }) {
            guard let part else { continue }
            let offset = values.count
            rowStart += part.rowEnd.lazy.map { $0 + offset }
            columns += part.columns
            values += part.values
        }
        let matrix = SparseMatrix(
            rowCount: lengths.count, columnCount: terms.count,
            rowStart: rowStart, columns: columns, values: values
        )
        return TFIDFModel(terms: terms, documentFrequency: df, idf: idf, matrix: matrix, languages: languages, textKeys: textKeys)
    }

    /// Weighted term counts of some articles, with their own provisional term numbers.
    struct ChunkCounts: Sendable {
        /// Provisional term number -> term.
        var terms: [String]
        /// Per article: (provisional term, weighted count), each term once, in first-seen order.
        var documents: [[(term: Int32, count: Float)]]
        /// Per article: its weighted token count (the sum of its counts, in token order).
        var lengths: [Float]
        /// Per article: its detected language.
        var languages: [Language] = []
        /// Per article: its ``TextKeyHash``.
        var textKeys: [UInt64?] = []
        /// Per provisional term: how many of these articles use it.
        var documentFrequency: [Int32] = []
    }

    /// Some documents' rows of the matrix: entries in column order, `tf · idf`, L2-normalized.
    struct WeightedRows: Sendable {
        /// Where each row ends in ``columns`` and ``values``.
        var rowEnd: [Int] = []
        var columns: [Int32] = []
        var values: [Float] = []
    }

    /// The rows of `documents`, whose provisional term `t` is column `columns[t]`.
    func weightedRows(
        _ documents: [[(term: Int32, count: Float)]], columns: [Int32], lengths: ArraySlice<Float>, idf: [Float], meanLength: Float
    ) -> WeightedRows {
        var result = WeightedRows()
        result.rowEnd.reserveCapacity(documents.count)
        var row: [(column: Int32, count: Float)] = []
        for (document, length) in zip(documents, lengths) {
            row.removeAll(keepingCapacity: true)
            for entry in document { row.append((columns[Int(entry.term)], entry.count)) }
            row.sort { $0.column < $1.column }
            var squares: Float = 0
            let start = result.values.count
            for entry in row {
                let weight = tf(entry.count, length: length, meanLength: meanLength) * idf[Int(entry.column)]
                result.columns.append(entry.column)
                result.values.append(weight)
                squares += weight * weight
            }
            if squares > 0 {
                let scale = 1 / squares.squareRoot()
                for k in start..<result.values.count { result.values[k] *= scale }
            }
            result.rowEnd.append(result.values.count)
        }
        return result
    }

    /// Counts the weighted terms of `articles`: title tokens, text tokens and names.
    func count(_ articles: ArraySlice<Article>) -> ChunkCounts {
        let tokenizer = Tokenizer(stopWords: options.stopWords)
        var ids = StringTable(capacity: 8 * articles.count)
        var terms: [String] = []
        var result = ChunkCounts(terms: [], documents: [], lengths: [])
        result.documents.reserveCapacity(articles.count)
        result.lengths.reserveCapacity(articles.count)
        result.languages.reserveCapacity(articles.count)
        result.textKeys.reserveCapacity(articles.count)
        var tokens: [String] = []
        var titleTokens: [String] = []
        // Provisional term -> its slot in the current document, -1 when absent.
        var slot: [Int32] = []
        var document: [(term: Int32, count: Float)] = []
        var length: Float = 0

        /// The provisional number of `term`, numbering it when it is new.
        func number(_ term: String) -> Int32 {
            let (id, inserted) = ids.value(for: term, inserting: Int32(terms.count))
            guard inserted else { return id }
            terms.append(term)
            slot.append(-1)
            result.documentFrequency.append(0)
            return id
        }
        // When stemming, token as the tokenizer gives it -> the number of its stem: one lookup
        // per token instead of one for the stem and one for the term.
        var tokenIDs = StringTable(capacity: 8 * articles.count)
        var numbered: [Int32] = []

        func count(_ id: Int32, weight: Float) {
            if slot[Int(id)] < 0 {
                slot[Int(id)] = Int32(document.count)
                document.append((id, 0))
            }
            document[Int(slot[Int(id)])].count += weight
            length += weight
        }

        func add(_ tokens: [String], weight: Float, bigrams: Bool = true) {
            numbered.removeAll(keepingCapacity: true)
            for token in tokens {
                let id: Int32
                if !options.stemPlurals {
                    id = number(token)
                } else if let known = tokenIDs[token] {
                    id = known
                } else {
                    id = number(PluralStemmer.stem(token))
                    tokenIDs.insert(token, value: id)
                }
                numbered.append(id)
                count(id, weight: weight)
            }
            if bigrams && options.bigrams && numbered.count > 1 {
                for k in 1..<numbered.count {
                    count(number(terms[Int(numbered[k - 1])] + " " + terms[Int(numbered[k])]), weight: weight)
                }
            }
        }

        for article in articles {
            document.removeAll(keepingCapacity: true)
            length = 0
            tokens.removeAll(keepingCapacity: true)
            titleTokens.removeAll(keepingCapacity: true)
            // The language is detected from title and text together: a headline alone is
            // rarely enough evidence.
            var key: TextKeyHash? = TextKeyHash()
            let language = tokenizer.tokenize(title: article.title, text: article.text, titleTokens: &titleTokens, textTokens: &tokens,
                                              key: &key)
            result.languages.append(language)
            result.textKeys.append(key?.key)
            add(tokens, weight: 1)
            // The title weight is relative to the body: a record that is all headline keeps
            // plain counts, so headline-only feeds are scored the same whatever the weight.
            add(titleTokens, weight: length > 0 ? options.titleWeight : 1)
            if options.nameWeight != 1 {
                // Each name was counted once with the text already.
                tokens.removeAll(keepingCapacity: true)
                tokenizer.tokenize(NameFinder.names(in: article.text), language: language, into: &tokens)
                add(tokens, weight: options.nameWeight - 1, bigrams: false)
            }
            for entry in document {
                slot[Int(entry.term)] = -1
                result.documentFrequency[Int(entry.term)] += 1
            }
            result.documents.append(document)
            result.lengths.append(length)
        }
        result.terms = terms
        return result
    }

    /// The term frequency of a weighted count in a document of `length` weighted tokens.
    func tf(_ count: Float, length: Float, meanLength: Float) -> Float {
        switch options.termFrequency {
        case .sublinear:
            // Below one occurrence (a weight under 1) the count itself keeps the curve
            // continuous and positive.
            return count <= 1 ? count : 1 + logf(count)
        case .bm25:
            let k1 = TermFrequency.k1, b = TermFrequency.b
            let relative = meanLength > 0 ? length / meanLength : 1
            return count * (k1 + 1) / (count + k1 * (1 - b + b * relative))
        }
    }
}
