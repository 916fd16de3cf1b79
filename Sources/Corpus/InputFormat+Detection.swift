import Foundation

extension InputFormat {
    /// The format the first bytes of `data` show, `nil` when they show none.
    ///
    /// After a byte-order mark and white space: `<` is a feed, `[` a JSON array, `---` front
    /// matter; `{` is JSON Lines when its first line is a whole JSON value with more lines after
    /// it, else one JSON document (a pretty-printed object, or an API's envelope on one line).
    /// CSV has no mark of its own, so it is never guessed.
    static func detect(_ data: Data) -> InputFormat? {
        var start = data.startIndex
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        while start < data.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(data[start]) { start += 1 }
        guard start < data.endIndex else { return nil }
        switch data[start] {
        case UInt8(ascii: "<"): return .feed
        case UInt8(ascii: "["): return .json
        case UInt8(ascii: "-") where data[start...].starts(with: Array("---".utf8)): return .frontMatter
        case UInt8(ascii: "{"):
            guard let newline = data[start...].firstIndex(of: 0x0A) else { return .json }
            let rest = data[(newline + 1)...]
            let moreLines = rest.contains { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            let firstLineIsWhole = (try? JSONSerialization.jsonObject(with: data[start..<newline], options: [.fragmentsAllowed])) != nil
            return moreLines && firstLineIsWhole ? .jsonLines : .json
        default: return nil
        }
    }
}
