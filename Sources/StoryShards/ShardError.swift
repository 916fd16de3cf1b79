/// Why a plan, a shard run or a merge cannot go on; each names the file at fault and what to do.
public enum ShardError: Error, Sendable, CustomStringConvertible {
    /// The plan file cannot be read or is not a plan.
    case plan(path: String, reason: String)
    /// The shard index is outside the plan.
    case index(Int, count: Int)
    /// An input changed (or vanished) since the plan was made.
    case changedInput(path: String, reason: String)
    /// A run's settings differ from the ones the plan was made with.
    case settings(String)
    /// The shard directories do not make one complete run.
    case shards(String)

    public var description: String {
        switch self {
        case .plan(let path, let reason):
            return "\(path): \(reason)"
        case .index(let index, let count):
            return "shard \(index) is not in the plan: it has shards 0 to \(count - 1)"
        case .changedInput(let path, let reason):
            return "\(path): \(reason) since the plan was made; make the plan again (storyclust plan)"
        case .settings(let reason), .shards(let reason):
            return reason
        }
    }
}
