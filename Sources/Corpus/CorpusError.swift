/// Everything that can stop a whole read.
///
/// Bad records and bad files never throw: they become ``Reject``s so that one broken file does
/// not cost the user the rest of the run. Only mistakes the user must fix before anything useful
/// can happen are errors.
public enum CorpusError: Error, CustomStringConvertible, Equatable {
    /// A path given on the command line does not exist.
    case missingInput(path: String)
    /// A `--field NAME=SOURCE` spec could not be used; the message says why.
    case badFieldMapping(String)

    public var description: String {
        switch self {
        case .missingInput(let path):
            return "input not found: \(path)"
        case .badFieldMapping(let message):
            return message
        }
    }
}
