#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension FeedReader {
    /// The feed as UTF-8 when its XML declaration names another encoding.
    ///
    /// libxml2 2.9 (Debian 12's) reads a NULL pointer in `xmlSwitchToEncoding`, killing the
    /// process, when the bytes after an ASCII declaration are not valid in the multi-byte
    /// encoding it names (`encoding="Shift_JIS"` followed by `FF FF`, `encoding="UTF-7"` followed
    /// by a NUL). So the document is converted here with iconv, as libxml2 itself would, and
    /// handed over as UTF-8 with the declaration saying so; bytes that do not convert are a
    /// reason to reject the file.
    ///
    /// - Returns: `data` itself when there is no such declaration, it names UTF-8 or UTF-16
    ///   (libxml2 decodes those without iconv), or iconv does not know the name (libxml2 then
    ///   reports an unsupported encoding); else the converted document.
    /// - Throws: ``FileProblem`` naming the encoding and the first byte that is not valid in it.
    static func utf8Document(_ data: Data) throws(FileProblem) -> Data {
        guard let declared = declaredEncoding(in: data) else { return data }
        let name = declared.name.uppercased().replacingOccurrences(of: "_", with: "-")
        if ["UTF-8", "UTF8"].contains(name) || name.hasPrefix("UTF-16") || name.hasPrefix("UTF16") { return data }
        let converter = iconv_open("UTF-8", declared.name)
        guard converter != iconv_t(bitPattern: -1) else { return data }
        defer { iconv_close(converter) }

        var input = Array(data)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 64)
        var consumed = 0, written = 0
        while true {
            // nil input on the last pass writes the shift sequence that ends a stateful encoding.
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
            case nil where flushing: break
            case nil: continue
            case E2BIG?: output += repeatElement(0, count: output.count); continue
            case EINVAL?:
                throw FileProblem(reason: "the feed declares the encoding '\(declared.name)' but ends inside a character of it (byte offset \(consumed))")
            default:
                throw FileProblem(reason: "the feed declares the encoding '\(declared.name)' but the bytes at offset \(consumed) are not valid in it")
            }
            break
        }
        var document = Data(output[..<written])
        if let converted = declaredEncoding(in: document) {
            document.replaceSubrange(converted.range, with: Array("UTF-8".utf8))
        }
        return document
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
}
