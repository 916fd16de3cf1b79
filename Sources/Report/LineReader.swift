/// The lines of a file, read through a ``ChunkedFile``: a month's `clusters.json` read back this
/// way never sits in memory whole.
final class LineReader {
    private let file: ChunkedFile

    var path: String { file.path }

    init(path: String) throws(ReportError) {
        file = try ChunkedFile(path: path)
    }

    /// The next line without its line break, `nil` at the end.
    func next() throws(ReportError) -> ArraySlice<UInt8>? {
        while true {
            let start = file.start
            if let newline = file.buffer[start...].firstIndex(of: 0x0A) {
                file.start = newline + 1
                return file.buffer[start..<newline]
            }
            if file.atEnd {
                guard start < file.buffer.count else { return nil }
                file.start = file.buffer.count
                return file.buffer[start...]
            }
            try file.fill()
        }
    }
}
