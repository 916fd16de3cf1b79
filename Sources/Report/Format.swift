/// Fixed-point number formatting, independent of the locale.
///
/// Written out by hand because Foundation's `String(format:locale:)` builds a formatter per
/// call, which made it the slowest part of writing a large `pairs.csv`.
enum Format {
    static func decimal(_ value: Float, places: Int = 6) -> String { decimal(Double(value), places: places) }

    static func decimal(_ value: Double, places: Int = 6) -> String {
        precondition(places >= 0 && places <= 9, "0 to 9 decimal places")
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * Double(scale)).rounded())
        let whole = scaled / scale, fraction = scaled % scale
        var text = value < 0 && scaled != 0 ? "-" : ""
        text += String(whole)
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }
}
