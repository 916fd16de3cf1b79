import Foundation
import Glibc

/// The reports of one run, built in a hidden sibling of the output directory and swapped in
/// as a whole, so that a reader finds either every report of the last run or every report of
/// this one, never a mix.
///
/// The staging directory is made by `mkdtemp` (a random name, mode 0700) beside the output
/// directory, so on the same file system: `.NAME.storyclust-XXXXXX` for an output directory
/// `NAME`. Once every file in it is synced, ``publish()`` syncs the directory, exchanges it
/// with the output directory in one step (`renameat2` with `RENAME_EXCHANGE`), syncs the
/// parent and removes the previous set. The output directory stays a real directory, so a
/// directory written by an earlier version is replaced like any other.
///
/// Files a user put in the output directory are carried over as hard links (the same file,
/// not a copy); a subdirectory cannot be, so ``checkTarget(_:)`` refuses to replace a
/// directory that holds one. A staging directory left by a killed run is removed by the next
/// run to the same output directory; each run holds an `flock` on its own, so two runs at once
/// never remove each other's.
final class ReportSet {
    /// The output directory, symbolic links resolved.
    let target: String
    /// The staging directory the reports are written into.
    let path: String
    private let parent: String
    private var lock: Int32
    private var published = false

    /// The report names StoryClust writes into a set; anything else in one is the user's.
    static let names: Set<String> = [
        "articles.csv", "clusters.csv", "pairs.csv", "calibration.csv", "rejects.csv", "clusters.json", "summary.json",
        "publishers.csv", "report.html", "shard.json",
    ]

    /// Makes a fresh staging directory for `directory`, after removing any a killed run left.
    init(for directory: String) throws(ReportError) {
        let (parent, base) = try Self.resolve(directory)
        target = Self.join(parent, base)
        self.parent = parent
        try Self.checkTarget(target)
        Self.removeLeftovers(parent: parent, base: base, target: target)
        var template = Array("\(parent == "/" ? "" : parent)/.\(base)\(Self.marker)XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .directory(path: directory, reason: "cannot create a staging directory in \(parent): \(ReportError.systemReason())")
        }
        path = String(cString: made)
        lock = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0 {
            let reason = ReportError.systemReason()
            if lock >= 0 { close(lock) }
            lock = -1
            rmdir(path)
            throw .directory(path: directory, reason: "cannot lock the staging directory \(path): \(reason)")
        }
    }

    deinit {
        if !published { Self.removeGeneration(path, keepingLinksOf: target) }
        if lock >= 0 { close(lock) }
    }

    static let marker = ".storyclust-"

    static func join(_ parent: String, _ name: String) -> String { parent == "/" ? "/" + name : parent + "/" + name }

    /// The parent (absolute, symbolic links resolved) and the last component of `directory`;
    /// an output directory that is a symbolic link is replaced where it points.
    static func resolve(_ directory: String) throws(ReportError) -> (parent: String, base: String) {
        var path = directory
        var info = stat()
        if lstat(path, &info) == 0, let real = realpath(path, nil) {
            path = String(cString: real)
            free(real)
        } else {
            path = URL(fileURLWithPath: path).standardizedFileURL.path
        }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        guard let slash = path.lastIndex(of: "/"), path != "/" else {
            throw .directory(path: directory, reason: "the root directory cannot hold the reports")
        }
        let base = String(path[path.index(after: slash)...])
        var parent = String(path[..<slash])
        if parent.isEmpty { parent = "/" }
        if let real = realpath(parent, nil) {
            parent = String(cString: real)
            free(real)
        }
        return (parent, base)
    }

    /// Throws when the output directory exists and cannot be replaced as a whole: it is not a
    /// directory, or it holds a subdirectory (which cannot be carried over by a hard link).
    static func checkTarget(_ target: String) throws(ReportError) {
        var info = stat()
        guard lstat(target, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .directory(path: target, reason: "it exists and is not a directory") }
        if let cwd = getcwd(nil, 0) {
            let current = String(cString: cwd)
            free(cwd)
            if current == target || current.hasPrefix(target + "/") {
                throw .directory(path: target, reason: "it is, or holds, the current directory, and the reports directory is replaced as a whole on every run; give the reports a directory of their own")
            }
        }
        for name in entries(target) {
            var entry = stat()
            if lstat(target + "/" + name, &entry) == 0, entry.st_mode & S_IFMT == S_IFDIR {
                throw .directory(path: target, reason: """
                    it holds the directory '\(name)', which StoryClust did not write: the reports directory \
                    is replaced as a whole on every run, and files in it are kept but directories cannot be; \
                    move '\(name)' elsewhere or choose another --out
                    """)
            }
        }
    }

