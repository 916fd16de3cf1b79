import Foundation
import Yams

/// One parsed record, whatever format it came from: the common ground of the format readers.
///
/// Object keys are stored lower-cased so lookups are case-insensitive without a scan.
enum Value: Sendable {
    case null
    case string(String)
    /// A number with its text as written (so an id `123` stays `"123"`, not `"123.0"`).
    case number(Double, String)
    case bool(Bool)
    case array([Value])
    case object([String: Value])

    /// The value as text where text is expected: strings trimmed, numbers as written, an
    /// object's `name` (as in `"source": {"name": "Reuters"}`); `nil` for anything else or empty.
    var text: String? {
        switch self {
        case .string(let s):
            // Most values need no trimming; checking the ends first skips Foundation's copy. An
            // ASCII end byte other than a space or a control is no whitespace, without a lookup.
            func plainEnd(_ byte: UInt8?) -> Bool { byte.map { $0 > 0x20 && $0 < 0x7F } ?? false }
            if plainEnd(s.utf8.first) && plainEnd(s.utf8.last) { return s }
            if let first = s.unicodeScalars.first, let last = s.unicodeScalars.last,
               !first.properties.isWhitespace, !last.properties.isWhitespace {
                return s
            }
            let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case .number(_, let text): return text
        case .bool(let b): return b ? "true" : "false"
        case .object(let fields): return fields["name"]?.text
        case .null, .array: return nil
        }
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// A compiled field key: the flat lower-cased key and, when dotted, its path components.
struct FieldKey: Sendable {
    let original: String
    let flat: String
    let path: [String]

    init(_ key: String) {
        original = key
        flat = key.lowercased()
        path = flat.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// The value at this key in `object`: the flat key first, then the dotted path.
    func lookup(in object: [String: Value]) -> Value? {
        if let value = object[flat] { return value }
        guard path.count > 1 else { return nil }
        var current: Value = .object(object)
        for component in path {
            guard case .object(let fields) = current, let next = fields[component] else { return nil }
            current = next
        }
        return current
    }
}

// MARK: - JSON

extension Value {
    /// Converts a `JSONSerialization` result.
    init(json: Any) {
        // Strings and containers are tested before NSNumber: casting a Swift dictionary or array
        // to NSNumber bridges it to an NSDictionary or NSArray first, which cost more than
        // parsing it.
        switch json {
        case let string as String:
            self = .string(string)
        case let dictionary as [String: Any]:
            var fields: [String: Value] = [:]
            fields.reserveCapacity(dictionary.count)
            for (key, value) in dictionary { fields[key.lowercased()] = Value(json: value) }
            self = .object(fields)
        case let array as [Any]:
            self = .array(array.map(Value.init(json:)))
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber too, of their own class: told apart
            // here so that `true` is never read as the number 1 (a time in 1970, a quality).
            if type(of: number) == Self.booleanClass {
                self = .bool(number.boolValue)
            } else {
                self = .number(number.doubleValue, number.stringValue)
            }
        default:
            self = .null
        }
    }

    /// The class JSONSerialization uses for `true` and `false`.
    private static let booleanClass: NSNumber.Type = type(of: NSNumber(value: true))

    /// A short name of the JSON type, for reject reasons.
    static func jsonTypeName(_ json: Any) -> String {
        switch json {
        case is String: return "a string"
        case is NSNumber: return "a number"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "null"
        }
    }
}

// MARK: - YAML

/// Raised when a YAML document expands past its node budget through aliases.
struct YAMLTooLarge: Error {
    let limit: Int
}

/// Converts a Yams node tree, applying merge keys and counting nodes so that aliases cannot
/// blow it up.
///
/// Yams shares an aliased node instead of copying it, so a "billion laughs" document parses
/// quickly; the explosion happens when the tree is walked. A document without aliases has fewer
/// nodes than bytes, so the budget is the source's size plus a fixed allowance: only expansion
/// through aliases can exceed it, and the tree built stays linear in the input.
struct YAMLConversion {
    static let allowance = 200_000
    let limit: Int
    private var visited = 0

    init(sourceSize: Int) {
        limit = Self.allowance + sourceSize
    }

    mutating func convert(_ node: Node) throws(YAMLTooLarge) -> Value {
        visited += 1
        if visited > limit { throw YAMLTooLarge(limit: limit) }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return .null }
            return .string(scalar.string)
        case .sequence(let sequence):
            var items: [Value] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item)) }
            return .array(items)
        case .mapping(let mapping):
            var fields: [String: Value] = [:]
            // `<<: *base` (or a list of them): the merged mappings' keys, where the mapping does
            // not set them itself; an earlier merged mapping wins over a later one.
            var merged: [[String: Value]] = []
            for (key, value) in mapping {
                if key.tag.rawValue == Tag.Name.merge.rawValue {
                    let sources: [Node] = if case .sequence(let list) = value { Array(list) } else { [value] }
                    for source in sources {
                        if case .object(let sourceFields) = try convert(source) { merged.append(sourceFields) }
                    }
                    continue
                }
                let name = (key.scalar?.string ?? "").lowercased()
                fields[name] = try convert(value)
            }
            for source in merged {
                for (name, value) in source where fields[name] == nil { fields[name] = value }
            }
            return .object(fields)
        case .alias:
            return .null
        }
    }
}
