import Corpus

/// A 64-bit hash of an article's tokens with every stop word kept: the title's tokens, a line
/// break, the text's. Equal token lists give equal hashes; exact-text copies are found by it
/// (their full token lists are compared when two hashes meet, so a collision joins nothing).
///
/// The tokenizer computes it while it scans (``Tokenizer/tokenize(title:text:titleTokens:textTokens:key:)``),
/// from the tokens ``Tokenizer/StopWords/none`` would give, so the vectorizer hands each
/// article's hash on and no stage tokenizes the corpus a second time.
public struct TextKeyHash: Sendable {
    public private(set) var value: UInt64 = 0x243f_6a88_85a3_08d3
    /// Whether any token was added.
    public private(set) var isEmpty = true

    public init() {}

    /// Adds one token, given as its UTF-8 bytes.
    public mutating func add<Bytes: Collection<UInt8>>(token bytes: Bytes) {
        isEmpty = false
        var word: UInt64 = 0, filled: UInt64 = 0
        for byte in bytes {
            word |= UInt64(byte) << (8 * filled)
            filled += 1
            if filled == 8 {
                value = StableHash.mix64(value ^ word)
                word = 0
                filled = 0
            }
        }
        // The length closes the token, so that "ab" "c" and "a" "bc" differ.
        value = StableHash.mix64(value ^ word ^ UInt64(bytes.count) << 56)
    }

    /// Adds one token.
    public mutating func add(token: String) {
        var token = token
        token.withUTF8 { add(token: $0) }
    }

    /// Marks the end of the title: tokens hold no line breaks, so the mark cannot be a token.
    public mutating func endTitle() {
        value = StableHash.mix64(value ^ 0x0A)
    }

    /// The hash, or `nil` when no token was added (an article without tokens has no key).
    public var key: UInt64? { isEmpty ? nil : value }
}
