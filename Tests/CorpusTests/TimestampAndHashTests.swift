import Corpus
import Testing

@Suite("Timestamps and hashes")
struct TimestampAndHashTests {
    /// 2020-05-20T18:37:00Z
    static let t: Int64 = 1_589_999_820

    @Test("parses publish times", arguments: [
        ("2020-05-20T18:37:00Z", t),
        ("2020-05-20T18:37:00z", t),
        ("2020-05-20T20:37:00+02:00", t),
        ("2020-05-20T20:37:00+0200", t),
        ("2020-05-20T20:37:00+02", t),
        ("2020-05-20T13:37:00-05:00", t),
        ("2020-05-20T18:37:00.123Z", t),
        ("2020-05-20T18:37:00.5+00:00", t),
        ("2020-05-20T18:37:00", t),
        ("2020-05-20 18:37:00", t),
        ("2020-05-20T18:37Z", t),
        ("  2020-05-20T18:37:00Z \n", t),
        ("2020-05-20", t - (18 * 3600 + 37 * 60)),
        ("Wed, 20 May 2020 18:37:00 GMT", t),
        ("Wed, 20 May 2020 18:37:00 +0000", t),
        ("Wed, 20 May 2020 14:37:00 EDT", t),
        ("20 May 2020 18:37:00 UT", t),
        ("Wed, 20 May 2020 18:37 GMT", t),
        ("1589999820", t),
        ("1589999820000", t),
        ("1589999820.9", t),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -1),
        ("2000-02-29T00:00:00Z", 951_782_400),
    ] as [(String, Int64)])
    func parses(text: String, expected: Int64) {
        #expect(Timestamp.parse(text) == expected)
    }

    @Test("refuses text that is not a time", arguments: [
        "", "yesterday", "2020-13-01", "2020-02-30", "2020-05-20T25:00:00Z", "2020-05-20T18:37:00+5",
        "Wed, 20 Foo 2020 18:37:00 GMT", "2020/05/20", "12:00", "2020-05-20T18:37:00 Mars", "false",
    ])
    func refuses(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("prints times as ISO 8601 UTC and reads them back", arguments: [
        (t, "2020-05-20T18:37:00Z"), (0, "1970-01-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
    ] as [(Int64, String)])
    func printsISO(seconds: Int64, text: String) {
        #expect(Timestamp.iso8601(seconds) == text)
        #expect(Timestamp.parse(text) == seconds)
    }

    @Test("hashes match known SHA-256 values")
    func knownHashes() {
        #expect(StableHash.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(StableHash.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(StableHash.sha256Hex(Array("abc".utf8)) == StableHash.sha256Hex("abc"))
    }

    @Test("ids are a prefix and a hash prefix of the requested length")
    func ids() {
        #expect(StableHash.id("u", "abc") == "uba7816bf8f01cfea")
        #expect(StableHash.id("c", "abc", length: 8) == "cba7816bf")
    }
}
