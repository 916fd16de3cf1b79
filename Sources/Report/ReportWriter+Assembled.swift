public import Corpus
import Foundation

/// A set of reports put together from the reports of other runs (the shards of a sharded
/// run), without the vectors: the stories are decided by the caller, every row comes from a
/// report that was read back.
public struct AssembledReport {
    /// One `pairs.csv` row: the two ids (smaller first), and the other columns as written.
    public struct Pair: Sendable {
        public var idA: String, idB: String
        public var cosine: String
        public var relation: String
        public var sharedTerms: String
        public var hoursApart: String

        public init(idA: String, idB: String, cosine: String, relation: String, sharedTerms: String, hoursApart: String) {
            self.idA = idA
            self.idB = idB
            self.cosine = cosine
            self.relation = relation
            self.sharedTerms = sharedTerms
            self.hoursApart = hoursApart
        }
    }

    /// One band of `calibration.csv`.
    public struct Band: Sendable {
        public var lowMicros: Int
        public var pairs: Int
        public var sameCluster: Int
        public var samples: [ReportedSample]

        public init(lowMicros: Int, pairs: Int, sameCluster: Int, samples: [ReportedSample]) {
            self.lowMicros = lowMicros
            self.pairs = pairs
            self.sameCluster = sameCluster
            self.samples = samples
        }
    }

    /// The stories in report order (largest first), each with its final id and its members
    /// in report order, canonical first.
    public var stories: [ReportedStory]
    /// The next `pairs.csv` row, in order of the two ids; `nil` at the end.
    public var nextPair: () throws(ReportError) -> Pair?
    public var calibration: [Band]
    public var rejects: [ReportedReject]
    public var parameters: RunParameters
    public var inputs: [InputFile]
    /// What `summary.json` says about the parts (`shards`), as JSON-ready values.
    public var parts: [ShardRecord]

    public init(stories: [ReportedStory], nextPair: @escaping () throws(ReportError) -> Pair?, calibration: [Band],
                rejects: [ReportedReject], parameters: RunParameters, inputs: [InputFile], parts: [ShardRecord]) {
        self.stories = stories
        self.nextPair = nextPair
        self.calibration = calibration
        self.rejects = rejects
        self.parameters = parameters
        self.inputs = inputs
        self.parts = parts
    }
}

/// One shard of a merged run, as `summary.json` lists it under `shards`.
public struct ShardRecord: Sendable, Codable, Hashable {
    public var index: Int
    public var from: String?
    public var to: String?
    public var articles: Int
    public var density: Int?
    public var linkageThreshold: Float?

    public init(index: Int, from: String?, to: String?, articles: Int, density: Int?, linkageThreshold: Float?) {
        self.index = index
        self.from = from
        self.to = to
        self.articles = articles
        self.density = density
        self.linkageThreshold = linkageThreshold
    }

    enum CodingKeys: String, CodingKey {
        case index, from, to, articles, density
        case linkageThreshold = "linkage_threshold"
    }
}

extension ReportWriter {
    /// Writes `report` as one set, as ``write(_:facts:)`` does for a run: `articles.csv`,
    /// `clusters.csv`, `clusters.json`, `pairs.csv`, `calibration.csv`, `rejects.csv`,
    /// `summary.json`, then `publishers.csv` and `report.html` from what was written.
    ///
    /// The stories are emptied once written (the page reads them back from `clusters.json`),
    /// so that they are not held twice.
    ///
    /// - Returns: the counts recorded in `summary.json`.
    public func writeAssembled(_ report: inout AssembledReport, facts: () -> RunFacts) throws(ReportError) -> RunCounts {
        try prepare()
        let set = try ReportSet(for: directory)
        let staging = set.path
        var counts = RunCounts()
        try writeAssembledArticles(report.stories, to: staging + "/articles.csv", counts: &counts)
        try writeAssembledClusters(report.stories, to: staging + "/clusters.csv")
        try writeAssembledJSON(report.stories, to: staging + "/clusters.json")
        report.stories = []
        counts.pairs = try writeAssembledPairs(report.nextPair, to: staging + "/pairs.csv")
        try writeAssembledCalibration(report.calibration, to: staging + "/calibration.csv")
        try writeAssembledRejects(report.rejects, to: staging + "/rejects.csv")
        counts.rejected = report.rejects.count { $0.severity == Reject.Severity.rejected.rawValue }
        counts.warnings = report.rejects.count { $0.severity == Reject.Severity.warning.rawValue }
        counts.skippedFiles = report.rejects.count {
            $0.severity == Reject.Severity.skipped.rawValue && !CorpusReader.isOwnOutput(Reject(
                source: SourceLocation(file: $0.file, record: $0.record), severity: .skipped, reason: $0.reason))
        }
        counts.recordsRead = counts.articles + counts.rejected

        // The editorial files are built from the stories as written, as `storyclust report` does.
        var summary = Summary(parameters: report.parameters, inputs: report.inputs, counts: counts, facts: facts(), formulas: formulas)
        summary.shards = report.parts
        try writeSummary(summary, in: staging)
        let editorial = try ReportReader(directory: staging).editorialReport()
        let publishers = PublisherTable(editorial.stories)
        let table = try AtomicFile(path: staging + "/publishers.csv")
        try table.write(chunk: publishers.csv(formulas))
        try table.commit()
        if let stories = htmlStories {
            let page = try AtomicFile(path: staging + "/report.html")
            try page.write(chunk: ReportPage(report: editorial, publishers: publishers, budget: .init(stories: stories)).render())
            try page.commit()
        }
        try set.publish(exchange: exchange)
        return counts
    }

