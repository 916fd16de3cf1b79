import Corpus
import Vectors

/// The key two articles share when their normalized title and text are the same: title and text
/// as their tokens (case, accents, punctuation and spacing folded, stop words kept), one space
/// between tokens and a line break between title and text. An article with no tokens has no key
/// and is never called a copy of anything.
enum ExactText {
    /// For each article, the first article in `order` with the same key (itself when none).
    ///
    /// Keys are compared through a 64-bit hash of the tokens, computed on the worker threads;
    /// articles whose hashes match are compared by their full keys, so a collision cannot join
    /// two texts.
    ///
    /// - Parameter hashMask: keeps only these bits of each hash; tests narrow it to make every
    ///   text collide.
    static func originals(_ articles: [Article], order: [Int], threads: Int, hashMask: UInt64 = .max) -> [Int] {
        let hashes = Parallel.map(articles.count, threads: threads, grain: 512) { index -> UInt64? in
            var hasher = KeyHasher()
            return hasher.hash(title: articles[index].title, text: articles[index].text).map { $0 & hashMask }
        }
        return originals(articles, order: order, hashes: hashes)
    }

    /// For each article, the first article in `order` with the same key, from the articles'
    /// ``KeyHasher`` hashes.
    static func originals(_ articles: [Article], order: [Int], hashes: [UInt64?]) -> [Int] {
        var original = Array(articles.indices)
        var firstWithHash: [UInt64: Int] = [:]
        // Texts whose hash an earlier, different text already had; almost always empty.
        var collided: [UInt64: [Int]] = [:]
        var keys: [Int: [UInt8]] = [:]
        func key(_ index: Int) -> [UInt8] {
            if let known = keys[index] { return known }
            let key = Self.key(articles[index])
            keys[index] = key
            return key
        }
        for index in order {
            guard let hash = hashes[index] else { continue }
            guard let first = firstWithHash[hash] else {
                firstWithHash[hash] = index
                continue
            }
            let mine = key(index)
            if key(first) == mine {
                original[index] = first
            } else if let match = collided[hash]?.first(where: { key($0) == mine }) {
                original[index] = match
            } else {
                collided[hash, default: []].append(index)
            }
        }
        return original
    }

    /// The key of `article` as UTF-8 bytes; empty when it has no tokens.
    static func key(_ article: Article) -> [UInt8] {
        let tokenizer = Tokenizer(stopWords: .none)
        let title = tokenizer.tokens(article.title), text = tokenizer.tokens(article.text)
        if title.isEmpty && text.isEmpty { return [] }
        return Array((title.joined(separator: " ") + "\n" + text.joined(separator: " ")).utf8)
    }

    /// Hashes keys (``TextKeyHash``) token by token, reusing its buffers from one article to the
    /// next; the vectorizer gives the same hashes (``TFIDFModel/textKeys``) while it tokenizes.
    struct KeyHasher {
        private let tokenizer = Tokenizer(stopWords: .none)
        private var title: [String] = []
        private var text: [String] = []

        /// A hash of the key of an article with this title and text (equal keys, equal hashes),
        /// `nil` when it has none.
        mutating func hash(title articleTitle: String, text articleText: String) -> UInt64? {
            title.removeAll(keepingCapacity: true)
            text.removeAll(keepingCapacity: true)
            var key: TextKeyHash? = TextKeyHash()
            _ = tokenizer.tokenize(title: articleTitle, text: articleText, titleTokens: &title, textTokens: &text, key: &key)
            return key?.key
        }
    }
}
