import Glibc

/// A file that appears complete or not at all.
///
/// Bytes go to a hidden temporary file beside the target (same directory, so the same file
/// system); ``commit()`` flushes it to disk and renames it over the target. A crash before the
/// rename leaves the previous report untouched and only a `.NAME.XXXXXXXX.tmp` file behind.
///
/// The temporary name is random and the file is created with `O_CREAT | O_EXCL | O_NOFOLLOW`:
/// a file or symbolic link planted under any name is never opened, let alone written through
/// (another name is drawn instead), and the rename replaces a link at the target itself, not
/// what it points to.
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
        (temporaryPath, descriptor) = try Self.createTemporary(directory: directory, name: name, for: path)
        buffer.reserveCapacity(Self.flushSize)
    }

    /// Creates a new hidden file under a random name beside the target, never an existing one.
    private static func createTemporary(directory: String, name: String, for path: String) throws(ReportError) -> (String, Int32) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let random: UInt64 = generator.next()
            let suffix = String(random & 0xFFFF_FFFF_FFFF, radix: 36)
            let candidate = "\(directory)/.\(name).\(suffix).tmp"
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (candidate, descriptor) }
            guard errno == EEXIST else { break }
        }
        throw .file(path: path, reason: ReportError.systemReason())
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
