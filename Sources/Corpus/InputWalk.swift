import Foundation

/// What a path is when it is not a regular file or a directory.
enum FileKind {
    /// A name for the kind of file `mode` describes; `nil` for a regular file or a directory.
    static func notRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "a special file"
        }
    }
}

extension CorpusReader {
    /// Whether `reject` is a directory skipped because it holds StoryClust's own reports.
    public static func isOwnOutput(_ reject: Reject) -> Bool {
        reject.severity == .skipped && reject.reason.hasPrefix(InputWalk.ownOutput)
    }
}

/// Expands command-line paths into the files to read.
///
/// Only regular files are kept: a FIFO would block the read forever and a device or socket is
/// no input, so each is skipped with what it is (checked with stat(2), which opens nothing).
/// StoryClust's own reports are never read back: the directories in `excluded` (the `--out`
/// directory) and any directory holding a StoryClust `summary.json` are skipped.
struct InputWalk {
    static let ownOutput = "StoryClust's own reports"

    private(set) var files: [(path: String, real: String)] = []
    private(set) var skipped: [Reject] = []
    private var visitedDirectories = Set<String>()
    private let excluded: Set<String>
    private var reportDirectories: [String: Bool] = [:]
    private var skippedSpecialFiles = Set<String>()
    private let fileManager = FileManager.default

    init(excluding excluded: [String] = []) {
        self.excluded = Set(excluded.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().standardizedFileURL.path })
    }

    mutating func add(_ path: String) throws(CorpusError) {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .missingInput(path: path)
        }
        if isDirectory.boolValue {
            walk(path)
        } else if let reason = ownOutputReason((path as NSString).deletingLastPathComponent) {
            skip(path, reason)
        } else {
            addFile(path)
        }
    }

    private mutating func walk(_ directory: String) {
        // A symbolic link back to an ancestor would otherwise be walked forever.
        guard visitedDirectories.insert(realPath(directory)).inserted else { return }
        if let reason = ownOutputReason(directory) {
            skip(directory, reason)
            return
        }
        let entries: [String]
        do {
            entries = try fileManager.contentsOfDirectory(atPath: directory)
        } catch {
            skipped.append(Reject(source: SourceLocation(file: directory, record: 0), severity: .rejected,
                                  reason: "cannot list the directory: \(error.localizedDescription)"))
            return
        }
        for name in entries.sorted() where !name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                skip(path, "broken symbolic link, skipped")
                continue
            }
            if isDirectory.boolValue { walk(path) } else { addFile(path) }
        }
    }

    /// Keeps `path` when it is a regular file, else skips it saying what it is.
    private mutating func addFile(_ path: String) {
        var status = stat()
        if stat(path, &status) == 0, let kind = FileKind.notRegular(status.st_mode) {
            // Reached twice (by name and in its directory), it is still one skipped file.
            if skippedSpecialFiles.insert(realPath(path)).inserted { skip(path, "\(kind), not a regular file; skipped") }
            return
        }
        files.append((path, realPath(path)))
    }

    private mutating func skip(_ path: String, _ reason: String) {
        skipped.append(Reject(source: SourceLocation(file: path, record: 0), severity: .skipped, reason: reason))
    }

    /// Why `directory` holds StoryClust's own output, `nil` when it does not.
    private mutating func ownOutputReason(_ directory: String) -> String? {
        let real = URL(fileURLWithPath: directory.isEmpty ? "." : directory).resolvingSymlinksInPath().standardizedFileURL.path
        if excluded.contains(real) { return "\(Self.ownOutput) (the --out directory), skipped: reports are never read back as input" }
        if let known = reportDirectories[real] {
            return known ? "\(Self.ownOutput) (it holds a StoryClust summary.json), skipped: reports are never read back as input" : nil
        }
        let isReport = Self.holdsStoryClustSummary(real)
        reportDirectories[real] = isReport
        return isReport ? "\(Self.ownOutput) (it holds a StoryClust summary.json), skipped: reports are never read back as input" : nil
    }

    /// Whether `directory/summary.json` is a regular file written by StoryClust: its `tool.name`
    /// says so. Anything large or not regular is not read.
    private static func holdsStoryClustSummary(_ directory: String) -> Bool {
        let path = directory + "/summary.json"
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size < 16 << 20,
              let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let tool = json["tool"] as? [String: Any] else { return false }
        return tool["name"] as? String == "storyclust"
    }

    /// Files sorted by path, each real file once (the first path reaching it wins).
    func orderedFiles() -> [String] {
        var seen = Set<String>()
        return files.sorted { $0.path < $1.path }.compactMap { seen.insert($0.real).inserted ? $0.path : nil }
    }

    private func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}

extension CorpusReader {
    /// The files `read(paths:)` would read, in its order, and the paths it would skip while
    /// walking (special files, StoryClust's own reports): for a planner that reads the files
    /// one by one. Standard input is not a file and is not listed.
    ///
    /// - Throws: ``CorpusError/missingInput(path:)`` for a path that does not exist.
    public func inputFiles(paths: [String]) throws(CorpusError) -> (files: [String], skipped: [Reject]) {
        var walk = InputWalk(excluding: options.excludedDirectories)
        for path in paths where path != Self.standardInputPath { try walk.add(path) }
        return (walk.orderedFiles().sorted(), walk.skipped)
    }
}
