// The tokenizer rules that depend on the article's language, and the tokens held back until
// it is known: the language is detected from the whole article, which the scanner has seen only
// when it reaches the end.

/// Tokens of one text whose fate waits for the article's language: words in some stop list
/// (dropped if in the language's own) and numbers with a comma (read by its decimal mark).
struct DeferredTokens: Sendable {
    private struct Held {
        /// How many tokens were emitted before this one: where it goes back in.
        var position: Int
        var bytes: Range<Int>
        var mask: UInt32
        var isNumber: Bool
    }
    private var held: [Held] = []
    /// The held tokens' bytes, one after another, so holding a token allocates nothing.
    private var storage: [UInt8] = []

    mutating func hold(_ token: [UInt8], at position: Int, mask: UInt32, isNumber: Bool) {
        let start = storage.count
        storage.append(contentsOf: token)
        held.append(Held(position: position, bytes: start..<storage.count, mask: mask, isNumber: isNumber))
    }

    /// Puts back into `tokens`, in place, the held tokens that survive in `language`.
    ///
    /// Most held tokens are the language's own stop words and are dropped; when none survives
    /// `tokens` is left as it is.
    /// - Complexity: O(held) when nothing survives, else O(tokens + held).
    mutating func resolve(for language: Language, into tokens: inout [String]) {
        let dropped = language.droppedStopWords
        var survivors: [(position: Int, token: String)] = []
        for entry in held {
            let bytes = storage[entry.bytes]
            if entry.isNumber {
                for part in Tokenizer.numberParts(bytes, decimalComma: language.decimalComma) {
                    survivors.append((entry.position, part))
                }
            } else if entry.mask & dropped == 0 {
                survivors.append((entry.position, String(decoding: bytes, as: UTF8.self)))
            }
        }
        held.removeAll()
        storage.removeAll()
        guard !survivors.isEmpty else { return }
        var merged: [String] = []
        merged.reserveCapacity(tokens.count + survivors.count)
        var next = 0
        for (index, token) in tokens.enumerated() {
            while next < survivors.count && survivors[next].position == index {
                merged.append(survivors[next].token)
                next += 1
            }
            merged.append(token)
        }
        while next < survivors.count {
            merged.append(survivors[next].token)
            next += 1
        }
        tokens = merged
    }
}

extension Tokenizer {
    /// The tokens a number with commas between digits gives (`token` holds its folded bytes).
    ///
    /// - One comma, where it is the decimal mark: the number as written (`0,25`, `1.234,5`,
    ///   and `1,234`, which is 1.234 there).
    /// - Commas that each start a group of exactly three digits (`1,000,000`): thousands
    ///   separators in every language (no decimal has two commas), removed.
    /// - Otherwise, English's rule comma by comma: removed before exactly three digits, a split
    ///   anywhere else (`1,2,3` gives `1`, `2`, `3`; `12,5` gives `12`, `5`).
    static func numberParts(_ token: some Collection<UInt8>, decimalComma: Bool) -> [String] {
        let bytes = Array(token)
        let comma = UInt8(ascii: ",")
        let commaCount = bytes.count(where: { $0 == comma })
        if decimalComma && commaCount == 1 { return [String(decoding: bytes, as: UTF8.self)] }
        var parts: [String] = []
        var current: [UInt8] = []
        var allThousands = true
        for (index, byte) in bytes.enumerated() where byte == comma {
            if !startsThousandsGroup(bytes, at: index + 1) { allThousands = false }
        }
        for (index, byte) in bytes.enumerated() {
            guard byte == comma else {
                current.append(byte)
                continue
            }
            if allThousands || (!decimalComma && startsThousandsGroup(bytes, at: index + 1)) { continue }
            parts.append(String(decoding: current, as: UTF8.self))
            current.removeAll()
        }
        parts.append(String(decoding: current, as: UTF8.self))
        return parts
    }

    /// Whether exactly three ASCII digits start at `index`, as after a thousands separator.
    private static func startsThousandsGroup(_ bytes: [UInt8], at index: Int) -> Bool {
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        return isDigit(index) && isDigit(index + 1) && isDigit(index + 2) && !isDigit(index + 3)
    }

    /// Whether the folded letters before an apostrophe are a French or Italian elided article,
    /// pronoun or preposition (`l'`, `d'`, `qu'`, `jusqu'`, `dell'`, `un'`...).
    ///
    /// Language-independent on purpose: none of these is an English word that an apostrophe
    /// continues (`O'Neill`, `rock'n'roll` and `don't` start with other letters).
    static func isElision(_ token: [UInt8]) -> Bool {
        guard token.count <= 7 else { return false }
        return elidedWords.contains(String(decoding: token, as: UTF8.self))
    }

    static let elidedWords: Set<String> = [
        "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
        "dell", "nell", "all", "dall", "sull", "coll", "un", "quest", "quell",
    ]
}
