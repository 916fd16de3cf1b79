import Corpus
import Foundation

extension ReportReader {
    public var clustersJSONPath: String { directory + "/clusters.json" }
    public var rejectsPath: String { directory + "/rejects.csv" }

    /// The stories, rejects and inputs of the run that wrote the directory, for re-rendering
    /// `report.html` without clustering again: from `clusters.json` (read one cluster line at a
    /// time, so a month's file is never held as one parsed document), `rejects.csv` and
    /// `summary.json`. Outlets, first and last times and copies are derived from the members
    /// as the run derives them, so a `clusters.json` filtered in a notebook renders consistently.
    ///
    /// - Throws: ``ReportError/read(path:reason:)`` for a missing file,
    ///   ``ReportError/malformed(path:reason:)`` naming the line of a cluster that cannot be read.
    public func editorialReport() throws(ReportError) -> EditorialReport {
        let stories = try stories()
        var rejects: [EditorialReport.Reject] = []
        let text = formulas()
        try forEachRow(rejectsPath, columns: ["file", "line", "record", "severity", "reason"]) { _, fields in
            rejects.append(EditorialReport.Reject(
                file: text.decode(fields[0]), line: fields[1], record: fields[2], severity: fields[3], reason: text.decode(fields[4])))
            return true
        }
        struct Recorded: Decodable {
            struct Input: Decodable { var path: String; var format: String; var records: Int }
            struct Tool: Decodable { var version: String }
            var inputs: [Input]
            var tool: Tool
        }
        let recorded: Recorded
        do {
            recorded = try JSONDecoder().decode(Recorded.self, from: Data(contentsOf: URL(fileURLWithPath: summaryPath)))
        } catch let error as DecodingError {
            throw .malformed(path: summaryPath, reason: "not a storyclust summary.json (\(Self.describe(error)))")
        } catch {
            throw .read(path: summaryPath, reason: Self.reason(summaryPath, error))
        }
        return EditorialReport(
            stories: stories, rejects: rejects,
            inputs: recorded.inputs.map { EditorialReport.Input(path: $0.path, format: $0.format, records: $0.records) },
            version: recorded.tool.version)
    }

    private struct ClusterLine: Decodable {
        struct Member: Decodable {
            var id: String
            var title: String
            var publisher: String
            var domain: String
            var url: String?
            var published: String?
            var relation: String
            var duplicate_of: String?
            var similarity: Double
            var similarity_to_original: Double?
        }
        var cluster_id: String
        var top_terms: [String]
        var members: [Member]
    }

    private func stories() throws(ReportError) -> [EditorialReport.Story] {
        let path = clustersJSONPath
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw .read(path: path, reason: Self.reason(path, error))
        }
        let decoder = JSONDecoder()
        var stories: [EditorialReport.Story] = []
        var lineNumber = 0, start = data.startIndex, opened = false, closed = false
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            lineNumber += 1
            var line = data[start..<end]
            start = end < data.endIndex ? end + 1 : end
            if lineNumber == 1 {
                guard line.elementsEqual("{\"clusters\":[".utf8) else {
                    throw .malformed(path: path, reason: "line 1 is not {\"clusters\":[ (is it a storyclust clusters.json, one cluster a line?)")
                }
                opened = true
                continue
            }
            if line.first == UInt8(ascii: "]") {
                closed = true
                break
            }
            if line.last == UInt8(ascii: ",") { line = line.dropLast() }
            let cluster: ClusterLine
            do {
                cluster = try decoder.decode(ClusterLine.self, from: line)
            } catch let error as DecodingError {
                throw .malformed(path: path, reason: "line \(lineNumber): not a cluster (\(Self.describe(error)))")
            } catch {
                throw .malformed(path: path, reason: "line \(lineNumber): \(error)")
            }
            guard !cluster.members.isEmpty else { throw .malformed(path: path, reason: "line \(lineNumber): cluster \(cluster.cluster_id) has no members") }
            stories.append(Self.story(cluster))
        }
        guard opened && closed else { throw .malformed(path: path, reason: "the file ends before the clusters array does (line \(lineNumber))") }
        return stories
    }

    private static func story(_ line: ClusterLine) -> EditorialReport.Story {
        let members = line.members.map {
            EditorialReport.Member(
                id: $0.id, title: $0.title, publisher: $0.publisher, domain: $0.domain, url: $0.url,
                published: $0.published.flatMap(Timestamp.parse), relation: $0.relation, duplicateOf: $0.duplicate_of,
                similarity: $0.similarity, similarityToOriginal: $0.similarity_to_original)
        }
        let times = members.compactMap(\.published)
        return EditorialReport.Story(
            id: line.cluster_id, members: members, outlets: Set(members.map(\.outlet).filter { !$0.isEmpty }).sorted(),
            first: times.min(), last: times.max(), topTerms: line.top_terms, duplicates: members.count { $0.duplicateOf != nil })
    }
}
