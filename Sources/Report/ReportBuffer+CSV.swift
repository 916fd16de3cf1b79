extension ReportBuffer {
    /// Appends one RFC 4180 field: quoted only when it holds a quote, a comma, CR or LF, with its
    /// quotes doubled.
    mutating func appendCSVField(_ field: String) {
        var field = field
        field.withUTF8 { appendCSVField($0) }
    }

    mutating func appendCSVField(_ field: UnsafeBufferPointer<UInt8>) {
        Self.appendCSVField(field, to: &bytes)
    }

    /// Appends `field` to `bytes` as one RFC 4180 field: the rule every CSV report is written by.
    static func appendCSVField(_ field: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        guard field.contains(where: needsQuotes) else {
            bytes.append(contentsOf: field)
            return
        }
        bytes.append(0x22)
        for byte in field {
            if byte == 0x22 { bytes.append(0x22) }
            bytes.append(byte)
        }
        bytes.append(0x22)
    }

    /// Appends a field built by `build`, then quotes it if it needs quotes.
    mutating func appendCSVField(_ build: (inout ReportBuffer) -> Void) {
        let start = bytes.count
        build(&self)
        guard bytes[start...].contains(where: Self.needsQuotes) else { return }
        let field = Array(bytes[start...])
        bytes.removeSubrange(start...)
        field.withUnsafeBufferPointer { appendCSVField($0) }
    }

    /// Ends a CSV record.
    mutating func appendCRLF() {
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    @inline(__always)
    static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == 0x22 || byte == 0x2C || byte == 0x0A || byte == 0x0D
    }
}
