import Glibc

/// A file that appears complete or not at all.
///
/// Bytes go to a hidden temporary file beside the target (same directory, so the same file
/// system); ``commit()`` flushes it to disk and renames it over the target. A crash before the
/// rename leaves the previous report untouched and only a `.*.tmp` file behind.
final class AtomicFile {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 20
    /// Whether the file is on disk as it is: set by ``sync()``, cleared by a write.
    private var synced = false

    init(path: String) throws(ReportError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = "\(directory)/.\(name).\(getpid()).tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw .file(path: path, reason: ReportError.systemReason()) }
        buffer.reserveCapacity(Self.flushSize)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    func write(_ text: String) throws(ReportError) {
        synced = false
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushSize { try flush() }
    }

    func write(_ bytes: some Sequence<UInt8>) throws(ReportError) {
        synced = false
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Writes `chunk` as it is, after what is buffered: a chunk built elsewhere is not copied
    /// into the buffer first.
    func write(chunk: [UInt8]) throws(ReportError) {
        synced = false
        try flush()
        try writeAll(chunk)
    }

    private func flush() throws(ReportError) {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(ReportError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .file(path: path, reason: ReportError.systemReason())
            }
            offset += written
        }
    }

    /// Flushes the file and waits until it is on disk (`fsync`); it stays open, under its
    /// temporary name.
    func sync() throws(ReportError) {
        try flush()
        guard !synced else { return }
        if fsync(descriptor) != 0 { throw .file(path: path, reason: ReportError.systemReason()) }
        synced = true
    }

    /// Flushes, syncs (unless ``sync()`` did since the last write) and renames the file into place.
    func commit() throws(ReportError) {
        do {
            try sync()
        } catch {
            close(descriptor)
            descriptor = -1
            unlink(temporaryPath)
            throw error
        }
        if close(descriptor) != 0 {
            descriptor = -1
            unlink(temporaryPath)
            throw .file(path: path, reason: ReportError.systemReason())
        }
        descriptor = -1
        if rename(temporaryPath, path) != 0 {
            unlink(temporaryPath)
            throw .file(path: path, reason: ReportError.systemReason())
        }
    }
}
