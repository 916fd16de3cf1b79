@testable import Corpus
import Foundation
import Testing

@Suite("RSS, Atom and RSS 1.0 feeds")
struct FeedTests {
    @Test("RSS 2.0 items map title, HTML description, content, link, guid, date, source and the channel title")
    func rss2() throws {
        let dir = try TempDir()
        let file = try dir.write("news.rss", """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel>
          <title>Daily Planet</title>
          <link>https://planet.example/</link>
          <item>
            <title>Storm &amp;amp; flood hit coast</title>
            <description>&lt;p&gt;Heavy &lt;b&gt;rain&lt;/b&gt; &amp;mdash; roads closed.&lt;/p&gt;&lt;p&gt;More soon.&lt;/p&gt;</description>
            <content:encoded><![CDATA[<div>Full <em>story</em> text &eacute;t&eacute;.<script>var x = 1;</script></div>]]></content:encoded>
            <link>https://planet.example/storm</link>
            <guid isPermaLink="false">tag:planet,2020:1</guid>
            <pubDate>Wed, 20 May 2020 18:37:00 GMT</pubDate>
            <dc:creator>Lois Lane</dc:creator>
            <category>Weather</category>
          </item>
          <item>
            <title>Second</title>
            <guid>https://planet.example/second</guid>
            <source url="https://wire.example/rss">Wire Service</source>
          </item>
        </channel>
        </rss>
        """)
        let corpus = try readCorpus(file)
        #expect(corpus.rejects.isEmpty)
        #expect(corpus.articles.count == 2)
        let first = try #require(corpus.article(titled: "Storm & flood hit coast"))
        #expect(first.excerpt == "Heavy rain \u{2014} roads closed.\nMore soon.")
        #expect(first.body == "Full story text \u{E9}t\u{E9}.")
        #expect(first.url == "https://planet.example/storm")
        #expect(first.id == "tag:planet,2020:1")
        #expect(first.published == 1_589_999_820)
        #expect(first.publisher == "Daily Planet")
        #expect(first.source.line == 6)
        #expect(first.source.record == 1)
        let second = try #require(corpus.article(titled: "Second"))
        #expect(second.url == "https://planet.example/second")
        #expect(second.publisher == "Wire Service")
        #expect(corpus.files.first?.format == "feed")
        #expect(corpus.files.first?.records == 2)
    }

    @Test("Atom entries take the alternate link, HTML and XHTML text, published or else updated")
    func atom() throws {
        let dir = try TempDir()
        let file = try dir.write("feed.atom", """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title>Example Wire</title>
          <entry>
            <title type="html">Markets &lt;i&gt;rally&lt;/i&gt;</title>
            <link rel="self" href="https://wire.example/api/1"/>
            <link rel="alternate" type="text/html" href="https://wire.example/markets"/>
            <id>urn:uuid:1</id>
            <updated>2020-05-21T10:00:00Z</updated>
            <published>2020-05-20T18:37:00Z</published>
            <author><name>Jane Roe</name><email>jane@wire.example</email></author>
            <summary>Stocks up.</summary>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Shares &amp; bonds</p><p>rose.</p></div></content>
          </entry>
          <entry>
            <title>Only updated</title>
            <link href="https://wire.example/two"/>
            <id>urn:uuid:2</id>
            <updated>2020-05-21T10:00:00Z</updated>
            <source><title>Partner Paper</title></source>
          </entry>
        </feed>
        """)
        let corpus = try readCorpus(file)
        #expect(corpus.rejects.isEmpty)
        let first = try #require(corpus.article(titled: "Markets rally"))
        #expect(first.url == "https://wire.example/markets")
        #expect(first.id == "urn:uuid:1")
        #expect(first.published == 1_589_999_820)
        #expect(first.excerpt == "Stocks up.")
        #expect(first.body == "Shares & bonds\nrose.")
        #expect(first.publisher == "Example Wire")
        let second = try #require(corpus.article(titled: "Only updated"))
        #expect(second.url == "https://wire.example/two")
        #expect(second.published == 1_590_055_200)
        #expect(second.publisher == "Partner Paper")
    }

