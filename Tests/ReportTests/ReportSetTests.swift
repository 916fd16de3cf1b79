import Cluster
import Corpus
import Foundation
import Glibc
import Testing
import Vectors
@testable import Report

/// The reports are one set: a reader finds the previous run's or this run's, never a mix, and
/// nothing outside the output directory is ever written through.
@Suite struct ReportSetTests {
    private static let names = ["articles.csv", "calibration.csv", "clusters.csv", "clusters.json", "pairs.csv", "rejects.csv", "summary.json"]

    /// A fresh parent directory, so that the siblings of `out` can be listed.
    private func parent() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("storyclust-set-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func write(_ result: RunResult, to out: URL, configure: (inout ReportWriter) -> Void = { _ in }) throws {
        var writer = ReportWriter(directory: out.path)
        configure(&writer)
        try writer.write(result) { RunFacts(stageSeconds: [("read", 0.1)], threads: 1, blas: BLAS.info) }
    }

    private func contents(_ out: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            files[name] = try Data(contentsOf: out.appendingPathComponent(name))
        }
        return files
    }

    private func entries(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    @Test(arguments: ["articles.csv", "pairs.csv", "calibration.csv", "summary.json"])
    func aFailureMidWriteLeavesEveryReportOfThePreviousRun(failingAfter name: String) throws {
        let parent = try parent(), out = parent.appendingPathComponent("reports")
        try write(CalibrationTests.run(CalibrationTests.articles(count: 30)), to: out)
        let before = try contents(out)
        #expect(before.keys.sorted() == Self.names)

        // Another run, with other reports, fails (as a full disk would) after writing `name`.
        #expect(throws: ReportError.self) {
            try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: out) { $0.failAfter = name }
        }
        #expect(try contents(out) == before, "the previous set is whole")
        #expect(try entries(parent) == ["reports"], "the staging directory is removed")
    }

    @Test func aNewSetReplacesADirectoryOfAnOlderVersionAndKeepsTheUsersFiles() throws {
        let parent = try parent(), out = parent.appendingPathComponent("reports")
        // As an older version left it: the reports, a temporary file of a killed run, and a note of the user's.
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("old\n".utf8).write(to: out.appendingPathComponent("summary.json"))
        try Data("half".utf8).write(to: out.appendingPathComponent(".articles.csv.4242.tmp"))
        try Data("my notes\n".utf8).write(to: out.appendingPathComponent("notes.txt"))

        try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: out)
        #expect(try entries(out) == (Self.names + ["notes.txt"]).sorted())
        #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "my notes\n")
        #expect(try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8).contains("\"counts\""))
        try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: out)
        #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "my notes\n")
        #expect(try entries(parent) == ["reports"])
    }

    @Test func withoutAnAtomicExchangeTheOldSetMovesAsideAndIsRemoved() throws {
        let parent = try parent(), out = parent.appendingPathComponent("reports")
        try write(CalibrationTests.run(CalibrationTests.articles(count: 30)), to: out) { $0.exchange = false }
        try Data("my notes\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
        try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: out) { $0.exchange = false }
        let reference = try self.parent().appendingPathComponent("reports")
        try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: reference)
        var expected = try contents(reference)
        expected["notes.txt"] = Data("my notes\n".utf8)
        #expect(try contents(out) == expected)
        #expect(try entries(parent) == ["reports"])
    }

    @Test func aDirectoryInsideTheReportsIsRefusedBeforeAnythingIsReplaced() throws {
        let parent = try parent(), out = parent.appendingPathComponent("reports")
        try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: out)
        let before = try contents(out)
        try FileManager.default.createDirectory(at: out.appendingPathComponent("mine"), withIntermediateDirectories: false)
        do {
            try write(CalibrationTests.run(CalibrationTests.articles(count: 30)), to: out)
            Issue.record("a directory holding a subdirectory was replaced")
        } catch {
            #expect("\(error)".contains("'mine'"), "\(error)")
        }
        #expect(try entries(out) == (Self.names + ["mine"]).sorted())
        for (name, data) in before { #expect(try Data(contentsOf: out.appendingPathComponent(name)) == data) }
    }

    @Test func theStagingDirectoryOfAKilledRunIsRemovedByTheNext() throws {
        let parent = try parent(), out = parent.appendingPathComponent("reports")
        let leftover = parent.appendingPathComponent(".reports.storyclust-Ab12Cd")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: false)
        try Data("partial".utf8).write(to: leftover.appendingPathComponent("articles.csv"))
        try Data("partial".utf8).write(to: leftover.appendingPathComponent(".pairs.csv.k3j2h1.tmp"))

        try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: out)
        #expect(try entries(parent) == ["reports"])
        #expect(try entries(out) == Self.names)
    }

    @Test func aSymbolicLinkPlantedBesideTheReportsIsNeverWrittenOrEmptiedThrough() throws {
        let parent = try parent(), out = parent.appendingPathComponent("reports")
        let outside = try self.parent()
        let victim = outside.appendingPathComponent("victim.txt")
        try Data("precious\n".utf8).write(to: victim)
        try Data("precious\n".utf8).write(to: outside.appendingPathComponent("articles.csv"))
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // The names an earlier version would have opened, and a fake leftover pointing outside.
        for name in Self.names {
            try FileManager.default.createSymbolicLink(
                atPath: out.appendingPathComponent(".\(name).\(getpid()).tmp").path, withDestinationPath: victim.path)
        }
        try FileManager.default.createSymbolicLink(
            atPath: parent.appendingPathComponent(".reports.storyclust-evil00").path, withDestinationPath: outside.path)

        try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: out)
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
        #expect(try String(contentsOf: outside.appendingPathComponent("articles.csv"), encoding: .utf8) == "precious\n")
        #expect(try entries(outside) == ["articles.csv", "victim.txt"])
        #expect(try entries(out) == Self.names)
    }

    @Test func anAtomicFileNeverOpensAPlantedLink() throws {
        let out = try parent(), outside = try parent()
        let victim = outside.appendingPathComponent("victim.txt")
        try Data("precious\n".utf8).write(to: victim)
        let target = out.appendingPathComponent("tuning.csv")
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent(".tuning.csv.\(getpid()).tmp").path, withDestinationPath: victim.path)
        let file = try AtomicFile(path: target.path)
        try file.write("new\n")
        try file.commit()
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
        #expect(try String(contentsOf: target, encoding: .utf8) == "new\n")
        var info = stat()
        #expect(lstat(target.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
    }

    @Test func anOutputDirectoryThatIsASymbolicLinkIsReplacedWhereItPoints() throws {
        let parent = try parent(), real = parent.appendingPathComponent("real"), link = parent.appendingPathComponent("link")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
        try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: link)
        try write(CalibrationTests.run(CalibrationTests.articles(count: 12)), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
        #expect(try entries(real) == Self.names)
        #expect(try entries(parent) == ["link", "real"])
    }
}
