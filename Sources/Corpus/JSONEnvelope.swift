import Foundation

/// Finds the array of records inside a news API's JSON envelope
/// (`{"status": "ok", "articles": [...]}`, Elasticsearch's `hits.hits[]._source`).
enum JSONEnvelope {
    /// Keys under which news APIs put their records; a dotted path may end in any of them.
    static let recordKeys: Set<String> = ["articles", "items", "data", "results", "hits", "entries", "documents", "stories", "posts", "news", "records"]

    enum Outcome {
        /// The records, and the dotted path they were found at.
        case records([Any], path: String)
        /// The object is one record itself.
        case single
        case problem(String)
    }

    /// Where the records of `object` are.
    ///
    /// - Parameters:
    ///   - key: `--records`: a dotted path to the array; `nil` looks for one by itself.
    ///   - textKeys: lower-cased keys that make an object an article (title, body, ...): an
    ///     object holding one is a record even when it also holds arrays of objects.
    static func locate(_ object: [String: Any], key: String?, textKeys: Set<String>) -> Outcome {
        if let key { return follow(key, in: object) }
        if object.keys.contains(where: { textKeys.contains($0.lowercased()) }) { return .single }
        var arrays: [(path: String, elements: [Any])] = []
        collectArrays(in: object, path: [], depth: 0, into: &arrays)
        let named = arrays.filter { recordKeys.contains($0.path.split(separator: ".").last.map(String.init)?.lowercased() ?? "") }
        let chosen = named.isEmpty ? arrays : named
        switch chosen.count {
        case 0: return .single
        case 1: return .records(chosen[0].elements, path: chosen[0].path)
        default:
            let list = chosen.map(\.path).sorted().joined(separator: ", ")
            return .problem("the JSON object holds several arrays of records (\(list)); name the one to read with --records KEY")
        }
    }

    /// The array at a dotted path, keys matched ignoring case.
    private static func follow(_ key: String, in object: [String: Any]) -> Outcome {
        var current: Any = object
        var walked: [String] = []
        for component in key.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            guard let fields = current as? [String: Any] else {
                return .problem("--records \(key): '\(walked.joined(separator: "."))' is \(Value.jsonTypeName(current)), not an object holding '\(component)'")
            }
            guard let next = fields[component] ?? fields.first(where: { $0.key.lowercased() == component.lowercased() })?.value else {
                let keys = fields.keys.sorted().joined(separator: ", ")
                let place = walked.isEmpty ? "the JSON object" : "'\(walked.joined(separator: "."))'"
                return .problem("--records \(key): \(place) has no key '\(component)' (its keys: \(keys.isEmpty ? "none" : keys))")
            }
            walked.append(component)
            current = next
        }
        guard let array = current as? [Any] else {
            return .problem("--records \(key): the value there is \(Value.jsonTypeName(current)), not an array of records")
        }
        return .records(array, path: key)
    }

    /// Arrays whose first element is an object, up to three keys deep, in key order.
    private static func collectArrays(in object: [String: Any], path: [String], depth: Int, into arrays: inout [(path: String, elements: [Any])]) {
        for key in object.keys.sorted() {
            let value = object[key]!
            if let array = value as? [Any] {
                if array.first is [String: Any] { arrays.append(((path + [key]).joined(separator: "."), array)) }
            } else if let inner = value as? [String: Any], depth < 2 {
                collectArrays(in: inner, path: path + [key], depth: depth + 1, into: &arrays)
            }
        }
    }

    /// An element's record: an Elasticsearch hit's `_source` (with the hit's `_id` as its id
    /// when the source has none), else the element itself.
    static func unwrap(_ element: Any) -> Any {
        guard let hit = element as? [String: Any], var source = hit["_source"] as? [String: Any] else { return element }
        if source["id"] == nil, let id = hit["_id"] { source["id"] = id }
        return source
    }
}