    @Test("RSS 1.0 (RDF) items are read beside the channel, with dc:date and rdf:about")
    func rdf() throws {
        let dir = try TempDir()
        let file = try dir.write("feed.xml", """
        <?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                 xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel rdf:about="https://slash.example/"><title>Slash</title></channel>
          <item rdf:about="https://slash.example/a">
            <title>Kernel released</title>
            <description>New version out.</description>
            <dc:date>2020-05-20T18:37:00Z</dc:date>
          </item>
        </rdf:RDF>
        """)
        let corpus = try readCorpus(file)
        #expect(corpus.rejects.isEmpty)
        let article = try #require(corpus.articles.first)
        #expect(article.title == "Kernel released")
        #expect(article.excerpt == "New version out.")
        #expect(article.url == "https://slash.example/a")
        #expect(article.published == 1_589_999_820)
        #expect(article.publisher == "Slash")
    }

    @Test("a malformed feed keeps the items before the error and rejects the rest naming the line")
    func malformed() throws {
        let dir = try TempDir()
        let file = try dir.write("broken.rss", """
        <rss version="2.0"><channel><title>T</title>
        <item><title>One</title></item>
        <item><title>Two</title></item>
        <item><title>Three</wrong></item>
        <item><title>Four</title></item>
        </channel></rss>
        """)
        let corpus = try readCorpus(file)
        #expect(corpus.articles.map(\.title) == ["One", "Two"])
        let reject = try #require(corpus.rejects(.rejected).first)
        #expect(corpus.rejects(.rejected).count == 1)
        #expect(reject.source.file == file)
        #expect(reject.source.line == 4)
        #expect(reject.source.record == 3)
        #expect(reject.reason.contains("malformed feed XML at line 4"))
        #expect(reject.reason.contains("the 2 items before it were read"))
    }

    @Test("XML that is not a feed, and a feed declaring entities, are rejected with the reason")
    func notAFeed() throws {
        let dir = try TempDir()
        let html = try dir.write("page.xml", "<html><body>hi</body></html>")
        let bomb = try dir.write("bomb.rss", """
        <?xml version="1.0"?>
        <!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
        <rss><channel><item><title>&b;</title></item></channel></rss>
        """)
        let corpus = try readCorpus(html, bomb)
        #expect(corpus.articles.isEmpty)
        let reasons = Dictionary(uniqueKeysWithValues: corpus.rejects(.rejected).map { ($0.source.file, $0.reason) })
        #expect(reasons[html]?.contains("root element is <html>") == true)
        #expect(reasons[bomb]?.contains("declares the XML entity") == true)
    }

    @Test("--field reaches the feed's own element names")
    func remap() throws {
        let dir = try TempDir()
        let file = try dir.write("a.rss", """
        <rss><channel><title>Paper</title><item><title>T</title><author>ann@paper.example (Ann)</author></item></channel></rss>
        """)
        let corpus = try readCorpus(file, fields: ["publisher=author"])
        #expect(corpus.articles.first?.publisher == "ann@paper.example (Ann)")
    }
}

@Suite("HTML reduced to text")
struct HTMLTextTests {
    @Test("tags go, block tags break lines, references are decoded, a lone < or & stays", arguments: [
        ("<p>a</p><p>b</p>", "a\nb"),
        ("x &lt; y &amp;&amp; z", "x < y && z"),
        ("3 < 4 & 5 > 2", "3 < 4 & 5 > 2"),
        ("caf&#233; &#x2014; &nope; &#0;", "caf\u{E9} \u{2014} &nope; \u{FFFD}"),
        ("<a href=\"x>y\">link</a> text", "link text"),
        ("a<!-- c > d -->b<style>p{}</style>c", "a bc"),
        ("  many   spaces\n\n\nand lines ", "many spaces\nand lines"),
    ])
    func reduce(html: String, text: String) {
        #expect(HTMLText.reduce(html) == text)
    }
}
