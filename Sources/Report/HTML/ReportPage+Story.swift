import Foundation

extension ReportPage {
    /// One story's card: headline, outlets, first and last report, timeline, top terms, and the
    /// members folded under it, each copy folded under the article it copies.
    func card(_ story: EditorialReport.Story, into out: inout String) {
        let canonical = story.canonical
        out += "<article class=\"story\" id=\"s-\(HTMLEscape.attribute(story.id))\"" + Self.filterAttributes(story) + ">\n"
        out += "<h2>" + headline(canonical) + "</h2>\n<p class=\"meta\">"
        out += "<span>\(Self.count(story.members.count)) \(story.members.count == 1 ? "article" : "articles")</span>"
        out += "<span>\(Self.count(story.outlets.count)) \(story.outlets.count == 1 ? "outlet" : "outlets")</span>"
        if let first = story.first {
            out += "<span>first \(Self.time(first))"
            if let reporter = firstReporter(story), !reporter.isEmpty { out += " by <b>\(HTMLEscape.text(reporter))</b>" }
            out += "</span>"
        }
        if let last = story.last, last != story.first { out += "<span>last \(Self.time(last))</span>" }
        if story.duplicates > 0 { out += "<span>\(Self.count(story.duplicates)) \(story.duplicates == 1 ? "copy" : "copies")</span>" }
        out += "</p>\n"
        if !story.outlets.isEmpty {
            out += "<p class=\"outlets\">Outlets: " + story.outlets.map { "<span class=\"outlet\">\(HTMLEscape.text($0))</span>" }.joined(separator: ", ") + "</p>\n"
        }
        if story.members.count > 1 { timeline(story, into: &out) }
        if !story.topTerms.isEmpty {
            out += "<p class=\"terms\"><span class=\"muted\">Top terms:</span> \(HTMLEscape.text(story.topTerms.joined(separator: ", ")))</p>\n"
        }
        if story.members.count > 1 { members(story, into: &out) }
        out += "</article>\n"
    }

    /// The members, originals in order, each copy in a fold under the article it copies.
    private func members(_ story: EditorialReport.Story, into out: inout String) {
        let shown = story.members.prefix(budget.membersPerCard)
        let ids = Set(shown.map(\.id))
        var copies: [String: [EditorialReport.Member]] = [:]
        var roots: [EditorialReport.Member] = []
        for member in shown {
            if let original = member.duplicateOf, original != member.id, ids.contains(original) {
                copies[original, default: []].append(member)
            } else {
                roots.append(member)
            }
        }
        out += "<details class=\"all\"><summary>\(Self.count(story.members.count)) articles"
        if story.duplicates > 0 {
            out += " (\(Self.count(story.duplicates)) \(story.duplicates == 1 ? "copy" : "copies") folded under \(story.duplicates == 1 ? "its original" : "their originals"))"
        }
        out += "</summary>\n<ol class=\"members\">\n"
        var visited = Set<String>()
        for root in roots { member(root, copies: copies, visited: &visited, into: &out) }
        out += "</ol>\n"
        if story.members.count > shown.count {
            out += "<p class=\"muted\">\(Self.count(story.members.count - shown.count)) more articles of this story: see articles.csv (cluster \(HTMLEscape.text(story.id))).</p>\n"
        }
        out += "</details>\n"
    }

    private func member(
        _ member: EditorialReport.Member, copies: [String: [EditorialReport.Member]], visited: inout Set<String>, into out: inout String
    ) {
        guard visited.insert(member.id).inserted else { return }
        out += "<li>" + headline(member) + " <span class=\"muted\">— \(HTMLEscape.text(member.outlet.isEmpty ? "unknown outlet" : member.outlet))"
        if let published = member.published { out += ", \(Self.time(published))" }
        out += "</span> <span class=\"rel\">\(HTMLEscape.text(member.relation.replacingOccurrences(of: "_", with: " ")))"
        if let cosine = member.similarityToOriginal { out += " \(Format.decimal(cosine, places: 2)) to its original" }
        out += "</span>"
        if let own = copies[member.id], !own.isEmpty {
            out += "\n<details><summary>\(own.count) \(own.count == 1 ? "copy" : "copies")</summary><ul class=\"copies\">\n"
            for copy in own { self.member(copy, copies: copies, visited: &visited, into: &out) }
            out += "</ul></details>"
        }
        out += "</li>\n"
    }

    /// Pickups over time as inline SVG: the story's span cut into bins, a dot per bin sized
    /// by its articles, originals above and copies below; the size of the drawing does not
    /// grow with the story.
    private func timeline(_ story: EditorialReport.Story, into out: inout String) {
        guard let first = story.first, let last = story.last else { return }
        let bins = 48, left = 8.0, width = 584.0
        var originals = [Int](repeating: 0, count: bins), copies = originals
        var undated = 0
        let span = max(1, last - first)
        for member in story.members {
            guard let time = member.published else {
                undated += 1
                continue
            }
            let bin = min(bins - 1, Int(Double(time - first) / Double(span) * Double(bins)))
            if member.duplicateOf == nil { originals[bin] += 1 } else { copies[bin] += 1 }
        }
        let label = "Timeline of \(story.members.count - undated) dated articles from \(Self.time(first)) to \(Self.time(last))"
            + (undated > 0 ? ", \(undated) undated" : "")
        out += "<svg class=\"timeline\" viewBox=\"0 0 600 48\" role=\"img\" aria-label=\"\(HTMLEscape.attribute(label))\">"
        out += "<title>\(HTMLEscape.text(label))</title><line class=\"axis\" x1=\"\(left)\" y1=\"20\" x2=\"\(left + width)\" y2=\"20\"/>"
        for bin in 0..<bins {
            let x = Format.decimal(left + width * (Double(bin) + 0.5) / Double(bins), places: 1)
            for (count, y, kind) in [(originals[bin], 12, "original"), (copies[bin], 28, "copy")] where count > 0 {
                let radius = Format.decimal(min(7, 2 + 1.5 * Double(count).squareRoot()), places: 1)
                out += "<circle class=\"\(kind)\" cx=\"\(x)\" cy=\"\(y)\" r=\"\(radius)\"><title>\(count) \(kind == "copy" ? (count == 1 ? "copy" : "copies") : (count == 1 ? "original" : "originals"))</title></circle>"
            }
        }
        out += "<text x=\"\(left)\" y=\"45\">\(Self.time(first))</text>"
        out += "<text x=\"\(left + width)\" y=\"45\" text-anchor=\"end\">+\(Self.duration(last - first))</text></svg>\n"
    }
}
