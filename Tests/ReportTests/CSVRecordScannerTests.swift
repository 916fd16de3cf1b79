import Foundation
import Testing
@testable import Report

@Suite struct CSVRecordScannerTests {
    @Test func readsQuotedFieldsLineBreaksAndOnlyTheNamedColumns() throws {
        let path = NSTemporaryDirectory() + "scanner-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = "id_a,id_b,cosine,relation\r\n"
            + "a,b,0.5,same_story\r\n"
            + "\"x,y\",\"say \"\"hi\"\"\",0.25,different_story\r\n"
            + "\"two\nlines\",c,1.000000,exact_text\r\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let scanner = try CSVRecordScanner(path: path, columns: ["relation", "id_a", "id_b"])
        var rows: [[String]] = []
        while let row = try scanner.next() { rows.append(row) }
        #expect(rows == [
            ["same_story", "a", "b"],
            ["different_story", "x,y", "say \"hi\""],
            ["exact_text", "two\nlines", "c"],
        ])
    }

    @Test func aShortRowOrAMissingColumnNamesTheFile() throws {
        let path = NSTemporaryDirectory() + "scanner-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "id,cluster_id\r\na\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ReportError.self) { try CSVRecordScanner(path: path, columns: ["relation"]) }
        let scanner = try CSVRecordScanner(path: path, columns: ["id"])
        do {
            _ = try scanner.next()
            Issue.record("a short row was read")
        } catch {
            #expect("\(error)".contains(path) && "\(error)".contains("record 1"))
        }
    }
}
