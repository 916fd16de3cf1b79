import Testing
@testable import Report

@Suite struct PublisherTableTests {
    typealias Page = ReportPageTests

    @Test func theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndUndatedStoriesCreditNobody() throws {
        // Hours after each story's first report at which "Late" publishes its first article there.
        let lags: [Int64] = [1, 2, 6, 9]
        var stories = lags.enumerated().map { index, lag in
            Page.story("c\(index)", [
                Page.member("f\(index)", publisher: "First", hour: 0, relation: "canonical"),
                Page.member("l\(index)", publisher: "Late", hour: lag),
                Page.member("m\(index)", publisher: "Late", hour: lag + 5, relation: "near_duplicate", copies: "l\(index)"),
            ])
        }
        stories.append(Page.story("u", [
            Page.member("u1", publisher: "First", hour: nil, relation: "canonical"), Page.member("u2", publisher: "Late", hour: nil),
        ]))
        let rows = PublisherTable(stories).rows
        let late = try #require(rows.first { $0.publisher == "Late" })
        let first = try #require(rows.first { $0.publisher == "First" })
        #expect(rows.first?.publisher == "Late", "most articles first")
        #expect(late.articles == 2 * lags.count + 1 && late.nearDuplicates == lags.count && late.originals == lags.count + 1)
        #expect(late.stories == lags.count + 1 && late.firstReports == 0)
        let sorted = lags.sorted()
        #expect(late.medianHoursBehind == Double(sorted[1] + sorted[2]) / 2, "its first article in each story, not its copies")
        #expect(first.firstReports == lags.count, "an undated story has no first report")
        #expect(first.medianHoursBehind == nil)
    }
}
