import Corpus
import Foundation

/// `report.html`: one self-contained page an editor opens from disk to read the day's stories.
///
/// Every story is plain HTML (the page works with JavaScript off); an inline script only adds
/// search and filters. The page makes no request: no link to a style sheet, font or image, and
/// a Content-Security-Policy that allows nothing from outside. Every field of the input goes
/// through ``HTMLEscape`` for the place it is written to.
///
/// The size is bounded: the ``Budget/stories`` largest stories get a card each, the next
/// ``Budget/tableRows`` stories with several articles a table row, and the page states what it
/// left out.
public struct ReportPage: Sendable {
    struct Budget: Sendable {
        /// Stories shown as cards.
        var stories: Int
        /// Further stories (of two or more articles) listed in a table.
        var tableRows: Int { stories * 20 }
        /// Members listed on one card, the others counted.
        var membersPerCard = 100
        /// Rows of the outlets and rejects tables.
        var outletRows = 500
        var rejectRows = 1_000
        var inputRows = 50

        init(stories: Int) {
            precondition(stories >= 0, "a story budget is not negative")
            self.stories = stories
        }
    }

    let report: EditorialReport
    let publishers: PublisherTable
    let budget: Budget

    /// The page's bytes.
    func render() -> [UInt8] {
        var out = ""
        out.reserveCapacity(1 << 20)
        head(&out)
        out += "<body>\n<a class=\"skip\" href=\"#stories\">Skip to the stories</a>\n<header>\n"
        overview(&out)
        out += "</header>\n<main>\n"
        filters(&out)
        let cards = min(budget.stories, report.stories.count)
        out += "<section id=\"stories\" aria-label=\"Stories\">\n"
        for story in report.stories.prefix(cards) { card(story, into: &out) }
        out += "</section>\n"
        rest(after: cards, into: &out)
        outlets(&out)
        rejects(&out)
        out += "</main>\n"
        out += "<script type=\"application/json\" id=\"page-data\">" + pageData() + "</script>\n"
        out += "<script>" + PageAssets.script + "</script>\n</body>\n</html>\n"
        return Array(out.utf8)
    }

    private func head(_ out: inout String) {
        out += """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(PageAssets.contentSecurityPolicy)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <meta name="generator" content="storyclust \(HTMLEscape.attribute(report.version))">
            <title>StoryClust: \(report.stories.count) stories from \(report.articles) articles</title>
            <style>\(PageAssets.style)</style>
            </head>

            """
    }

    /// The run in one glance.
    private func overview(_ out: inout String) {
        let articles = report.articles, copies = report.copies
        let several = report.stories.count { $0.members.count > 1 }
        let warnings = report.rejects.count { $0.severity == "warning" }
        let skipped = report.rejects.count { $0.severity == "skipped" }
        out += "<h1>StoryClust report</h1>\n<dl class=\"glance\">\n"
        func item(_ term: String, _ value: String) { out += "<div><dt>\(term)</dt><dd>\(value)</dd></div>\n" }
        item("Articles", Self.count(articles))
        item("Stories", "\(Self.count(report.stories.count)) (\(Self.count(several)) with several articles)")
        item("Copies", "\(Self.count(copies)) (\(articles == 0 ? "0" : Format.decimal(Double(copies) * 100 / Double(articles), places: 1))%)")
        var problems = "\(Self.count(report.rejected)) rejected"
        if warnings > 0 { problems += ", \(Self.count(warnings)) warnings" }
        if skipped > 0 { problems += ", \(Self.count(skipped)) files skipped" }
        item("Rejects", report.rejects.isEmpty ? "none" : "<a href=\"#rejects\">\(problems)</a>")
        if let span = report.span {
            item("Time span", "\(Self.time(span.first)) to \(Self.time(span.last)) (\(Self.duration(span.last - span.first)))")
        } else {
            item("Time span", "no publish times")
        }
        out += "</dl>\n"
        let inputs = report.inputs
        out += "<details class=\"inputs\"><summary>\(Self.count(inputs.count)) input \(inputs.count == 1 ? "file" : "files")</summary><ul>\n"
        for input in inputs.prefix(budget.inputRows) {
            out += "<li>\(HTMLEscape.text(input.path)) <span class=\"muted\">(\(HTMLEscape.text(input.format)), \(Self.count(input.records)) records)</span></li>\n"
        }
        if inputs.count > budget.inputRows {
            out += "<li class=\"muted\">\(Self.count(inputs.count - budget.inputRows)) more: see summary.json</li>\n"
        }
        out += "</ul></details>\n"
    }

