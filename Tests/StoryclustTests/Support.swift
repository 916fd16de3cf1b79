import CSV
import Foundation
import Testing

/// Runs the built `storyclust` executable and reads what it wrote.
enum CLI {
    /// The `storyclust` binary beside the test bundle in the build products directory.
    static let binary: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("storyclust")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        // Fall back to the package's debug build.
        return repositoryRoot.appendingPathComponent(".build/debug/storyclust")
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `storyclust` with `arguments`; `stdin`, when given, is written to its standard input
    /// through a pipe (as `zcat dump.gz | storyclust cluster -` would) and then closed;
    /// `environment`, when given, replaces the inherited one.
    static func run(_ arguments: [String], in directory: URL? = nil, stdin: Data? = nil, environment: [String: String]? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = stdin.map { _ in Pipe() }
        if let input { process.standardInput = input }
        try process.run()
        if let input, let stdin {
            // Written beside the reads below, so a large input cannot fill both pipes and stall.
            let writer = input.fileHandleForWriting
            Thread.detachNewThread {
                try? writer.write(contentsOf: stdin)
                try? writer.close()
            }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh temporary directory for one test, inside this test process's own directory,
    /// which is removed when the process exits (a full run writes a few hundred megabytes).
    static func temporaryDirectory() throws -> URL {
        let url = e2eRoot.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A CSV report as rows keyed by column name, parsed by CSV.swift.
    static func table(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        let header = try #require(reader.headerRow)
        var rows: [[String: String]] = []
        while let row = reader.next() {
            rows.append(Dictionary(uniqueKeysWithValues: zip(header, row)))
        }
        return rows
    }
}

/// The directory that holds every ``CLI/temporaryDirectory()`` of this test process; removed at
/// exit (not after a crash, which leaves it to look at).
private let e2eRoot: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-e2e-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: e2eRoot) }
    return url
}()
