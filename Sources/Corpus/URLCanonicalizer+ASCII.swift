/// ``URLCanonicalizer``'s rules on the bytes of a plain ASCII URL, the form nearly every feed
/// and dump gives: one pass, no `Character` or `Substring` work, one `String` made at the end.
///
/// It takes only the URLs on which byte and `Character` views agree (ASCII) and which none of
/// the AMP rules touch (no AMP cache host, no `amp` in the path); every other URL is left to the
/// general rules. The two paths give the same string for every URL this one takes.
enum ASCIIURL {
    enum Outcome: Equatable {
        case canonical(String)
        /// Not an absolute `http(s)` URL with a host.
        case invalid
        /// Outside the byte path: the general rules decide.
        case needsRules
    }

    static func canonicalize(_ url: String) -> Outcome {
        var url = url
        return url.withUTF8 { canonicalize($0) }
    }

    private static func canonicalize(_ all: UnsafeBufferPointer<UInt8>) -> Outcome {
        for byte in all where byte >= 0x80 { return .needsRules }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var start = 0, end = all.count
        while start < end, isSpace(all[start]) { start += 1 }
        while end > start, isSpace(all[end - 1]) { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: all[start..<end])

        // Scheme: up to the first ":", which "//" must follow.
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
              colon + 3 <= bytes.count, bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/")
        else { return .invalid }
        let scheme = bytes[..<colon].map(lower)
        guard scheme.elementsEqual("http".utf8) || scheme.elementsEqual("https".utf8) else { return .invalid }
        var restEnd = bytes.count
        let restStart = colon + 3
        if let hash = bytes[restStart...].firstIndex(of: UInt8(ascii: "#")) { restEnd = hash }
        let rest = bytes[restStart..<restEnd]

        // Authority: up to the first "/" or "?", without user info.
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        var host = authority
        var port = authority[authority.endIndex...]
        if let portColon = host.lastIndex(of: UInt8(ascii: ":")), !host[portColon...].contains(UInt8(ascii: "]")) {
            port = host[(portColon + 1)...]
            host = host[..<portColon]
        }
        let keepPort = !(port.isEmpty || port.elementsEqual("80".utf8) || port.elementsEqual("443".utf8))
        if host.last == UInt8(ascii: ".") { host = host.dropLast() }
        guard !host.isEmpty else { return .invalid }
        var lowerHost = host.map(lower)
        if lowerHost.elementsEqual("cdn.ampproject.org".utf8) || lowerHost.suffix(19).elementsEqual(".cdn.ampproject.org".utf8) {
            return .needsRules
        }
        for prefix in ["www.", "m.", "amp."] where lowerHost.starts(with: prefix.utf8) {
            // Keep "m.com"-like hosts whole: the prefix is a subdomain only when a dot remains.
            if lowerHost[prefix.utf8.count...].contains(UInt8(ascii: ".")) { lowerHost.removeFirst(prefix.utf8.count) }
        }

        let tail = rest[authorityEnd...]
        let questionMark = tail.firstIndex(of: UInt8(ascii: "?"))
        var path = tail[..<(questionMark ?? tail.endIndex)]
        if URLCanonicalizer.containsAMP(path) { return .needsRules }

        var out: [UInt8] = []
        out.reserveCapacity(8 + all.count)
        out.append(contentsOf: "https://".utf8)
        out.append(contentsOf: lowerHost)
        if keepPort {
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: port.map(lower))
        }
        while path.last == UInt8(ascii: "/") { path = path.dropLast() }
        if path.first != UInt8(ascii: "/") { out.append(UInt8(ascii: "/")) }
        out.append(contentsOf: path)
        if let questionMark { appendQuery(tail[(questionMark + 1)...], to: &out) }
        return .canonical(String(decoding: out, as: UTF8.self))
    }

    /// The query's parameters but the tracking and AMP ones, in their order, after a "?".
    private static func appendQuery(_ query: Slice<UnsafeBufferPointer<UInt8>>, to out: inout [UInt8]) {
        var first = true
        for parameter in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = parameter.firstIndex(of: UInt8(ascii: "="))
            let key = String(decoding: parameter[..<(equals ?? parameter.endIndex)].map(lower), as: UTF8.self)
            if key.hasPrefix("utm_") || URLCanonicalizer.droppedParameters.contains(key) { continue }
            if key == "outputtype", let equals, parameter[(equals + 1)...].map(lower).elementsEqual("amp".utf8) { continue }
            out.append(first ? UInt8(ascii: "?") : UInt8(ascii: "&"))
            out.append(contentsOf: parameter)
            first = false
        }
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
