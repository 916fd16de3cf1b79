extension Tokenizer {
    /// The English stop word list, folded the same way tokens are.
    ///
    /// Function words only: articles, pronouns, auxiliaries, prepositions, conjunctions and
    /// common adverbs, plus contractions in the joined form the apostrophe rule produces
    /// (`don't` is tokenized as `dont`). Every entry has at least two letters, because single
    /// letters are dropped before the list is consulted, and none is a number or number word,
    /// because numbers identify stories.
    ///
    /// Left out on purpose:
    /// - `said`, `says`, `told`: they are in nearly every article, so IDF already weighs them
    ///   near zero, and the stop list is kept to grammar rather than to news vocabulary.
    /// - Joined contractions that collide with content words: `ill` (I'll), `wed` (we'd),
    ///   `shed` (she'd), `shell` (she'll), `hell` (he'll).
    public static let englishStopWords: Set<String> = [
        // Articles and determiners
        "an", "the", "this", "that", "these", "those", "each", "every", "either", "neither",
        "some", "any", "all", "both", "few", "many", "much", "more", "most", "less", "least",
        "other", "others", "another", "such", "own", "same", "several", "enough", "no", "nor",
        "not", "only",
        // Personal, possessive and reflexive pronouns
        "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your",
        "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers",
        "herself", "it", "its", "itself", "they", "them", "their", "theirs", "themselves",
        // Interrogative, relative and indefinite pronouns
        "what", "which", "who", "whom", "whose", "whatever", "whoever", "whichever", "anyone",
        "anything", "anybody", "everyone", "everything", "everybody", "someone", "something",
        "somebody", "nobody", "nothing", "none",
        // Auxiliaries and modals
        "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having",
        "do", "does", "did", "doing", "done", "will", "would", "shall", "should", "can", "could",
        "cannot", "may", "might", "must", "ought",
        // Prepositions
        "about", "above", "across", "after", "against", "along", "alongside", "amid", "amidst",
        "among", "amongst", "around", "as", "at", "before", "behind", "below", "beneath",
        "beside", "besides", "between", "beyond", "by", "despite", "down", "during", "except",
        "for", "from", "in", "inside", "into", "like", "near", "of", "off", "on", "onto", "out",
        "outside", "over", "per", "since", "than", "through", "throughout", "thru", "till",
        "to", "toward", "towards", "under", "underneath", "unlike", "until", "unto", "up",
        "upon", "via", "with", "within", "without",
        // Conjunctions
        "and", "but", "or", "if", "because", "so", "though", "although", "while", "whilst",
        "whereas", "whether", "unless", "yet", "then", "else", "once",
        // Common adverbs
        "also", "just", "very", "too", "here", "there", "when", "where", "why", "how", "again",
        "already", "always", "ever", "never", "often", "sometimes", "usually", "still", "even",
        "however", "rather", "quite", "almost", "perhaps", "maybe", "really", "thus",
        "therefore", "hence", "indeed", "instead", "now", "otherwise", "anyway", "anyhow",
        "somehow", "somewhat", "somewhere", "anywhere", "everywhere", "nowhere", "elsewhere",
        "hereby", "herein", "thereby", "therein", "thereafter", "thereof", "whereby", "wherein",
        "whereafter", "whereupon", "whenever", "wherever", "well", "etc", "ie", "eg",
        "nevertheless", "nonetheless", "moreover", "furthermore", "accordingly", "namely",
        "mostly", "mainly", "simply", "merely", "actually", "certainly", "probably", "especially",
        // Contractions, joined as the tokenizer joins them
        "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "hasnt", "havent",
        "hadnt", "wont", "wouldnt", "cant", "couldnt", "shouldnt", "mustnt", "neednt",
        "mightnt", "shant", "aint", "im", "ive", "id", "youre", "youve", "youd", "youll", "hes",
        "hed", "shes", "weve", "theyre", "theyve", "theyd", "theyll", "thats", "whats", "whos",
        "heres", "theres", "wheres", "whens", "whys", "hows", "lets", "itd", "itll", "yall",
    ]

    /// ``englishStopWords`` as UTF-8 bytes, so a token can be checked in its byte buffer
    /// without first building a `String` that would be thrown away.
    static let englishStopWordBytes = ShortWordSet(Array(englishStopWords))
}

/// A fixed set of words of at most 16 UTF-8 bytes, looked up by their bytes.
///
/// A word is packed into two 64-bit integers and found by open addressing with a multiplicative
/// hash: a lookup is a few arithmetic operations and one or two loads from a table that stays
/// in the L1 cache, where `Set<[UInt8]>` runs SipHash over the bytes (it was 2% of a big day's
/// CPU, one lookup per short token).
struct ShortWordSet: Sendable {
    static let maxBytes = 16
    private struct Key: Equatable {
        var low: UInt64
        var high: UInt64
        var count: Int
    }
    private var slots: [Key?]
    private let shift: UInt64
    /// The longest word, in bytes: longer tokens are not looked up.
    let longest: Int

    init(_ words: [String]) {
        let keys = words.map { word -> Key in
            let bytes = Array(word.utf8)
            precondition(bytes.count <= Self.maxBytes, "a short word has at most \(Self.maxBytes) bytes: \(word)")
            return bytes.withUnsafeBufferPointer { Self.key($0) }
        }
        var size = 16
        while size < 4 * max(keys.count, 1) { size *= 2 }
        shift = UInt64(64 - size.trailingZeroBitCount)
        slots = [Key?](repeating: nil, count: size)
        for key in keys {
            var slot = Self.slot(key, shift: shift)
            while let occupant = slots[slot], occupant != key { slot = (slot + 1) & (size - 1) }
            slots[slot] = key
        }
        longest = keys.map(\.count).max() ?? 0
    }

    /// Whether the word spelled by `bytes` is in the set.
    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= longest else { return false }
        let key = Self.key(bytes)
        var slot = Self.slot(key, shift: shift)
        while let occupant = slots[slot] {
            if occupant == key { return true }
            slot = (slot + 1) & (slots.count - 1)
        }
        return false
    }

    @inline(__always)
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Key {
        var low: UInt64 = 0, high: UInt64 = 0
        for (i, byte) in bytes.prefix(maxBytes).enumerated() {
            if i < 8 { low |= UInt64(byte) << (8 * UInt64(i)) } else { high |= UInt64(byte) << (8 * UInt64(i - 8)) }
        }
        return Key(low: low, high: high, count: bytes.count)
    }

    @inline(__always)
    private static func slot(_ key: Key, shift: UInt64) -> Int {
        let mixed = (key.low ^ (key.high &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(key.count)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> shift)
    }
}
