import Corpus
import TestSupport
import Testing

@Suite("URL canonicalization")
struct URLCanonicalizerTests {
    @Test("canonicalizes", arguments: [
        ("https://example.com/a/b", "https://example.com/a/b"),
        ("http://example.com/a/b", "https://example.com/a/b"),
        ("HTTPS://Example.COM/Path/Case", "https://example.com/Path/Case"),
        ("https://www.example.com/a", "https://example.com/a"),
        ("https://m.example.com/a", "https://example.com/a"),
        ("https://amp.example.com/a", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "https://example.com/a"),
        ("https://example.com:8080/a", "https://example.com:8080/a"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a?utm_source=x&id=7&utm_medium=y", "https://example.com/a?id=7"),
        ("https://example.com/a?b=2&fbclid=abc&a=1&gclid=1", "https://example.com/a?b=2&a=1"),
        ("https://example.com/a?dclid=1&msclkid=2&mc_cid=3&mc_eid=4&igshid=5", "https://example.com/a"),
        ("https://example.com/a?ref_src=twsrc&cmpid=rss&ocid=msn&_ga=1.2", "https://example.com/a"),
        ("https://example.com/a?amp=true", "https://example.com/a"),
        ("https://example.com/a?amp", "https://example.com/a"),
        ("https://example.com/a?outputType=amp&page=2", "https://example.com/a?page=2"),
        ("https://example.com/a?outputType=print", "https://example.com/a?outputType=print"),
        ("https://example.com/news/story/amp", "https://example.com/news/story"),
        ("https://example.com/news/story/amp/", "https://example.com/news/story"),
        ("https://example.com/amp/news/story", "https://example.com/news/story"),
        ("https://example.com/news/story.amp", "https://example.com/news/story"),
        ("https://example.com/news/story.amp.html", "https://example.com/news/story.html"),
        ("https://example.com/news/story/amp-123.html", "https://example.com/news/story-123.html"),
        ("https://example.com/amp-123.html", "https://example.com/123.html"),
        ("https://example.com/a%20b/%C3%A9", "https://example.com/a%20b/%C3%A9"),
        ("https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a/amp/", "https://example.com/a"),
        ("https://example-com.cdn.ampproject.org/c/example.com/a?amp=1&x=2", "https://example.com/a?x=2"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://user:pw@example.com/a", "https://example.com/a"),
    ])
    func canonicalizes(input: String, expected: String) {
        #expect(URLCanonicalizer.canonicalize(input) == expected)
    }

    @Test("rejects what is not an http(s) URL", arguments: [
        "", "example.com/a", "ftp://example.com/a", "mailto:a@example.com", "https://", "/relative/path", "javascript:alert(1)",
    ])
    func rejectsNonHTTP(input: String) {
        #expect(URLCanonicalizer.canonicalize(input) == nil)
    }

    @Test("maps the seed AMP variants of one article to one URL", arguments: [
        [
            "https://www.livemint.com/technology/tech-news/microsoft-builds-supercomputer-for-openai-to-help-train-massive-ai-models-11589902587352.html",
            "https://www.livemint.com/technology/tech-news/microsoft-builds-supercomputer-for-openai-to-help-train-massive-ai-models/amp-11589902587352.html",
            "https://www-livemint-com.cdn.ampproject.org/c/s/www.livemint.com/technology/tech-news/microsoft-builds-supercomputer-for-openai-to-help-train-massive-ai-models/amp-11589902587352.html",
        ],
        [
            "https://techcrunch.com/2020/05/19/microsoft-launches-new-tools-for-building-more-responsible-machine-learning-models/",
            "https://techcrunch.com/2020/05/19/microsoft-launches-new-tools-for-building-more-responsible-machine-learning-models/amp/",
            "https://techcrunch-com.cdn.ampproject.org/c/s/techcrunch.com/2020/05/19/microsoft-launches-new-tools-for-building-more-responsible-machine-learning-models/amp/",
        ],
        [
            "https://www.pcmag.com/news/microsoft-tips-ai-supercomputer-new-biz-focused-tools-at-azure-focused",
            "https://www.pcmag.com/news/microsoft-tips-ai-supercomputer-new-biz-focused-tools-at-azure-focused?amp=true",
            "https://www-pcmag-com.cdn.ampproject.org/c/s/www.pcmag.com/news/microsoft-tips-ai-supercomputer-new-biz-focused-tools-at-azure-focused?amp=true",
        ],
    ])
    func seedVariantsAgree(variants: [String]) throws {
        let canonical = try #require(URLCanonicalizer.canonicalize(variants[0]))
        #expect(!canonical.contains("www."))
        for variant in variants.dropFirst() {
            #expect(URLCanonicalizer.canonicalize(variant) == canonical)
        }
    }

    /// The pieces of URLs the byte path and the general rules must agree on: letter case, user
    /// info, ports, trailing dots and slashes, host prefixes, tracking and AMP parameters, AMP
    /// paths and cache hosts (left to the rules), spaces, fragments, non-ASCII text.
    @Test("the byte path for ASCII URLs gives what the general rules give")
    func bytePathAgreesWithTheRules() {
        let schemes = ["https://", "HTTP://", "http://", "ftp://", "https:/", "", " \thttps://", "Https://"]
        let users = ["", "user:pw@", "a@b@"]
        let hosts = ["Example.COM", "www.example.com", "m.com", "www.m.example.com", "amp.news.example.org", "example.com.",
                     "WWW.", "", "[::1]", "x-y.cdn.ampproject.org", "cdn.ampproject.org", "h\u{e9}te.fr", "m.", "www.www.a.b"]
        let ports = ["", ":80", ":443", ":8080", ":", ":AB"]
        let paths = ["", "/", "/a/b/", "/a//", "a", "/News/Story.amp.html", "/amp/x", "/x/AMP", "/c/s/example.com/p",
                     "/a%20b/%C3%A9", "/caf\u{e9}/", "/a#frag/", "//"]
        let queries = ["", "?", "?utm_source=x&id=7", "?&&a=1&&", "?FBCLID=1&b", "?outputType=AMP&p=2", "?outputtype=print",
                       "?amp", "?a=b=c&UTM_x", "?x=\u{e9}"]
        let tails = ["", "#top", "  ", "\r\n", "#a?b"]
        var random = SplitMix64(seed: 14)
        var taken = 0
        for _ in 0..<20_000 {
            let url = [schemes, users, hosts, ports, paths, queries, tails].map { $0.randomElement(using: &random)! }.joined()
            if URLCanonicalizer.canonicalize(url) != URLCanonicalizer.canonicalizeByRules(url) {
                Issue.record("\(url.debugDescription): \(String(describing: URLCanonicalizer.canonicalize(url))) by bytes, \(String(describing: URLCanonicalizer.canonicalizeByRules(url))) by the rules")
                return
            }
            if URLCanonicalizer.canonicalize(url) != nil { taken += 1 }
        }
        // Most combinations are valid URLs: the comparison is not between two nils.
        #expect(taken > 5_000)
    }
}