    private func writeAssembledArticles(_ stories: [ReportedStory], to path: String, counts: inout RunCounts) throws(ReportError) {
        var table = try CSVTable(path: path, header: Self.articleColumns)
        let text = formulas.encode
        for story in stories {
            counts.clusters += 1
            if story.members.count > 1 { counts.storiesWithSeveralArticles += 1 }
            for (position, member) in story.members.enumerated() {
                counts.articles += 1
                switch member.relation {
                case "singleton": counts.singletons += 1
                case "exact_url": counts.exactURL += 1
                case "exact_text": counts.exactText += 1
                case "near_duplicate": counts.nearDuplicate += 1
                case "same_story": counts.sameStory += 1
                default: break
                }
                try table.append([
                    text(member.id), story.id, member.duplicateOf.map(text) ?? "", member.relation,
                    Format.decimal(member.similarity), position == 0 ? "true" : "false",
                    text(member.title), text(member.publisher), text(member.domain),
                    member.published.map(Timestamp.iso8601) ?? "", member.url.map(text) ?? "", text(member.source),
                    member.canonicalURL.map(text) ?? "", member.listedBy.map(text) ?? "", String(story.members.count),
                    member.similarityToOriginal.map { Format.decimal($0) } ?? "", member.language,
                ])
            }
        }
        try table.commit()
    }

    private func writeAssembledClusters(_ stories: [ReportedStory], to path: String) throws(ReportError) {
        var table = try CSVTable(path: path, header: Self.clusterColumns)
        let text = formulas.encode
        for story in stories {
            let facts = AssembledFacts(story)
            try table.append([
                story.id, String(story.members.count), String(facts.outlets.count),
                facts.first.map(Timestamp.iso8601) ?? "", facts.last.map(Timestamp.iso8601) ?? "",
                text(story.members[0].id), text(story.members[0].title), text(story.topTerms.joined(separator: "; ")),
                story.minSimilarity.map { Format.decimal($0) } ?? "", story.meanSimilarity.map { Format.decimal($0) } ?? "",
                String(facts.duplicates), text(facts.outlets.joined(separator: "; ")),
            ])
        }
        try table.commit()
    }

    private func writeAssembledJSON(_ stories: [ReportedStory], to path: String) throws(ReportError) {
        let file = try AtomicFile(path: path)
        var out = ReportBuffer(capacity: 1 << 20)
        out.append("{\"clusters\":[\n")
        for (index, story) in stories.enumerated() {
            if index > 0 { out.append(",\n") }
            do throws(JSONNumberError) {
                try out.appendAssembledJSON(story)
            } catch {
                throw .encoding(path: path, reason: "\(error.value) cannot be written in JSON")
            }
            if out.bytes.count > 1 << 20 {
                try file.write(chunk: out.bytes)
                out = ReportBuffer(capacity: 1 << 20)
            }
        }
        out.append(stories.isEmpty ? "],\"tool\":" : "\n],\"tool\":")
        out.appendJSONString("storyclust")
        out.append(",\"version\":")
        out.appendJSONString(StoryClustVersion.current)
        out.append("}\n")
        try file.write(chunk: out.bytes)
        try file.commit()
    }

    private func writeAssembledPairs(_ next: () throws(ReportError) -> AssembledReport.Pair?, to path: String) throws(ReportError) -> Int {
        var table = try CSVTable(path: path, header: Self.pairColumns)
        let text = formulas.encode
        var count = 0
        while let pair = try next() {
            try table.append([text(pair.idA), text(pair.idB), pair.cosine, pair.relation, text(pair.sharedTerms), pair.hoursApart])
            count += 1
        }
        try table.commit()
        return count
    }

