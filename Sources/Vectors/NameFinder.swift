/// Finds the words of a text that are written with a capital letter where a sentence does not
/// start: in news bodies these are mostly names (people, places, organizations), which tell
/// two look-alike events apart better than the topic words they share.
///
/// A word starts with an upper-case letter, holds no digit, and the character before it (past
/// spaces, quotes and opening brackets) is not the start of the text nor one of `. ! ? : ; — -`
/// or a line break. Titles are not searched: headlines capitalize every word.
enum NameFinder {
    /// The capitalized words of `text` as written (not folded), separated by spaces, so that the
    /// caller can tokenize them in one call.
    /// - Complexity: O(n) in the UTF-8 length of `text`; ASCII is read byte by byte, other
    ///   characters are decoded only where a word starts.
    static func names(in text: String) -> String {
        var out: [UInt8] = []
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            var atSentenceStart = true
            while index < bytes.count {
                let byte = bytes[index]
                if isWordByte(byte) || (byte >= 0x80 && isLetterScalar(at: index, in: bytes)) {
                    // A word: letters, digits, apostrophes and any non-ASCII letter.
                    let start = index
                    let startsSentence = atSentenceStart
                    atSentenceStart = false
                    var hasDigit = false
                    while index < bytes.count {
                        let b = bytes[index]
                        if isWordByte(b) || b == UInt8(ascii: "'") {
                            if b >= 0x30 && b <= 0x39 { hasDigit = true }
                            index += 1
                        } else if b >= 0x80, let width = continuation(at: index, in: bytes) {
                            index += width
                        } else {
                            break
                        }
                    }
                    if !startsSentence && !hasDigit && startsUpperCase(bytes, start) {
                        if !out.isEmpty { out.append(0x20) }
                        out.append(contentsOf: bytes[start..<index])
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ":"),
                    UInt8(ascii: ";"), UInt8(ascii: "-"), 0x0A, 0x0D:
                    atSentenceStart = true
                case 0x20, 0x09, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: "["):
                    break
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80:
                    // U+2014 em dash ends a sentence; U+2018/2019/201C/201D quotes are skipped.
                    let third = bytes[index + 2]
                    if third == 0x94 { atSentenceStart = true } else if !(third >= 0x98 && third <= 0x9D) { atSentenceStart = false }
                    index += 2
                case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0xA0:
                    index += 1  // no-break space
                default:
                    atSentenceStart = false
                }
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }

    /// The scalar starting at `index` and its width in bytes.
    private static func scalar(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int)? {
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            return (scalar, UTF8.width(scalar))
        }
        return nil
    }

    private static func isLetterScalar(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let (scalar, _) = scalar(at: index, in: bytes) else { return false }
        return scalar.properties.isAlphabetic
    }

    /// The width of a non-ASCII letter or curly apostrophe continuing a word, else `nil`.
    private static func continuation(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let (scalar, width) = scalar(at: index, in: bytes) else { return nil }
        if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "\u{2019}" || scalar == "\u{02BC}" {
            return width
        }
        return nil
    }

    private static func startsUpperCase(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        let first = bytes[start]
        if first < 0x80 { return first >= 0x41 && first <= 0x5A }
        return scalar(at: start, in: bytes)?.0.properties.isUppercase ?? false
    }
}
