/// `publishers.csv` and the outlets section of `report.html`: what each outlet contributed.
///
/// An outlet is an article's publisher, else its domain (empty when it has neither, so that the
/// rows add up to every article). A story's first report is its canonical article (the
/// earliest published) when that has a time.
struct PublisherTable: Sendable {
    struct Row: Sendable, Equatable {
        var publisher: String
        var articles = 0
        /// Articles that copy nothing: canonical, same-story and single articles.
        var originals = 0
        var exactCopies = 0
        var nearDuplicates = 0
        var stories = 0
        var firstReports = 0
        /// Over the stories it covered but did not report first: hours from the first report
        /// to its own first article in the story; `nil` when there are none with times.
        var medianHoursBehind: Double?
    }

    static let columns = [
        "publisher", "articles", "originals", "exact_copies", "near_duplicates", "stories", "first_reports",
        "median_hours_behind",
    ]

    /// Most articles first, then by name (UTF-8 order).
    let rows: [Row]

    init(_ stories: [EditorialReport.Story]) {
        var rows: [String: Row] = [:]
        var lags: [String: [Int64]] = [:]
        for story in stories {
            var earliest: [String: Int64?] = [:]
            for member in story.members {
                let outlet = member.outlet
                var row = rows[outlet] ?? Row(publisher: outlet)
                row.articles += 1
                switch member.relation {
                case "exact_url", "exact_text": row.exactCopies += 1
                case "near_duplicate": row.nearDuplicates += 1
                default: row.originals += 1
                }
                rows[outlet] = row
                if let time = member.published {
                    earliest[outlet] = min(earliest[outlet].flatMap { $0 } ?? time, time)
                } else if earliest[outlet] == nil {
                    earliest[outlet] = .some(nil)
                }
            }
            let first = story.canonical.published.map { _ in story.canonical.outlet }
            for (outlet, own) in earliest {
                rows[outlet]!.stories += 1
                if outlet == first {
                    rows[outlet]!.firstReports += 1
                } else if let own, let start = story.first {
                    lags[outlet, default: []].append(own - start)
                }
            }
        }
        for (outlet, seconds) in lags {
            let sorted = seconds.sorted(), middle = sorted.count / 2
            let median = sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
            rows[outlet]!.medianHoursBehind = median / 3_600
        }
        self.rows = rows.values.sorted {
            $0.articles != $1.articles ? $0.articles > $1.articles : $0.publisher.utf8.lexicographicallyPrecedes($1.publisher.utf8)
        }
    }

    /// The file's bytes.
    func csv(_ formulas: CSVFormulaPolicy) -> [UInt8] {
        var out = ReportBuffer()
        out.appendCSVHeader(Self.columns)
        for row in rows {
            out.appendCSVText(row.publisher, formulas)
            for count in [row.articles, row.originals, row.exactCopies, row.nearDuplicates, row.stories, row.firstReports] {
                out.append(byte: 0x2C)
                out.append(count)
            }
            out.append(byte: 0x2C)
            if let hours = row.medianHoursBehind { out.appendDecimal(hours, places: 2) }
            out.appendCRLF()
        }
        return out.bytes
    }
}