    private func writeAssembledCalibration(_ bands: [AssembledReport.Band], to path: String) throws(ReportError) {
        var table = try CSVTable(path: path, header: Self.calibrationColumns)
        let text = formulas.encode
        for band in bands {
            let low = Format.decimal(Double(band.lowMicros) / 1e6, places: 2)
            let high = Format.decimal(Double(band.lowMicros + Calibration.bandMicros) / 1e6, places: 2)
            try table.append(["histogram", low, high, String(band.pairs), String(band.sameCluster)]
                + Array(repeating: "", count: Self.calibrationColumns.count - 5))
            for s in band.samples {
                try table.append([
                    "sample", low, high, "", "", s.cosine, s.relation, text(s.idA), text(s.idB), text(s.titleA), text(s.titleB),
                    text(s.publisherA), text(s.publisherB), s.publishedA, s.publishedB, s.hoursApart,
                ])
            }
        }
        try table.commit()
    }

    private func writeAssembledRejects(_ rejects: [ReportedReject], to path: String) throws(ReportError) {
        var table = try CSVTable(path: path, header: Self.rejectColumns)
        let text = formulas.encode
        for reject in rejects {
            try table.append([
                text(reject.file), reject.line.map(String.init) ?? "", reject.record > 0 ? String(reject.record) : "",
                reject.severity, reject.id.map(text) ?? "", text(reject.reason),
            ])
        }
        try table.commit()
    }
}

/// The facts of an assembled story that `clusters.csv` and `clusters.json` derive from its members.
struct AssembledFacts {
    var outlets: [String]
    var first: Int64?
    var last: Int64?
    var duplicates: Int

    init(_ story: ReportedStory) {
        outlets = Set(story.members.map { $0.publisher.isEmpty ? $0.domain : $0.publisher }.filter { !$0.isEmpty }).sorted()
        let times = story.members.compactMap(\.published)
        first = times.min()
        last = times.max()
        duplicates = story.members.count { $0.duplicateOf != nil }
    }
}

extension ReportBuffer {
    /// One cluster line of `clusters.json`, keys in sorted order as ``appendClusterJSON`` writes them.
    mutating func appendAssembledJSON(_ story: ReportedStory) throws(JSONNumberError) {
        let facts = AssembledFacts(story)
        var days = DayCache()
        func key(_ name: StaticString, first: Bool = false) {
            append(byte: first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            append(byte: 0x22)
            append(name)
            append("\":")
        }
        func time(_ seconds: Int64?) {
            guard let seconds else { return append("null") }
            append(byte: 0x22)
            appendTimestamp(seconds, days: &days)
            append(byte: 0x22)
        }
        func number(_ value: Double?) throws(JSONNumberError) {
            guard let value else { return append("null") }
            try appendJSONNumber(value)
        }
        key("canonical_id", first: true)
        appendJSONString(story.members[0].id)
        key("canonical_title")
        appendJSONString(story.members[0].title)
        key("cluster_id")
        appendJSONString(story.id)
        key("duplicates")
        append(facts.duplicates)
        key("first_published")
        time(facts.first)
        key("last_published")
        time(facts.last)
        key("mean_similarity")
        try number(story.meanSimilarity)
        key("members")
        append(byte: UInt8(ascii: "["))
        for (position, member) in story.members.enumerated() {
            if position > 0 { append(byte: UInt8(ascii: ",")) }
            key("domain", first: true)
            appendJSONString(member.domain)
            key("duplicate_of")
            appendJSONString(member.duplicateOf)
            key("id")
            appendJSONString(member.id)
            key("published")
            time(member.published)
            key("publisher")
            appendJSONString(member.publisher)
            key("relation")
            appendJSONString(member.relation)
            key("similarity")
            try number(member.similarity)
            key("similarity_to_original")
            try number(member.similarityToOriginal)
            key("source")
            appendJSONString(member.source)
            key("title")
            appendJSONString(member.title)
            key("url")
            appendJSONString(member.url)
            append(byte: UInt8(ascii: "}"))
        }
        append(byte: UInt8(ascii: "]"))
        key("min_similarity")
        try number(story.minSimilarity)
        key("outlet_names")
        appendJSONArray(facts.outlets)
        key("outlets")
        append(facts.outlets.count)
        key("size")
        append(story.members.count)
        key("top_terms")
        appendJSONArray(story.topTerms)
        append(byte: UInt8(ascii: "}"))
    }
}
