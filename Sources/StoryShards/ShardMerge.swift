import Corpus
import Foundation
public import Report
public import StoryPipeline
import StoryState

/// Joins the reports of the shards of one plan into one set of stories, from the reports
/// alone: its memory is that of the shards' stories, not of the input's vectors.
///
/// The rule, shard by shard in index order (never in the order the directories are given):
/// - each shard's clusters are matched to the stories of the shard before by the articles they
///   share in the overlap, with the daily runs' rule (``StoryMatcher``): a cluster continues the
///   story most of whose shared articles it holds, a cluster that continues several joins them
///   (the older id survives), a cluster that continues none starts a story;
/// - every article is taken from the one shard that owns it (its own time range, or for an
///   undated article the hash of its id), in the cluster that shard put it in: the shard that
///   saw the window on both sides of it;
/// - a story's canonical article is its earliest (undated last; then its shard's canonical,
///   then the smaller id) and its id is `c` + 12 hex digits of that article's id's SHA-256, as
///   in a single run.
public struct ShardMerge: Sendable {
    public let directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// An owned article and the shard cluster it came from.
    private struct Owned {
        var article: ReportedArticle
        var shard: Int32
        var piece: Int32
        var label: Int64
        var wasCanonical: Bool
    }

    /// A shard cluster's story-level facts.
    private struct Piece {
        var topTerms: [String]
        var minSimilarity: Double?
        var meanSimilarity: Double?
        var owned = 0
    }

    /// The shards' manifests and summaries, in index order, after checking that they make one run.
    public func shards() throws -> [(directory: String, manifest: ShardManifest, summary: ReportReader.RecordedRun)] {
        guard !directories.isEmpty else { throw ShardError.shards("no shard directories given") }
        var found: [(directory: String, manifest: ShardManifest, summary: ReportReader.RecordedRun)] = []
        for directory in directories {
            let manifest = try ShardManifest.load(directory: directory)
            found.append((directory, manifest, try ReportReader(directory: directory).summary()))
        }
        found.sort { $0.manifest.index != $1.manifest.index ? $0.manifest.index < $1.manifest.index : $0.directory < $1.directory }
        let first = found[0]
        for shard in found.dropFirst() {
            if shard.manifest.planSHA256 != first.manifest.planSHA256 || shard.manifest.count != first.manifest.count {
                throw ShardError.shards("""
                    \(shard.directory) and \(first.directory) come from different plans (plan SHA-256 \
                    \(shard.manifest.planSHA256.prefix(12)) vs \(first.manifest.planSHA256.prefix(12))): \
                    merge the shards of one plan
                    """)
            }
            if shard.manifest.settings != first.manifest.settings {
                throw ShardError.shards("""
                    \(shard.directory) was clustered with other settings than \(first.directory) \
                    (\(Pipeline.differences(first.manifest.settings, shard.manifest.settings).joined(separator: "; "))): \
                    cluster every shard with the same options
                    """)
            }
        }
        for (position, shard) in found.enumerated() where position > 0 && found[position - 1].manifest.index == shard.manifest.index {
            throw ShardError.shards("shard \(shard.manifest.index) is given twice: \(found[position - 1].directory) and \(shard.directory)")
        }
        let present = Set(found.map(\.manifest.index))
        let missing = (0..<first.manifest.count).filter { !present.contains($0) }
        guard missing.isEmpty else {
            throw ShardError.shards("""
                shard\(missing.count > 1 ? "s" : "") \(missing.map(String.init).joined(separator: ", ")) of \(first.manifest.count) \
                missing: give the directory of every shard of the plan (each holds a shard.json)
                """)
        }
        return found
    }

