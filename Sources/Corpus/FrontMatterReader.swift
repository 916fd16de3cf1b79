import Foundation
import Yams

enum FrontMatterReader {
    /// Reads a Markdown file with YAML front matter: the document is record 1, the entries of its
    /// `related` list records 2, 3, ...
    static func read(_ text: String, file: String) -> [Item] {
        // Swift sees CR LF as one Character, which splitting on "\n" never finds: a file saved
        // with Windows line endings would be one line. Read it as the LF file it stands for.
        let text = text.contains("\r\n") ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        var lines: [Substring] = []
        text.split(separator: "\n", omittingEmptySubsequences: false).forEach { lines.append($0) }
        func isFence(_ line: Substring, _ marker: String) -> Bool {
            line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r"))) == marker
        }
        let location = SourceLocation(file: file, line: 1, record: 1)
        guard let first = lines.first, isFence(first, "---") else {
            return [.reject(Reject(source: SourceLocation(file: file, record: 0), severity: .rejected,
                                   reason: "no YAML front matter: the first line must be ---"))]
        }
        guard let close = lines.indices.dropFirst().first(where: { isFence(lines[$0], "---") || isFence(lines[$0], "...") }) else {
            return [.reject(Reject(source: location, severity: .rejected,
                                   reason: "front matter opened by --- on line 1 is never closed by a --- or ... line"))]
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let body = lines[(close + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)

        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            let (reason, line) = describe(error)
            return [.reject(Reject(source: SourceLocation(file: file, line: line.map { $0 + 1 } ?? 1, record: 1),
                                   severity: .rejected, reason: "invalid YAML front matter: \(reason)"))]
        }
        guard let root, case .mapping(let mapping) = root else {
            return [.reject(Reject(source: location, severity: .rejected, reason: "front matter is not a YAML mapping of fields"))]
        }

        var conversion = YAMLConversion(sourceSize: yaml.utf8.count)
        let fields: [String: Value]
        do {
            guard case .object(let converted) = try conversion.convert(root) else { return [] }
            fields = converted
        } catch {
            return [.reject(Reject(source: location, severity: .rejected,
                                   reason: "YAML front matter expands through aliases to more than \(error.limit) nodes, "
                                       + "far more than its \(yaml.utf8.count) bytes hold (an alias bomb?); not read"))]
        }
        var items: [Item] = [.record(RawRecord(fields: fields, location: location, parentItem: nil, markdownBody: body.isEmpty ? nil : body))]
        // The entries come from the converted fields (so merge keys apply to them too); their
        // lines from the nodes.
        guard case .array(let related) = fields["related"] else { return items }
        var relatedNodes: [Node] = []
        if let node = mapping.first(where: { $0.key.scalar?.string.lowercased() == "related" })?.value,
           case .sequence(let sequence) = node {
            relatedNodes = Array(sequence)
        }
        for (offset, entry) in related.enumerated() {
            // Front matter starts on file line 2, so YAML line n is file line n + 1.
            let mark = offset < relatedNodes.count ? relatedNodes[offset].mark : nil
            let entryLocation = SourceLocation(file: file, line: mark.map { $0.line + 1 }, record: offset + 2)
            guard case .object(let entryFields) = entry else {
                items.append(.reject(Reject(source: entryLocation, severity: .rejected,
                                            reason: "related entry \(offset + 1) is not a mapping of fields")))
                continue
            }
            items.append(.record(RawRecord(fields: entryFields, location: entryLocation, parentItem: 0, markdownBody: nil)))
        }
        return items
    }

    /// Yams' problem text and the YAML line it points at.
    private static func describe(_ error: any Error) -> (String, Int?) {
        guard let yamlError = error as? YamlError else { return ("\(error)", nil) }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) at line \($0.mark.line + 1): " } ?? ""
            return (prefix + problem + " at line \(mark.line + 1), column \(mark.column)", mark.line)
        case .reader(let problem, _, _, _):
            return (problem, nil)
        default:
            return ("\(yamlError)", nil)
        }
    }
}