    /// The search and filter controls: hidden until the script shows them, so that a page
    /// read without JavaScript shows no control that does nothing.
    private func filters(_ out: inout String) {
        out += """
            <form id="filters" role="search" hidden>
            <label>Search headlines <input id="q" type="search" placeholder="press / to search" autocomplete="off"></label>
            <label>Outlet <select id="outlet"><option value="">all outlets</option></select></label>
            <label>From <input id="from" type="date"></label>
            <label>To <input id="to" type="date"></label>
            <label>At least <input id="min" type="number" min="1" value="1" inputmode="numeric"> articles</label>
            <output id="shown" aria-live="polite"></output>
            </form>

            """
        let shown = min(budget.stories, report.stories.count)
        let table = min(budget.tableRows, report.stories.dropFirst(shown).count { $0.members.count > 1 })
        var budgetLine = "Shown in full: the \(Self.count(shown)) largest of \(Self.count(report.stories.count)) stories"
        budgetLine += " (budget: \(Self.count(budget.stories)) cards, --html-stories)"
        if table > 0 { budgetLine += "; the next \(Self.count(table)) stories with several articles are listed in a table" }
        let omitted = report.stories.count - shown - table
        if omitted > 0 {
            let left = omittedStories(after: shown, table: table)
            budgetLine += ". Not on this page: \(Self.count(omitted)) stories (\(Self.count(left.articles)) articles, of them \(Self.count(left.single)) single articles); clusters.csv and articles.csv have every story"
        }
        out += "<p class=\"budget\" id=\"budget\">\(budgetLine).</p>\n"
    }

    private func omittedStories(after shown: Int, table: Int) -> (articles: Int, single: Int) {
        var listed = 0, articles = 0, single = 0
        for story in report.stories.dropFirst(shown) {
            if story.members.count > 1 && listed < table {
                listed += 1
                continue
            }
            articles += story.members.count
            if story.members.count == 1 { single += 1 }
        }
        return (articles, single)
    }

    /// The stories after the cards: a table row each for those with several articles.
    private func rest(after cards: Int, into out: inout String) {
        let rows = report.stories.dropFirst(cards).lazy.filter { $0.members.count > 1 }.prefix(budget.tableRows)
        guard !rows.isEmpty else { return }
        out += "<section id=\"more\" aria-labelledby=\"more-title\"><h3 id=\"more-title\">More stories</h3>\n"
        out += "<table><thead><tr><th>Headline</th><th class=\"n\">Articles</th><th class=\"n\">Outlets</th><th>First report</th><th>First</th></tr></thead><tbody>\n"
        for story in rows {
            out += "<tr class=\"rest\"" + Self.filterAttributes(story) + "><td>" + headline(story.canonical) + "</td>"
            out += "<td class=\"n\">\(story.members.count)</td><td class=\"n\">\(story.outlets.count)</td>"
            out += "<td>\(HTMLEscape.text(firstReporter(story) ?? ""))</td><td>\(story.first.map(Self.time) ?? "")</td></tr>\n"
        }
        out += "</tbody></table></section>\n"
    }

    private func outlets(_ out: inout String) {
        let rows = publishers.rows
        out += "<section id=\"outlets\" aria-labelledby=\"outlets-title\"><h3 id=\"outlets-title\">Outlets</h3>\n"
        out += "<p class=\"muted\">Per outlet (publisher, else domain): as in publishers.csv. Median hours behind: over the stories it covered but did not report first.</p>\n"
        out += "<table><thead><tr><th>Outlet</th><th class=\"n\">Articles</th><th class=\"n\">Originals</th><th class=\"n\">Exact copies</th>"
        out += "<th class=\"n\">Near-duplicates</th><th class=\"n\">Stories</th><th class=\"n\">Reported first</th><th class=\"n\">Median hours behind</th></tr></thead><tbody>\n"
        for row in rows.prefix(budget.outletRows) {
            out += "<tr><td>\(row.publisher.isEmpty ? "<i>none</i>" : HTMLEscape.text(row.publisher))</td>"
            for value in [row.articles, row.originals, row.exactCopies, row.nearDuplicates, row.stories, row.firstReports] {
                out += "<td class=\"n\">\(Self.count(value))</td>"
            }
            out += "<td class=\"n\">\(row.medianHoursBehind.map { Format.decimal($0, places: 1) } ?? "")</td></tr>\n"
        }
        out += "</tbody></table>\n"
        if rows.count > budget.outletRows {
            out += "<p class=\"muted\">\(Self.count(rows.count - budget.outletRows)) more outlets with fewer articles: see publishers.csv.</p>\n"
        }
        out += "</section>\n"
    }