    /// Reads the shards and decides the stories; the pairs are streamed when the report is written.
    ///
    /// - Parameter progress: one line per step.
    public func assemble(progress: ProgressLines) throws -> AssembledReport {
        let shards = try shards()
        var owned: [Owned] = []
        var pieces: [[Piece]] = []
        var parent: [Int64: Int64] = [:]
        func find(_ story: Int64) -> Int64 {
            var root = story
            while let up = parent[root] { root = up }
            var node = story
            while let up = parent[node], up != root {
                parent[node] = root
                node = up
            }
            return root
        }
        var previous: [String: Int64] = [:]
        var nextID: Int64 = 1
        for (position, shard) in shards.enumerated() {
            progress.stage("merge: reading shard \(shard.manifest.index) (\(shard.directory))")
            let reader = ReportReader(directory: shard.directory)
            let extras = try reader.articleExtras()
            var clusters: [[String]] = []
            var shardPieces: [Piece] = []
            var local: [Owned] = []
            let from = shard.manifest.from, to = shard.manifest.to
            try reader.forEachStory { story throws(ReportError) in
                let index = Int32(clusters.count)
                clusters.append(story.members.map(\.id))
                var piece = Piece(topTerms: story.topTerms, minSimilarity: story.minSimilarity, meanSimilarity: story.meanSimilarity)
                for (rank, member) in story.members.enumerated() {
                    if let time = member.published, time < from || time >= to { continue }
                    var article = member
                    if let extra = extras[member.id] {
                        article.canonicalURL = extra.canonicalURL
                        article.listedBy = extra.listedBy
                        article.language = extra.language
                    }
                    local.append(Owned(article: article, shard: Int32(position), piece: index, label: 0, wasCanonical: rank == 0))
                    piece.owned += 1
                }
                shardPieces.append(piece)
            }
            let known = previous.mapValues(find)
            let matched = StoryMatcher(previous: known, nextID: nextID).match(clusters)
            nextID = matched.nextID
            for change in matched.changes where change.kind == .mergedInto {
                if let survivor = change.other { parent[change.story] = survivor }
            }
            previous = [:]
            for (k, members) in clusters.enumerated() {
                for id in members { previous[id] = matched.ids[k] }
            }
            for k in local.indices { local[k].label = matched.ids[Int(local[k].piece)] }
            owned += local
            pieces.append(shardPieces)
        }
        previous = [:]
        let (renames, renamed) = Self.renameRepeatedIDs(&owned)

        // Stories: the owned articles grouped by the story their cluster continues.
        progress.stage("merge: \(owned.count) articles owned by \(shards.count) shards")
        var groups: [Int64: [Int]] = [:]
        var order: [Int64] = []
        for (k, article) in owned.enumerated() {
            let story = find(article.label)
            if groups[story] == nil { order.append(story) }
            groups[story, default: []].append(k)
        }
        var stories: [ReportedStory] = []
        stories.reserveCapacity(order.count)
        for label in order {
            stories.append(Self.story(groups[label]!.map { owned[$0] }, pieces: pieces))
        }
        stories.sort(by: Self.precedes)

        // Where each article went, for the pairs, the samples and the warnings.
        var place: [String: (shard: Int32, story: Int32)] = [:]
        place.reserveCapacity(owned.count)
        for (index, story) in stories.enumerated() {
            for member in story.members { place[member.id] = (0, Int32(index)) }
        }
        for article in owned { place[article.article.id]?.shard = article.shard }
        owned = []

        let calibration = try Self.calibration(shards, place: place)
        let rejects = try Self.rejects(shards, place: place, adding: renamed)
        let pairs = try PairMerge(directories: shards.map(\.directory), place: place, renames: renames)

        var parameters = shards[0].summary.parameters
        parameters.density = nil
        parameters.linkageThreshold = nil
        parameters.linkagePriorPairs = nil
        var inputs: [String: InputFile] = [:]
        for shard in shards {
            for input in shard.summary.inputs where inputs[input.path] == nil {
                inputs[input.path] = InputFile(path: input.path, format: input.format ?? "", bytes: input.bytes ?? 0, sha256: input.sha256, records: input.records)
            }
        }
        let parts = shards.map { shard in
            ShardRecord(
                index: shard.manifest.index, from: Timestamp.iso8601(shard.manifest.from), to: Timestamp.iso8601(shard.manifest.to),
                articles: shard.manifest.ownedArticles, density: shard.summary.parameters.density,
                linkageThreshold: shard.summary.parameters.linkageThreshold)
        }
        return AssembledReport(
            stories: stories, nextPair: { () throws(ReportError) -> AssembledReport.Pair? in try pairs.next() },
            calibration: calibration, rejects: rejects, parameters: parameters,
            inputs: inputs.values.sorted { $0.path < $1.path }, parts: parts)
    }

