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

}

/// Every stop list, folded the way tokens are, in one table from word to the languages whose
/// list holds it.
enum StopWordLists {
    /// English from ``Tokenizer/englishStopWords``; the other listed languages from the
    /// generated lists (`StopWords/StopWords+Lists.swift`, python-stop-words, BSD-3-Clause).
    ///
    /// Each generated entry goes through the tokenizer itself, so `für` is stored as `fur`,
    /// `daß` as `dass` and `её` as `ее`, exactly as those words come out of a text. An entry
    /// that does not come out as one token (none does today) is left out.
    static let table: ShortWordTable = {
        var masks: [String: UInt32] = [:]
        for word in Tokenizer.englishStopWords { masks[word, default: 0] |= Language.en.stopWordBit }
        for (language, words) in generated {
            for word in words {
                let tokens = Tokenizer.foldedTokens(word)
                guard tokens.count == 1, let folded = tokens.first, folded.utf8.count <= ShortWordTable.maxBytes else { continue }
                masks[folded, default: 0] |= language.stopWordBit
            }
        }
        return ShortWordTable(masks.sorted { $0.key < $1.key })
    }()

    /// The folded words of one language's list.
    static func words(of language: Language) -> [String] {
        table.words.filter { table.mask(ofWord: $0) & language.stopWordBit != 0 }
    }
}

/// A fixed map from words of at most 32 UTF-8 bytes to a bit mask, looked up by their bytes.
///
/// A word is packed into four 64-bit integers and found by open addressing with a
/// multiplicative hash: a lookup is a few arithmetic operations and one or two loads, where
/// `Set<[UInt8]>` runs SipHash over the bytes (it was 2% of a big day's CPU, one lookup per
/// short token). The slots hold 32-bit indexes into the dense key array, so the part every
/// lookup touches stays small (64 KiB for all the lists).
struct ShortWordTable: Sendable {
    static let maxBytes = 32
    private struct Key: Equatable {
        var words: (UInt64, UInt64, UInt64, UInt64)
        var count: Int

        static func == (a: Key, b: Key) -> Bool {
            a.count == b.count && a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2
                && a.words.3 == b.words.3
        }
    }
    private var keys: [Key] = []
    private var masks: [UInt32] = []
    /// Index into `keys`, or -1 for an empty slot.
    private var slots: [Int32]
    private let shift: UInt64
    /// The longest word, in bytes: longer tokens are not looked up.
    let longest: Int
    /// The words, in the order given.
    let words: [String]

    init(_ entries: [(key: String, value: UInt32)]) {
        words = entries.map(\.key)
        var size = 16
        while size < 4 * max(entries.count, 1) { size *= 2 }
        shift = UInt64(64 - size.trailingZeroBitCount)
        slots = [Int32](repeating: -1, count: size)
        for (word, mask) in entries {
            let bytes = Array(word.utf8)
            precondition(bytes.count <= Self.maxBytes, "a short word has at most \(Self.maxBytes) bytes: \(word)")
            let key = bytes.withUnsafeBufferPointer { Self.key($0) }
            var slot = Self.slot(key, shift: shift)
            while slots[slot] >= 0 {
                precondition(keys[Int(slots[slot])] != key, "duplicate word \(word)")
                slot = (slot + 1) & (size - 1)
            }
            slots[slot] = Int32(keys.count)
            keys.append(key)
            masks.append(mask)
        }
        longest = keys.map(\.count).max() ?? 0
    }

    /// The mask of the word spelled by `bytes`, 0 when it is not in the table.
    @inline(__always)
    func mask(of bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard bytes.count <= longest else { return 0 }
        let key = Self.key(bytes)
        var slot = Self.slot(key, shift: shift)
        while true {
            let index = slots[slot]
            if index < 0 { return 0 }
            if keys[Int(index)] == key { return masks[Int(index)] }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    func mask(ofWord word: String) -> UInt32 {
        Array(word.utf8).withUnsafeBufferPointer { mask(of: $0) }
    }

    @inline(__always)
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Key {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (i, byte) in bytes.prefix(maxBytes).enumerated() {
            let shifted = UInt64(byte) << (8 * UInt64(i & 7))
            switch i >> 3 {
            case 0: words.0 |= shifted
            case 1: words.1 |= shifted
            case 2: words.2 |= shifted
            default: words.3 |= shifted
            }
        }
        return Key(words: words, count: bytes.count)
    }

    @inline(__always)
    private static func slot(_ key: Key, shift: UInt64) -> Int {
        let folded = key.words.0 ^ (key.words.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (key.words.2 &* 0x1656_67B1_9E37_79F9)
            ^ (key.words.3 &* 0x27D4_EB2F_1656_67C5)
        let mixed = (folded ^ UInt64(key.count)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> shift)
    }
}
