import Foundation
import Testing

@Suite(.serialized) struct HostileInputEndToEndTests {
    @Test func reportsWrittenInsideTheInputAreNeverReadBack() throws {
        let input = try CLI.temporaryDirectory()
        let seeds = CLI.repositoryRoot.appendingPathComponent("data/seeds")
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds.path) {
            try FileManager.default.copyItem(at: seeds.appendingPathComponent(name), to: input.appendingPathComponent(name))
        }
        var counts: [Int] = []
        // Twice into the same --out, then into a second one: the first is now known by its summary.json.
        for out in ["reports", "reports", "again"] {
            let outcome = try CLI.run(["cluster", input.path, "--out", input.appendingPathComponent(out).path, "--quiet"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            counts.append(try CLI.table(input.appendingPathComponent("\(out)/articles.csv")).count)
            if out == "again" {
                #expect(outcome.stderr.contains("reports: StoryClust's own reports (it holds a StoryClust summary.json)"), "\(outcome.stderr)")
            } else if counts.count > 1 {
                #expect(outcome.stderr.contains("reports: StoryClust's own reports (the --out directory)"), "\(outcome.stderr)")
            }
        }
        #expect(counts == [8, 8, 8])
    }

    @Test func semicolonSeparatedFilesAreReadAndABadDelimiterIsAUsageError() throws {
        let input = try CLI.temporaryDirectory(), out = try CLI.temporaryDirectory()
        try "id;title;body\ns1;Storm hits coast;\"A storm, strong; it hit the coast.\"\ns2;Budget vote;Parliament delayed it.\n"
            .write(to: input.appendingPathComponent("export.csv"), atomically: true, encoding: .utf8)
        for extra in [[], ["--delimiter", "semicolon"]] {
            let outcome = try CLI.run(["cluster", input.path, "--out", out.path, "--quiet"] + extra)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let rows = try CLI.table(out.appendingPathComponent("articles.csv"))
            #expect(rows.compactMap { $0["title"] }.sorted() == ["Budget vote", "Storm hits coast"])
        }
        let bad = try CLI.run(["cluster", input.path, "--out", out.path, "--delimiter", "colon"])
        #expect(bad.status == 64, "\(bad.stderr)")
        #expect(bad.stderr.contains("--delimiter takes comma, semicolon, tab or pipe"), "\(bad.stderr)")
    }
}
