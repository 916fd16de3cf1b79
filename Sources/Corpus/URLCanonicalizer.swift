import Foundation

/// Reduces the many spellings of one article's URL to one string, the key for exact-URL duplicates.
///
/// Works on the text rather than through `URLComponents`, because `URLComponents` rejects some
/// URLs found in feeds and may re-encode others; percent-encoding is left exactly as given.
///
/// Rules, in order: the scheme must be `http` or `https` and becomes `https`; the fragment,
/// user info and default ports go; the host is lower-cased and loses a `www.`, `m.` or `amp.`
/// prefix; an AMP cache URL (`*.cdn.ampproject.org/c/s/HOST/PATH`) becomes the page it caches;
/// AMP path variants (`/amp` last segment, `/amp/` first segment, `.amp`/`.amp.html` suffix,
/// `amp-` prefix on the last segment) become the plain page; tracking and AMP query parameters
/// go, the others keep their order; a trailing slash goes except for the root.
public enum URLCanonicalizer {
    /// The canonical form of `url`, or `nil` when it is not an absolute `http(s)` URL with a host.
    public static func canonicalize(_ url: String) -> String? {
        switch ASCIIURL.canonicalize(url) {
        case .canonical(let canonical): return canonical
        case .invalid: return nil
        case .needsRules: return canonicalize(url, depth: 0)
        }
    }

    /// The canonical form by the general rules alone, without the byte-level path that
    /// ``canonicalize(_:)`` takes for plain ASCII URLs; the two must agree (tests and the URL
    /// fuzz target check it).
    package static func canonicalizeByRules(_ url: String) -> String? {
        canonicalize(url, depth: 0)
    }

    /// Query parameters that only track the visitor or select the AMP rendering.
    static let droppedParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src", "cmpid", "ocid", "amp", "_ga",
    ]

    private static func canonicalize(_ input: String, depth: Int) -> String? {
        var rest = Substring(input.trimmingASCIIWhitespace())
        // Byte-level searches: every delimiter is ASCII, and Character iteration is much slower.
        guard let colon = rest.utf8.firstIndex(of: UInt8(ascii: ":")),
              rest.utf8[colon...].starts(with: "://".utf8) else { return nil }
        let scheme = rest[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        rest = rest[rest.utf8.index(colon, offsetBy: 3)...]
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }

        // Authority: up to the first "/" or "?".
        let authorityEnd = rest.utf8.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if let at = authority.utf8.lastIndex(of: UInt8(ascii: "@")) { authority = authority[authority.index(after: at)...] }
        var host = String(authority).lowercased()
        var port = ""
        if let colon = host.lastIndex(of: ":"), !host[colon...].utf8.contains(UInt8(ascii: "]")) {
            port = String(host[host.index(after: colon)...])
            host = String(host[..<colon])
        }
        if port == "80" || port == "443" || port.isEmpty { port = "" } else { port = ":" + port }
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty else { return nil }

        var path: Substring
        var query: Substring = ""
        if let questionMark = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = rest[..<questionMark]
            query = rest[rest.index(after: questionMark)...]
        } else {
            path = rest
        }

        // An AMP cache URL names the cached page in its path: /c/s/HOST/PATH (https) or /c/HOST/PATH.
        if depth < 3, host == "cdn.ampproject.org" || host.hasSuffix(".cdn.ampproject.org") {
            var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            if let kind = segments.first, kind == "c" || kind == "v" || kind == "i" {
                segments = segments.dropFirst()
                var innerScheme = "http"
                if segments.first == "s" {
                    innerScheme = "https"
                    segments = segments.dropFirst()
                }
                if let innerHost = segments.first, !innerHost.isEmpty {
                    let inner = innerScheme + "://" + segments.joined(separator: "/") + (query.isEmpty ? "" : "?" + query)
                    return canonicalize(inner, depth: depth + 1)
                }
            }
        }

        for prefix in ["www.", "m.", "amp."] where host.hasPrefix(prefix) {
            let stripped = host.dropFirst(prefix.count)
            // Keep "m.com"-like hosts whole: the prefix is a subdomain only when a dot remains.
            if stripped.utf8.contains(UInt8(ascii: ".")) { host = String(stripped) }
        }

        let canonicalPath = canonicalizePath(path)
        let canonicalQuery = canonicalizeQuery(query)
        return "https://" + host + port + canonicalPath + (canonicalQuery.isEmpty ? "" : "?" + canonicalQuery)
    }

    private static func canonicalizePath(_ path: Substring) -> String {
        // Fast path: without "amp" anywhere only a trailing slash can change.
        if !containsAMP(path.utf8) {
            var trimmed = path
            while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
            return trimmed.hasPrefix("/") ? String(trimmed) : "/" + trimmed
        }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // "" before the leading "/" and, for a trailing slash, after it.
        if segments.first == "" { segments.removeFirst() }
        while segments.last == "" { segments.removeLast() }

        if segments.count > 1, segments.first?.lowercased() == "amp" { segments.removeFirst() }
        if segments.last?.lowercased() == "amp" { segments.removeLast() }
        if var last = segments.last {
            let lower = last.lowercased()
            if lower.hasSuffix(".amp.html") {
                last = String(last.dropLast(".amp.html".count)) + ".html"
            } else if lower.hasSuffix(".amp") {
                last = String(last.dropLast(".amp".count))
            }
            segments[segments.count - 1] = last
            if last.lowercased().hasPrefix("amp-"), last.count > 4 {
                let page = String(last.dropFirst(4))
                // Mint and others spell the AMP page of `.../slug-123.html` as `.../slug/amp-123.html`:
                // the AMP form splits the last segment at the dash, so joining it back restores the page.
                if segments.count > 1 {
                    segments.removeLast()
                    segments[segments.count - 1] += "-" + page
                } else {
                    segments[0] = page
                }
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// Whether the bytes hold "amp" in any letter case (Foundation's `contains` on strings goes
    /// through `CFStringFind`, a large share of reading time with one URL per article).
    static func containsAMP<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        var matched = 0
        for byte in bytes {
            let lower = byte | 0x20
            if matched == 0 { matched = lower == UInt8(ascii: "a") ? 1 : 0 }
            else if matched == 1 { matched = lower == UInt8(ascii: "m") ? 2 : (lower == UInt8(ascii: "a") ? 1 : 0) }
            else if lower == UInt8(ascii: "p") { return true }
            else { matched = lower == UInt8(ascii: "a") ? 1 : 0 }
        }
        return false
    }

    private static func canonicalizeQuery(_ query: Substring) -> String {
        guard !query.isEmpty else { return "" }
        var kept: [Substring] = []
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            let key: Substring
            let value: Substring
            if let equals = parameter.firstIndex(of: "=") {
                key = parameter[..<equals]
                value = parameter[parameter.index(after: equals)...]
            } else {
                key = parameter
                value = ""
            }
            let lowerKey = key.lowercased()
            if lowerKey.hasPrefix("utm_") || droppedParameters.contains(lowerKey) { continue }
            if lowerKey == "outputtype", value.lowercased() == "amp" { continue }
            kept.append(parameter)
        }
        return kept.joined(separator: "&")
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[start...end]
    }
}