    /// Carries the user's files over, syncs the set and swaps it in for the output directory.
    ///
    /// - Parameter exchange: `false` to move the old set aside instead, as on a file system
    ///   without `RENAME_EXCHANGE` (for tests).
    func publish(exchange: Bool = true) throws(ReportError) {
        precondition(!published, "a report set is published once")
        var old = stat()
        let replacing = lstat(target, &old) == 0
        if replacing {
            for name in Self.entries(target) where !Self.isOurs(name) {
                if link(target + "/" + name, path + "/" + name) != 0 && errno != EEXIST {
                    throw .file(path: target + "/" + name, reason: "cannot carry it over into the new reports: \(ReportError.systemReason())")
                }
            }
        }
        let mode = replacing ? old.st_mode & 0o7777 : Self.defaultMode()
        if fchmod(lock, mode) != 0 || fsync(lock) != 0 {
            throw .directory(path: path, reason: ReportError.systemReason())
        }
        if replacing {
            if !(exchange && Self.exchange(path, target)) {
                // No atomic exchange on this file system: the old set moves aside first, so a
                // reader finds all of it, then nothing, then all of the new one.
                let aside = path + "-old"
                guard rename(target, aside) == 0 else { throw .directory(path: target, reason: ReportError.systemReason()) }
                guard rename(path, target) == 0 else {
                    let reason = ReportError.systemReason()
                    rename(aside, target)
                    throw .directory(path: target, reason: reason)
                }
                rename(aside, path)
            }
        } else if rename(path, target) != 0 {
            throw .directory(path: target, reason: ReportError.systemReason())
        }
        published = true
        Self.syncDirectory(parent)
        // The staging name now holds the previous set.
        if replacing { Self.removeGeneration(path, keepingLinksOf: target) }
    }

    // MARK: - File system steps

    /// `renameat2(a, b, RENAME_EXCHANGE)`, looked up at run time: the Glibc module does not
    /// declare it. `false` when the system or the file system cannot exchange.
    private static func exchange(_ a: String, _ b: String) -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    }

    /// Whether `name` is a report or a temporary file of one (this version's or an older one's).
    static func isOurs(_ name: String) -> Bool {
        if names.contains(name) { return true }
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let inner = name.dropFirst()
        return names.contains { inner.hasPrefix($0 + ".") }
    }

    /// Removes every staging directory a killed run left beside the output directory, unless
    /// another run holds it.
    private static func removeLeftovers(parent: String, base: String, target: String) {
        let prefix = "." + base + marker
        for name in entries(parent) where name.hasPrefix(prefix) {
            let leftover = join(parent, name)
            let descriptor = open(leftover, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { continue }  // not a directory, or a symbolic link: not ours
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }  // a run at work
            removeGeneration(leftover, keepingLinksOf: target)
        }
    }

    /// Removes a set that is no longer the output directory: its reports and temporary files,
    /// and the user's files it holds as links of those in `target`. Anything else stays, with
    /// the directory.
    static func removeGeneration(_ directory: String, keepingLinksOf target: String) {
        for name in entries(directory) {
            let file = directory + "/" + name
            var info = stat(), kept = stat()
            guard lstat(file, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
            let linked = lstat(target + "/" + name, &kept) == 0 && kept.st_dev == info.st_dev && kept.st_ino == info.st_ino
            if isOurs(name) || linked { unlink(file) }
        }
        rmdir(directory)
    }

    /// The names in a directory, without following a symbolic link to one; none when it cannot be read.
    static func entries(_ directory: String) -> [String] {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0, let stream = fdopendir(descriptor) else {
            if descriptor >= 0 { close(descriptor) }
            return []
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// What `mkdir` would give a new directory: 0777 less the umask.
    private static func defaultMode() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return 0o777 & ~mask
    }
}
