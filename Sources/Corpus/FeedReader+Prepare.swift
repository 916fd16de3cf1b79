#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What the feed bytes are turned into before `XMLParser` sees them, because two inputs kill
/// the process inside libxml2 2.9.14 (Debian 12's) and swift-corelibs-foundation (FuzzFeed found
/// both, see Tests/CorpusTests/Fixtures/fuzz/FuzzFeed/):
///
/// - libxml2 reads a NULL pointer in `xmlSwitchToEncoding` when the bytes after the XML
///   declaration are not valid in the encoding it names (`encoding="Shift_JIS"` followed by
///   `FF FF`, `encoding="UTF-7"` followed by a NUL), or when the name is one it can only write
///   (`encoding="html"`), also after a byte-order mark, and in `xmlParseChunk` on UCS-4 it
///   detected itself (`00 00 00 3C`);
/// - `XMLParser` calls `strlen` on the NULL data of a processing instruction without data
///   (`<?name?>`).
///
/// So every feed reaches the parser as UTF-8, converted here with iconv as libxml2 itself would,
/// with its declaration saying UTF-8, and `<?name?>` becomes `<?name ?>`.
extension FeedReader {
    /// The feed as UTF-8 with no byte-order mark, its declaration naming UTF-8, and no
    /// processing instruction without data.
    ///
    /// - Throws: ``FileProblem`` when the declared encoding is unknown or the bytes are not valid in it.
    static func prepared(_ data: Data) throws(FileProblem) -> Data {
        var document: Data
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            document = data.dropFirst(3)  // the mark says UTF-8, whatever the declaration says
        } else if let wide = wideEncoding(data) {
            document = try converted(data, from: wide, named: wide)
        } else if let nul = data.prefix(4).firstIndex(of: 0) {
            // libxml2 takes these for UCS-4 in an unusual byte order, and crashes on some.
            throw FileProblem(reason: "the feed has a NUL byte at offset \(nul - data.startIndex) and is not UTF-16 or UTF-32")
        } else if let declared = declaredEncoding(in: data) {
            let name = declared.name.uppercased().replacingOccurrences(of: "_", with: "-")
            // ASCII bytes declared as UTF-16 are read as UTF-8 by libxml2 too.
            let utf8 = ["UTF-8", "UTF8", "US-ASCII", "ASCII"].contains(name) || name.hasPrefix("UTF-16") || name.hasPrefix("UTF16")
            document = utf8 ? data : try converted(data, from: declared.name, named: declared.name)
        } else {
            document = data
        }
        if let declared = declaredEncoding(in: document) {
            document.replaceSubrange(declared.range, with: Array("UTF-8".utf8))
        }
        fillEmptyInstructions(&document)
        return Data(document)
    }

    /// The iconv name of a UTF-32 or UTF-16 document's encoding, told by its byte-order mark or
    /// by `<` (`<?`) in that encoding, as libxml2 tells them.
    private static func wideEncoding(_ data: Data) -> String? {
        let patterns: [(bytes: [UInt8], name: String)] = [
            ([0x00, 0x00, 0xFE, 0xFF], "UTF-32"), ([0xFF, 0xFE, 0x00, 0x00], "UTF-32"),
            ([0x00, 0x00, 0x00, 0x3C], "UTF-32BE"), ([0x3C, 0x00, 0x00, 0x00], "UTF-32LE"),
            ([0xFE, 0xFF], "UTF-16"), ([0xFF, 0xFE], "UTF-16"),
            ([0x00, 0x3C, 0x00, 0x3F], "UTF-16BE"), ([0x3C, 0x00, 0x3F, 0x00], "UTF-16LE"),
        ]
        return patterns.first { data.starts(with: $0.bytes) }?.name
    }

    /// `data` converted from `encoding` to UTF-8 with iconv; `name` is the encoding as the reject reason calls it.
    private static func converted(_ data: Data, from encoding: String, named name: String) throws(FileProblem) -> Data {
        let converter = iconv_open("UTF-8", encoding)
        guard converter != iconv_t(bitPattern: -1) else {
            throw FileProblem(reason: "the feed declares the encoding '\(name)', which is not a known character encoding")
        }
        defer { iconv_close(converter) }
        var input = Array(data)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 64)
        var consumed = 0, written = 0
        while true {
            // nil input on the last pass writes what ends a stateful encoding.
            let flushing = consumed == input.count
            let failure: Int32? = input.withUnsafeMutableBytes { inBytes in
                output.withUnsafeMutableBytes { outBytes in
                    var inPointer = flushing ? nil : inBytes.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) + consumed }
                    var inLeft = inBytes.count - consumed
                    var outPointer = outBytes.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) + written }
                    var outLeft = outBytes.count - written
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    if !flushing { consumed = inBytes.count - inLeft }
                    written = outBytes.count - outLeft
                    return result == -1 ? errno : nil
                }
            }
            switch failure {
            case nil where flushing: return Data(output[..<written])
            case nil: continue
            case E2BIG?: output += repeatElement(0, count: output.count)
            case EINVAL?:
                throw FileProblem(reason: "the feed is in the encoding '\(name)' but ends inside a character of it (byte offset \(consumed))")
            default:
                throw FileProblem(reason: "the feed is in the encoding '\(name)' but the bytes at offset \(consumed) are not valid in it")
            }
        }
    }

    /// The `encoding` value of an XML declaration at the very start of `data`, and its byte range.
    private static func declaredEncoding(in data: Data) -> (name: String, range: Range<Data.Index>)? {
        guard data.starts(with: Array("<?xml".utf8)) else { return nil }
        let head = data.prefix(1024)
        // libxml2 takes the encoding from an unfinished declaration too: up to the first ">".
        let end = head.firstIndex(of: UInt8(ascii: ">")) ?? head.endIndex
        guard var index = head[..<end].firstRange(of: Array("encoding".utf8))?.upperBound else { return nil }
        func skipSpace() { while index < end, [0x20, 0x09, 0x0A, 0x0D].contains(data[index]) { index += 1 } }
        skipSpace()
        guard index < end, data[index] == UInt8(ascii: "=") else { return nil }
        index += 1
        skipSpace()
        guard index < end, data[index] == UInt8(ascii: "\"") || data[index] == UInt8(ascii: "'") else { return nil }
        let quote = data[index]
        let start = index + 1
        guard let close = data[start..<end].firstIndex(of: quote), close > start,
              let name = String(bytes: data[start..<close], encoding: .ascii) else { return nil }
        return (name, start..<close)
    }

    /// Puts a space before the `?>` of every processing instruction without data, outside
    /// comments and CDATA sections (where `<?` is text).
    private static func fillEmptyInstructions(_ document: inout Data) {
        let bytes = Array(document)
        var insertions: [Int] = []
        func find(_ marker: String, from start: Int) -> Int? {
            let pattern = Array(marker.utf8)
            return bytes[start...].firstRange(of: pattern).map { $0.upperBound }
        }
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else { index += 1; continue }
            let rest = bytes[index...]
            if rest.starts(with: Array("<!--".utf8)) {
                index = find("-->", from: index + 4) ?? bytes.count
            } else if rest.starts(with: Array("<![CDATA[".utf8)) {
                index = find("]]>", from: index + 9) ?? bytes.count
            } else if rest.starts(with: Array("<?".utf8)) {
                var end = index + 2
                while end < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "?")].contains(bytes[end]) { end += 1 }
                if end > index + 2, bytes[end...].starts(with: Array("?>".utf8)) { insertions.append(end) }
                index = find("?>", from: end) ?? bytes.count
            } else {
                index += 1
            }
        }
        guard !insertions.isEmpty else { return }
        var filled = [UInt8]()
        filled.reserveCapacity(bytes.count + insertions.count)
        var copied = 0
        for at in insertions {
            filled += bytes[copied..<at]
            filled.append(0x20)
            copied = at
        }
        filled += bytes[copied...]
        document = Data(filled)
    }
}
