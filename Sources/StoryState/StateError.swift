/// Why a state file cannot be used; the file is never changed when one is thrown before an
/// update's transaction, and the transaction rolls back when one is thrown inside it.
public enum StateError: Error, Sendable, CustomStringConvertible {
    /// The file is an SQLite database but not a StoryClust state.
    case notState(path: String)
    /// The state was written by a build with another schema.
    case schema(path: String, found: Int, supported: Int)
    /// The clustering settings differ from the ones the state was built with.
    case parameters(path: String, differences: [String])
    /// SQLite refused: not a database, locked, full disk, damaged file.
    case database(path: String, reason: String)

    public var description: String {
        switch self {
        case .notState(let path):
            return "\(path): an SQLite file that is not a StoryClust state (no storyclust application id); left untouched"
        case .schema(let path, let found, let supported):
            let age = found > supported ? "newer" : "older"
            return "\(path): state schema version \(found) is \(age) than this build's (\(supported)); "
                + "use a storyclust that reads version \(found), or start a new state file; left untouched"
        case .parameters(let path, let differences):
            return "\(path): the state was built with other clustering settings (\(differences.joined(separator: "; "))); "
                + "pass --allow-parameter-change to go on with the new ones, or use the stored ones"
        case .database(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
