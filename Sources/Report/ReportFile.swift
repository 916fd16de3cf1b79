import Cluster

/// One report file as independent chunks of bytes, each built by `build(chunk)`.
struct ReportFile: Sendable {
    let name: String
    /// At least 1: a file with no rows still has its header.
    let chunkCount: Int
    let build: @Sendable (Int) throws(ReportError) -> [UInt8]

    /// Boundaries of runs of whole clusters with about `rows` records each: run `k` is clusters
    /// `runs[k] ..< runs[k + 1]`. There is always at least one run, empty when there are no
    /// clusters.
    static func clusterRuns(_ clusters: [StoryCluster], rows: Int) -> [Int] {
        var runs = [0]
        var inRun = 0
        for (index, cluster) in clusters.enumerated() {
            inRun += cluster.members.count
            if inRun >= rows && index + 1 < clusters.count {
                runs.append(index + 1)
                inRun = 0
            }
        }
        runs.append(clusters.count)
        return runs
    }
}

extension ReportBuffer {
    /// The header row of a CSV file.
    mutating func appendCSVHeader(_ columns: [String]) {
        for (index, column) in columns.enumerated() {
            if index > 0 { append(byte: 0x2C) }
            appendCSVField(column)
        }
        appendCRLF()
    }

    /// `strings.joined(separator: "; ")`.
    mutating func appendJoined(_ strings: [String]) {
        for (index, string) in strings.enumerated() {
            if index > 0 { append("; ") }
            append(string)
        }
    }
}