    private func rejects(_ out: inout String) {
        guard !report.rejects.isEmpty else { return }
        out += "<section id=\"rejects\" aria-labelledby=\"rejects-title\"><h3 id=\"rejects-title\">Rejects and warnings</h3>\n"
        out += "<table><thead><tr><th>File</th><th class=\"n\">Line</th><th class=\"n\">Record</th><th>Severity</th><th>Reason</th></tr></thead><tbody>\n"
        for reject in report.rejects.prefix(budget.rejectRows) {
            out += "<tr><td>\(HTMLEscape.text(reject.file))</td><td class=\"n\">\(HTMLEscape.text(reject.line))</td>"
            out += "<td class=\"n\">\(HTMLEscape.text(reject.record))</td><td>\(HTMLEscape.text(reject.severity))</td><td>\(HTMLEscape.text(reject.reason))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        if report.rejects.count > budget.rejectRows {
            out += "<p class=\"muted\">\(Self.count(report.rejects.count - budget.rejectRows)) more: see rejects.csv.</p>\n"
        }
        out += "</section>\n"
    }

    /// What the script reads: the outlets for the filter, most articles first.
    private func pageData() -> String {
        let names = publishers.rows.lazy.map { HTMLEscape.visible($0.publisher) }.filter { !$0.isEmpty }.prefix(budget.outletRows)
        let data = (try? JSONSerialization.data(withJSONObject: ["outlets": Array(names)], options: [.sortedKeys])) ?? Data("{\"outlets\":[]}".utf8)
        return HTMLEscape.scriptJSON(String(decoding: data, as: UTF8.self))
    }

    // MARK: - Shared pieces

    /// The outlet of a story's first report (its canonical article, when that has a time).
    func firstReporter(_ story: EditorialReport.Story) -> String? {
        story.canonical.published == nil ? nil : story.canonical.outlet
    }

    /// An article's title, linked to its URL when that is an `http` or `https` one.
    func headline(_ member: EditorialReport.Member) -> String {
        let title = member.title.isEmpty ? "(no title)" : member.title
        guard let url = member.url.flatMap(HTMLEscape.url) else { return "<span class=\"hl\">\(HTMLEscape.text(title))</span>" }
        return "<a class=\"hl\" href=\"\(url)\" rel=\"noreferrer noopener\">\(HTMLEscape.text(title))</a>"
    }

    /// The attributes the script filters on.
    static func filterAttributes(_ story: EditorialReport.Story) -> String {
        var out = " data-size=\"\(story.members.count)\""
        if let first = story.first, let last = story.last { out += " data-first=\"\(first)\" data-last=\"\(last)\"" }
        out += " data-outlets=\"\(HTMLEscape.attribute(story.outlets.joined(separator: "\n")))\""
        return out
    }

    static func count(_ value: Int) -> String {
        var digits = Array(String(value)), out: [Character] = []
        while digits.count > 3 {
            out.insert(contentsOf: [","] + digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        return String(digits + out)
    }

    /// `2024-05-21 14:05 UTC`.
    static func time(_ seconds: Int64) -> String {
        let iso = Timestamp.iso8601(seconds)
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(5) + " UTC"
    }

    static func duration(_ seconds: Int64) -> String {
        if seconds < 3_600 { return "\(seconds / 60) min" }
        if seconds < 172_800 { return Format.decimal(Double(seconds) / 3_600, places: 1) + " h" }
        return Format.decimal(Double(seconds) / 86_400, places: 1) + " days"
    }
}