    /// Gives an id that two shards own (one record id on two records further apart than any
    /// shard reads) `~2`, `~3`, ... on the later shard's article, as one run renames a repeated
    /// id, with the same warning.
    ///
    /// - Returns: per shard, the renamed ids; and the warnings.
    private static func renameRepeatedIDs(_ owned: inout [Owned]) -> (renames: [Int32: [String: String]], warnings: [ReportedReject]) {
        var taken = Set<String>()
        taken.reserveCapacity(owned.count)
        var repeated: [Int] = []
        for k in owned.indices where !taken.insert(owned[k].article.id).inserted { repeated.append(k) }
        var renames: [Int32: [String: String]] = [:]
        var warnings: [ReportedReject] = []
        for k in repeated {
            let base = owned[k].article.id
            var suffix = 2
            while taken.contains("\(base)~\(suffix)") { suffix += 1 }
            let id = "\(base)~\(suffix)"
            taken.insert(id)
            renames[owned[k].shard, default: [:]][base] = id
            let source = owned[k].article.source
            let colon = source.lastIndex(of: ":")
            let line = colon.flatMap { Int(source[source.index(after: $0)...]) }
            warnings.append(ReportedReject(
                file: line != nil ? String(source[..<colon!]) : source, line: line, record: 0, severity: Reject.Severity.warning.rawValue,
                id: id, reason: "duplicate id '\(base)' (a record in another shard has it); renamed to '\(id)'"))
        }
        let renamedRows = Set(repeated)
        for k in owned.indices {
            guard let map = renames[owned[k].shard] else { continue }
            if let id = map[owned[k].article.id], renamedRows.contains(k) { owned[k].article.id = id }
            if let original = owned[k].article.duplicateOf, let id = map[original] { owned[k].article.duplicateOf = id }
        }
        return (renames, warnings)
    }

    /// One story from its owned articles, in the order the shards list them.
    private static func story(_ members: [Owned], pieces: [[Piece]]) -> ReportedStory {
        func key(_ m: Owned) -> (Int, Int64, Int) { (m.article.published == nil ? 1 : 0, m.article.published ?? 0, m.wasCanonical ? 0 : 1) }
        var canonical = 0
        for k in members.indices.dropFirst() {
            let a = key(members[k]), b = key(members[canonical])
            if a < b || (a == b && members[k].article.id.utf8.lexicographicallyPrecedes(members[canonical].article.id.utf8)) { canonical = k }
        }
        var ordered = [members[canonical]]
        ordered += members.indices.filter { $0 != canonical }.map { members[$0] }
        let ids = Set(ordered.map(\.article.id))
        let single = ordered.count == 1
        var articles: [ReportedArticle] = []
        articles.reserveCapacity(ordered.count)
        for (position, member) in ordered.enumerated() {
            var article = member.article
            if position == 0 {
                article.relation = single ? "singleton" : "canonical"
                article.duplicateOf = nil
                article.similarityToOriginal = nil
                article.similarity = 1
            } else if let original = article.duplicateOf, !ids.contains(original) {
                // Its original went to another story: here it is an original of its own.
                article.duplicateOf = nil
                article.similarityToOriginal = nil
                article.relation = "same_story"
            } else if article.relation == "canonical" || article.relation == "singleton" {
                article.relation = "same_story"
            }
            articles.append(article)
        }
        // The story-level facts of the piece that holds most of it (ties: the first).
        var used: [(shard: Int32, piece: Int32)] = []
        for member in ordered where !used.contains(where: { $0 == (member.shard, member.piece) }) { used.append((member.shard, member.piece)) }
        let main = used.max { a, b in pieces[Int(a.shard)][Int(a.piece)].owned < pieces[Int(b.shard)][Int(b.piece)].owned }!
        let largest = pieces[Int(main.shard)][Int(main.piece)]
        let minimum = single ? nil : used.compactMap { pieces[Int($0.shard)][Int($0.piece)].minSimilarity }.min()
        return ReportedStory(
            id: StableHash.id("c", articles[0].id, length: 12), members: articles, topTerms: largest.topTerms,
            minSimilarity: minimum, meanSimilarity: single ? nil : largest.meanSimilarity)
    }

    /// Largest first, then the earliest, then by id: the order of a single run.
    private static func precedes(_ x: ReportedStory, _ y: ReportedStory) -> Bool {
        if x.members.count != y.members.count { return x.members.count > y.members.count }
        let p = x.members.compactMap(\.published).min(), q = y.members.compactMap(\.published).min()
        switch (p, q) {
        case let (p?, q?) where p != q: return p < q
        case (.some, nil): return true
        case (nil, .some): return false
        default: return x.id < y.id
        }
    }
}
