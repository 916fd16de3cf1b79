extension ReportPage {
    /// Renders `report.html` again from the reports in `directory` (``ReportReader/editorialReport()``)
    /// and replaces it there in one rename; the other reports are only read.
    ///
    /// - Parameter stories: the stories shown as cards.
    /// - Returns: the stories in the directory and the page's size in bytes.
    /// - Throws: ``ReportError`` naming the report that is missing or malformed, or the page
    ///   that cannot be written.
    public static func rerender(directory: String, stories: Int) throws(ReportError) -> (stories: Int, bytes: Int) {
        let report = try ReportReader(directory: directory).editorialReport()
        let page = ReportPage(report: report, publishers: PublisherTable(report.stories), budget: Budget(stories: stories)).render()
        let file = try AtomicFile(path: directory + "/report.html")
        try file.write(chunk: page)
        try file.commit()
        return (report.stories.count, page.count)
    }
}
