/// Parsing and printing of publish times as whole seconds since the Unix epoch (UTC).
///
/// A small scanner does the parsing instead of `DateFormatter`/`ISO8601DateFormatter`: each of
/// those handles one layout, depends on locale and time-zone state, and is slow enough to matter
/// on a million records. The civil-date arithmetic is Howard Hinnant's `days_from_civil`.
public enum Timestamp {
    /// What a publish-time value turned out to be.
    enum Reading: Equatable {
        case time(Int64)
        /// A time, but outside ``range``: the reports could not write it as a 4-digit year.
        case outOfRange
        case notATime
    }

    /// The times the reports can write: 0001-01-01T00:00:00Z through 9999-12-31T23:59:59Z.
    public static let range: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// Parses a publish time.
    ///
    /// Accepted: ISO 8601 (`2020-05-20T18:37:00Z`, `+02:00`/`+0200`/`+02` offsets, fractional
    /// seconds, no offset meaning UTC, a space instead of `T`, a date alone), RFC 2822
    /// (`Tue, 19 May 2020 15:53:00 GMT`, numeric or US zone names), and epoch seconds or
    /// milliseconds as a numeric string (above 1e11 it is taken as milliseconds).
    ///
    /// - Returns: seconds since 1970-01-01T00:00:00Z, or `nil` when `text` is none of these or
    ///   falls outside ``range``.
    public static func parse(_ text: String) -> Int64? {
        if case .time(let seconds) = read(text) { return seconds }
        return nil
    }

    /// Parses a publish time, telling a time out of ``range`` from text that is no time.
    static func read(_ text: String) -> Reading {
        let bytes = Array(text.utf8)
        var start = 0, end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        if start == end { return .notATime }
        let scalars = start == 0 && end == bytes.count ? bytes : Array(bytes[start..<end])
        if let epoch = parseEpoch(scalars) { return read(epoch: epoch) }
        guard let seconds = parseISO(scalars) ?? parseRFC2822(scalars) else { return .notATime }
        return range.contains(seconds) ? .time(seconds) : .outOfRange
    }

    /// Seconds since the epoch as a number: above 1e11 it is milliseconds (1e11 s is year 5138,
    /// 1e11 ms is 1973), so both units found in feeds are read right.
    static func read(epoch value: Double) -> Reading {
        guard value.isFinite else { return .outOfRange }
        let seconds = (abs(value) > 1e11 ? value / 1000 : value).rounded(.down)
        guard seconds >= Double(range.lowerBound), seconds <= Double(range.upperBound) else { return .outOfRange }
        return .time(Int64(seconds))
    }

