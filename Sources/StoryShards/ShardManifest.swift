import Foundation

/// `shard.json`, written with a shard's reports: which plan and settings made it, the range it
/// owns, and the histogram of the scored pairs it owns (for the merged `calibration.csv`, so
/// that a pair scored by two shards in their overlap is counted once).
public struct ShardManifest: Sendable, Codable, Hashable {
    /// Scored pairs whose first article (the smaller id) the shard owns, in one band of 0.05.
    public struct Band: Sendable, Codable, Hashable {
        public var lowMicros: Int
        public var pairs: Int
        /// Of those, the pairs the shard put in one cluster.
        public var sameCluster: Int

        enum CodingKeys: String, CodingKey {
            case pairs
            case lowMicros = "low_micros"
            case sameCluster = "same_cluster"
        }
    }

    public var format = "storyclust-shard"
    public var version = 1
    /// SHA-256 of the plan file: shards of one run share it.
    public var planSHA256: String
    public var index: Int
    public var count: Int
    /// Own range `[from, to)`, epoch seconds.
    public var from: Int64
    public var to: Int64
    /// The settings that shape the stories (``Pipeline/stateParameters()``): shards of one run share them.
    public var settings: String
    /// Articles it owns (rows of its `articles.csv` in its own range, or undated).
    public var ownedArticles: Int
    public var ownedPairs: [Band]

    enum CodingKeys: String, CodingKey {
        case format, version, index, count, from, to, settings
        case planSHA256 = "plan_sha256"
        case ownedArticles = "owned_articles"
        case ownedPairs = "owned_pairs"
    }

    public static let fileName = "shard.json"

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// Reads `DIR/shard.json`.
    public static func load(directory: String) throws(ShardError) -> ShardManifest {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .shards("\(path): no such file; is \(directory) the reports of a shard (storyclust cluster --plan ... --shard I)?")
        }
        do {
            let manifest = try JSONDecoder().decode(ShardManifest.self, from: data)
            guard manifest.format == "storyclust-shard", manifest.version == 1 else {
                throw ShardError.shards("\(path): not a storyclust shard manifest of version 1")
            }
            return manifest
        } catch let error as ShardError {
            throw error
        } catch {
            throw .shards("\(path): not a storyclust shard manifest (\(error))")
        }
    }
}
