import Testing
import TestSupport
import Corpus

@Suite struct StringTableTests {
    /// Keys of every length around the 8-byte words the hash reads, non-ASCII keys, and keys
    /// that differ only in their last byte, through several growths of the table: each lookup
    /// gives what a `Dictionary` gives.
    @Test func storesWhatADictionaryStores() {
        var random = SplitMix64(seed: 7)
        let alphabet = Array("abcdefgh\u{e9}\u{4e2d}0123456789-")
        var table = StringTable(capacity: 4)
        var reference: [String: Int32] = [:]
        for step in 0..<20_000 {
            let length = Int.random(in: 0...19, using: &random)
            let key = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            let (value, inserted) = table.value(for: key, inserting: Int32(step))
            if let known = reference[key] {
                #expect(!inserted && value == known, "\(key)")
            } else {
                #expect(inserted && value == Int32(step), "\(key)")
                reference[key] = Int32(step)
            }
        }
        #expect(table.count == reference.count)
        #expect(Set(table.keys) == Set(reference.keys))
        for (key, value) in reference { #expect(table[key] == value) }
        for absent in ["abcdefgh1", "zz", "abcdefghabcdefghabcdefgh"] where reference[absent] == nil {
            #expect(table[absent] == nil)
        }
    }

    @Test func aKeyIsTheWholeStringNotAPrefixOrItsHashWords() {
        var table = StringTable()
        table.insert("abcdefgh", value: 1)
        table.insert("abcdefgh\u{0}", value: 2)
        table.insert("", value: 3)
        #expect(table["abcdefgh"] == 1 && table["abcdefgh\u{0}"] == 2 && table[""] == 3)
        #expect(table["abcdefg"] == nil && table["abcdefghi"] == nil)
    }
}

@Suite struct TextLengthTests {
    /// The completeness measure counts Unicode scalars; it is now counted from the UTF-8 bytes.
    @Test(arguments: ["", "plain ASCII", "caf\u{e9} na\u{ef}ve", "e\u{301} combining", "\u{5317}\u{4eac}\u{53d1}\u{5e03}",
                      "\u{1F600} emoji \u{1F1E9}\u{1F1EA}", "\u{0} nul \u{7F}", "\u{10FFFF}"])
    func lengthCountsScalars(_ text: String) {
        let article = Article(id: "a", title: text, body: text + "!", source: SourceLocation(file: "t", record: 1))
        #expect(article.textLength == 2 * text.unicodeScalars.count + 1)
    }
}
