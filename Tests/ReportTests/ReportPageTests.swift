import Foundation
import Testing
@testable import Report

/// `report.html` as bytes: what it holds, what it leaves out, and what a hostile input cannot put in it.
@Suite struct ReportPageTests {
    typealias Member = EditorialReport.Member

    static func member(
        _ id: String, title: String = "Storm hits the coast", publisher: String = "Daily", url: String? = nil,
        hour: Int64? = 0, relation: String = "same_story", copies original: String? = nil
    ) -> Member {
        Member(
            id: id, title: title, publisher: publisher, domain: "", url: url, published: hour.map { 1_700_000_000 + $0 * 3_600 },
            relation: relation, duplicateOf: original, similarity: 0.5, similarityToOriginal: original == nil ? nil : 0.93)
    }

    static func story(_ id: String, _ members: [Member]) -> EditorialReport.Story {
        let times = members.compactMap(\.published)
        return EditorialReport.Story(
            id: id, members: members, outlets: Set(members.map(\.outlet).filter { !$0.isEmpty }).sorted(), first: times.min(),
            last: times.max(), topTerms: ["storm"], duplicates: members.count { $0.duplicateOf != nil })
    }

    static func render(_ stories: [EditorialReport.Story], budget: Int = 200, rejects: [EditorialReport.Reject] = []) -> String {
        let report = EditorialReport(stories: stories, rejects: rejects, inputs: [.init(path: "in.jsonl", format: "jsonl", records: 9)], version: "test")
        return String(decoding: ReportPage(report: report, publishers: PublisherTable(stories), budget: .init(stories: budget)).render(), as: UTF8.self)
    }

    private func count(_ needle: String, in page: String) -> Int { page.components(separatedBy: needle).count - 1 }

    @Test func hostileTitlesOutletsAndURLsStayText() {
        let hostile = Self.story("c1", [
            Self.member("a1", title: "</script><script>alert(1)</script>", publisher: "\"><img src=x onerror=alert(1)>", url: "javascript:alert(1)", relation: "canonical"),
            Self.member("a2", title: "<svg onload=alert(2)>", publisher: "\u{202E}evil\u{202C}", url: "https://ok.test/\"onmouseover=\"alert(3)", hour: 1),
            Self.member("a3", title: "line\u{2028}sep", publisher: "<b>bold</b>", url: "data:text/html,<script>alert(4)</script>", hour: 2),
        ])
        let page = Self.render([hostile], rejects: [.init(file: "<x>.jsonl", line: "3", record: "3", severity: "rejected", reason: "</script>bad")])
        #expect(count("<script", in: page) == 2, "the page's JSON block and its script, nothing else")
        #expect(count("</script>", in: page) == 2)
        for injected in ["<img", "<svg onload", "<b>bold", "javascript:", "data:text", "onmouseover=\"", "\u{202E}"] {
            #expect(!page.contains(injected), "\(injected)")
        }
        #expect(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("href=\"https://ok.test/&quot;onmouseover=&quot;alert(3)\""))
        #expect(count("href=\"http", in: page) == 1, "only the http(s) URL is a link")
    }

    @Test func thePageAllowsNothingFromOutsideAndLoadsNothing() throws {
        let page = Self.render([Self.story("c1", [Self.member("a1", relation: "singleton")])])
        let start = try #require(page.range(of: "http-equiv=\"Content-Security-Policy\" content=\""))
        let policy = page[start.upperBound...].prefix { $0 != "\"" }
        #expect(policy.hasPrefix("default-src 'none'; style-src 'sha256-"), "\(policy)")
        #expect(policy.contains("script-src 'sha256-") && !policy.contains("unsafe"))
        #expect(page.contains(PageAssets.hash(PageAssets.script)) && page.contains("<script>" + PageAssets.script + "</script>"))
        for fetch in ["src=", "<link", "@import", "url(", "<iframe", "<img"] { #expect(!page.contains(fetch), "\(fetch)") }
    }

    @Test func copiesAreFoldedUnderTheArticleTheyCopyWithTheirCosineToIt() throws {
        let page = Self.render([Self.story("c1", [
            Self.member("a1", title: "Original story", relation: "canonical"),
            Self.member("a2", title: "Second original", hour: 1),
            Self.member("a3", title: "Copy of the second", hour: 2, relation: "near_duplicate", copies: "a2"),
        ])])
        let second = try #require(page.range(of: "Second original"))
        let fold = try #require(page.range(of: "<details><summary>1 copy</summary>", range: second.upperBound..<page.endIndex))
        let copy = try #require(page.range(of: "Copy of the second", range: fold.upperBound..<page.endIndex))
        #expect(page[copy.upperBound...].prefix(300).contains("near duplicate 0.93 to its original"))
        #expect(page.contains("<span class=\"outlet\">Daily</span>"))
        #expect(count("<circle", in: page) == 3, "three hours apart: three bins of the timeline")
    }

    @Test func theBudgetShowsTheLargestStoriesAsCardsListsTheNextAndSaysWhatIsLeftOut() {
        var stories: [EditorialReport.Story] = []
        for index in 0..<5 {
            stories.append(Self.story("m\(index)", (0...(5 - index)).map { Self.member("m\(index)-\($0)", title: "Multi \(index)", hour: Int64($0)) }))
        }
        for index in 0..<3 { stories.append(Self.story("s\(index)", [Self.member("s\(index)", title: "Single \(index)", relation: "singleton")])) }
        let page = Self.render(stories, budget: 2)
        #expect(count("<article class=\"story\"", in: page) == 2)
        #expect(count("<tr class=\"rest\"", in: page) == 3, "the other stories with several articles")
        #expect(!page.contains("Single 0"))
        #expect(page.contains("Shown in full: the 2 largest of 8 stories (budget: 2 cards, --html-stories)"))
        #expect(page.contains("the next 3 stories with several articles are listed in a table"))
        #expect(page.contains("Not on this page: 3 stories (3 articles, of them 3 single articles)"))
    }
}
