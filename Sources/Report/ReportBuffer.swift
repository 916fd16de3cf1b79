import Corpus

/// A piece of a report being built as UTF-8 bytes, without a `String` per field.
///
/// Numbers and times are formatted here digit by digit; each formatter gives exactly the bytes of
/// the `String` formatting it replaces (``Format/decimal(_:places:)-(Double,_)``,
/// `Timestamp.iso8601`), which the tests check value by value.
struct ReportBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    @inline(__always)
    mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Int) {
        append(Int64(value))
    }

    /// `String(value)`.
    mutating func append(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, minimumCount: 1)
    }

    /// The decimal digits of `value`, zero-padded on the left to `minimumCount`.
    mutating func appendDigits(_ value: UInt64, minimumCount: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { digits in
            repeat {
                digits[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            while count < minimumCount && count < 24 {
                digits[23 - count] = UInt8(ascii: "0")
                count += 1
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[(24 - count)...]))
        }
    }

    /// `Format.decimal(value, places: places)`: fixed point, rounded half away from zero, no
    /// sign on a value that rounds to zero.
    mutating func appendDecimal(_ value: Double, places: Int) {
        precondition(places >= 0 && places <= 9, "0 to 9 decimal places")
        guard value.isFinite else {
            append(value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf"))
            return
        }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * Double(scale)).rounded())
        let whole = scaled / scale, fraction = scaled % scale
        if value < 0 && scaled != 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(whole), minimumCount: 1)
        if places > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(UInt64(fraction), minimumCount: places)
        }
    }

    mutating func appendDecimal(_ value: Float, places: Int = 6) {
        appendDecimal(Double(value), places: places)
    }

    /// `Timestamp.iso8601(seconds)`; the date part comes from `days`, which remembers the last day.
    mutating func appendTimestamp(_ seconds: Int64, days: inout DayCache) {
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_400 + 1) / 86_400
        let secondOfDay = seconds - day * 86_400
        bytes.append(contentsOf: days.prefix(of: day))
        appendDigits(UInt64(secondOfDay / 3_600), minimumCount: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(UInt64(secondOfDay % 3_600 / 60), minimumCount: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(UInt64(secondOfDay % 60), minimumCount: 2)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `location.description`: `file:line`, `file#record`, or the file alone for record 0.
    mutating func append(_ location: SourceLocation) {
        append(location.file)
        if let line = location.line {
            bytes.append(UInt8(ascii: ":"))
            append(line)
        } else if location.record != 0 {
            bytes.append(UInt8(ascii: "#"))
            append(location.record)
        }
    }
}

/// The date part (`YYYY-MM-DDT`) of the last day formatted: articles come in runs of one day.
struct DayCache {
    private var day: Int64?
    private var bytes: [UInt8] = []

    mutating func prefix(of day: Int64) -> [UInt8] {
        if day != self.day {
            // The date part of midnight is the date part of every second of the day.
            let text = Timestamp.iso8601(day * 86_400).utf8
            bytes = Array(text[..<text.firstIndex(of: UInt8(ascii: "T"))!]) + [UInt8(ascii: "T")]
            self.day = day
        }
        return bytes
    }
}