    /// Formats `seconds` as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func iso8601(_ seconds: Int64) -> String {
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        let hour = secondOfDay / 3600, minute = secondOfDay % 3600 / 60, second = secondOfDay % 60
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))Z"
    }

    // MARK: - Epoch

    /// The number a numeric string holds, `nil` when it is not one.
    private static func parseEpoch(_ s: [UInt8]) -> Double? {
        var sawDigit = false
        for (i, c) in s.enumerated() {
            if isDigit(c) { sawDigit = true; continue }
            if c == UInt8(ascii: "-") && i == 0 { continue }
            if c == UInt8(ascii: ".") { continue }
            return nil
        }
        guard sawDigit else { return nil }
        return Double(String(decoding: s, as: UTF8.self))
    }

    // MARK: - ISO 8601

    private static func parseISO(_ s: [UInt8]) -> Int64? {
        var p = Scanner(s)
        guard let year = p.digits(exactly: 4), p.eat("-"), let month = p.digits(exactly: 2), p.eat("-"),
              let day = p.digits(exactly: 2) else { return nil }
        var hour = 0, minute = 0, second = 0, offset = 0
        if !p.atEnd {
            guard p.eat("T") || p.eat("t") || p.eat(" ") else { return nil }
            guard let h = p.digits(exactly: 2), p.eat(":"), let m = p.digits(exactly: 2) else { return nil }
            hour = h; minute = m
            if p.eat(":") {
                guard let sec = p.digits(exactly: 2) else { return nil }
                second = sec
                if p.eat(".") || p.eat(",") {
                    // Fractional seconds are dropped: the pipeline works in whole seconds.
                    guard p.skipDigits() > 0 else { return nil }
                }
            }
            p.skipSpaces()
            if p.eat("Z") || p.eat("z") {
                // UTC
            } else if !p.atEnd {
                guard let zone = p.numericOffset(colonAllowed: true) else { return nil }
                offset = zone
            }
        }
        guard p.atEnd else { return nil }
        return assemble(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    // MARK: - RFC 2822

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0,
        "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    ]

    private static func parseRFC2822(_ s: [UInt8]) -> Int64? {
        var p = Scanner(s)
        // Optional day name: "Tue,"
        if let word = p.letters(), !word.isEmpty {
            guard p.eat(",") else { return nil }
            p.skipSpaces()
        }
        guard let day = p.digits(min: 1, max: 2) else { return nil }
        p.skipSpaces()
        guard let monthName = p.letters()?.lowercased(), monthName.count >= 3,
              let monthIndex = months.firstIndex(of: String(monthName.prefix(3))) else { return nil }
        p.skipSpaces()
        guard var year = p.digits(min: 2, max: 4) else { return nil }
        if year < 100 { year += year < 50 ? 2000 : 1900 }
        p.skipSpaces()
        guard let hour = p.digits(exactly: 2), p.eat(":"), let minute = p.digits(exactly: 2) else { return nil }
        var second = 0
        if p.eat(":") {
            guard let sec = p.digits(exactly: 2) else { return nil }
            second = sec
        }
        p.skipSpaces()
        var offset = 0
        if !p.atEnd {
            if let name = p.letters(), !name.isEmpty {
                guard let hours = zones[name.lowercased()] else { return nil }
                offset = hours * 3600
            } else {
                guard let zone = p.numericOffset(colonAllowed: true) else { return nil }
                offset = zone
            }
        }
        p.skipSpaces()
        guard p.atEnd else { return nil }
        return assemble(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    // MARK: - Arithmetic

    private static func assemble(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    fileprivate static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}

/// A cursor over ASCII bytes for ``Timestamp``.
private struct Scanner {
    let s: [UInt8]
    var i = 0
    init(_ s: [UInt8]) { self.s = s }

    var atEnd: Bool { i >= s.count }

    mutating func eat(_ c: Unicode.Scalar) -> Bool {
        guard i < s.count, s[i] == UInt8(c.value) else { return false }
        i += 1
        return true
    }

    mutating func digits(exactly n: Int) -> Int? { digits(min: n, max: n) }

    /// Between `min` and `max` digits, and no digit right after them unless `strict` is false.
    mutating func digits(min: Int, max: Int, strict: Bool = true) -> Int? {
        var value = 0, count = 0
        while i < s.count, count < max, Timestamp.isDigit(s[i]) {
            value = value * 10 + Int(s[i] - 0x30)
            i += 1
            count += 1
        }
        if count < min || (strict && i < s.count && Timestamp.isDigit(s[i])) { return nil }
        return value
    }

    mutating func skipDigits() -> Int {
        let start = i
        while i < s.count, Timestamp.isDigit(s[i]) { i += 1 }
        return i - start
    }

    mutating func skipSpaces() {
        while i < s.count, s[i] == 0x20 { i += 1 }
    }

    mutating func letters() -> String? {
        let start = i
        while i < s.count, (s[i] | 0x20) >= 0x61, (s[i] | 0x20) <= 0x7A { i += 1 }
        return String(decoding: s[start..<i], as: UTF8.self)
    }

    /// `+HH:MM`, `+HHMM` or `+HH`, as seconds east of UTC.
    mutating func numericOffset(colonAllowed: Bool) -> Int? {
        let sign: Int
        if eat("+") { sign = 1 } else if eat("-") { sign = -1 } else { return nil }
        guard let hours = digits(min: 2, max: 2, strict: false) else { return nil }
        var minutes = 0
        if colonAllowed, eat(":") {
            guard let m = digits(exactly: 2) else { return nil }
            minutes = m
        } else if i < s.count, Timestamp.isDigit(s[i]) {
            guard let m = digits(exactly: 2) else { return nil }
            minutes = m
        }
        guard hours <= 23, minutes <= 59 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}
