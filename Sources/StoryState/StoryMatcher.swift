/// What happened to a story in one update, as `changes.csv` lists it.
public struct StoryChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A story with none of the previous members: a new id.
        case born
        /// A story that kept its id and gained members (new articles, or those of a story merged into it).
        case grew
        /// A story whose members went into an older one (``StoryChange/other``): its id is retired.
        case mergedInto = "merged_into"
        /// A part of a story that split off (``StoryChange/other`` is the story it left): a new id.
        case splitFrom = "split_from"
        /// A story the window has passed: no article of the window can join it any more.
        case closed
    }

    public var story: Int64
    public var kind: Kind
    /// The story merged into or split from; `nil` for the other kinds.
    public var other: Int64?
    /// Members the story did not have before this update (every member for a new id).
    public var articlesAdded: Int
    /// Members after the update (0 for a story merged into another).
    public var size: Int

    public init(story: Int64, kind: Kind, other: Int64? = nil, articlesAdded: Int, size: Int) {
        self.story = story
        self.kind = kind
        self.other = other
        self.articlesAdded = articlesAdded
        self.size = size
    }
}

/// The rule that gives the clusters of a new clustering the ids of the stories they continue.
///
/// Pure: it sees only which story each article belonged to before and which articles each new
/// cluster holds, so that the daily update and the merge of sharded runs map clusters the same
/// way. The rule, by shared members:
///
/// - every previous story follows the new cluster that holds most of its articles (ties: the
///   cluster whose smallest article id is smallest), its *successor*;
/// - a cluster that is the successor of one or more stories keeps the oldest one's id (the
///   smallest: ids are handed out in birth order); the others are *merged into* it;
/// - a cluster that is nobody's successor gets a new id: *split from* the story it shares most
///   articles with (ties: the older story), or *born* when it shares none;
/// - new ids count up from ``nextID`` in the order the clusters are given, and are never reused.
///
/// Readers have seen the ids, so a story keeps its id as long as most of its articles stay
/// together; only merges and splits retire or hand out ids.
public struct StoryMatcher: Sendable {
    /// The result of matching one clustering.
    public struct Outcome: Sendable, Hashable {
        /// The story id of each cluster, in the order given.
        public var ids: [Int64]
        /// Born, grew, merged_into and split_from records, ordered by story id.
        public var changes: [StoryChange]
        /// The first id not handed out yet.
        public var nextID: Int64
    }

    /// The story each previously clustered article belonged to, by article id.
    public var previous: [String: Int64]
    /// Members of previous stories that are not in the clustering (outside the window), by
    /// story: they stay with their story and count in its ``StoryChange/size``.
    public var outside: [Int64: Int]
    /// The first id never handed out.
    public var nextID: Int64

    public init(previous: [String: Int64], outside: [Int64: Int] = [:], nextID: Int64) {
        precondition(previous.values.allSatisfy { $0 < nextID } && outside.keys.allSatisfy { $0 < nextID },
                     "every previous story id is below nextID")
        self.previous = previous
        self.outside = outside
        self.nextID = nextID
    }

    /// Maps `clusters` (each a list of article ids; every article in at most one) to story ids.
    public func match(_ clusters: [[String]]) -> Outcome {
        // Shared members of each cluster with each previous story, and each cluster's tie key.
        var overlap: [[Int64: Int]] = []
        overlap.reserveCapacity(clusters.count)
        let key = clusters.map { $0.min() ?? "" }
        for members in clusters {
            var counts: [Int64: Int] = [:]
            for article in members {
                if let story = previous[article] { counts[story, default: 0] += 1 }
            }
            overlap.append(counts)
        }

        // Each previous story's successor: most shared members, then the smallest key.
        var successor: [Int64: (cluster: Int, shared: Int)] = [:]
        for (cluster, counts) in overlap.enumerated() {
            for (story, shared) in counts {
                if let best = successor[story], best.shared > shared || (best.shared == shared && key[best.cluster] <= key[cluster]) {
                    continue
                }
                successor[story] = (cluster, shared)
            }
        }
        var claimants = [[Int64]](repeating: [], count: clusters.count)
        for (story, best) in successor { claimants[best.cluster].append(story) }

        var next = nextID
        var ids: [Int64] = []
        ids.reserveCapacity(clusters.count)
        var changes: [StoryChange] = []
        for (cluster, members) in clusters.enumerated() {
            let stories = claimants[cluster].sorted()
            if let survivor = stories.first {
                ids.append(survivor)
                let size = members.count + stories.reduce(0) { $0 + (outside[$1] ?? 0) }
                let added = members.count - (overlap[cluster][survivor] ?? 0)
                if added > 0 {
                    changes.append(StoryChange(story: survivor, kind: .grew, articlesAdded: added, size: size))
                }
                for merged in stories.dropFirst() {
                    changes.append(StoryChange(story: merged, kind: .mergedInto, other: survivor, articlesAdded: 0, size: 0))
                }
            } else {
                let id = next
                next += 1
                ids.append(id)
                // The story it shares most with; ties to the older (smaller) id.
                let parent = overlap[cluster].max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
                changes.append(StoryChange(
                    story: id, kind: parent == nil ? .born : .splitFrom, other: parent,
                    articlesAdded: members.count, size: members.count))
            }
        }
        changes.sort { $0.story < $1.story }
        return Outcome(ids: ids, changes: changes, nextID: next)
    }
}

extension StoryChange {
    public static let csvColumns = ["story_id", "change", "other_story_id", "articles_added", "size"]

    /// `changes.csv`: one row per change, by story id; ids and counts only, so nothing needs quoting.
    public static func csv(_ changes: [StoryChange]) -> [UInt8] {
        var text = csvColumns.joined(separator: ",") + "\n"
        for change in changes {
            text += [
                StateStore.storyName(change.story), change.kind.rawValue, change.other.map(StateStore.storyName) ?? "",
                "\(change.articlesAdded)", "\(change.size)",
            ].joined(separator: ",") + "\n"
        }
        return Array(text.utf8)
    }
}
