import Foundation

/// A test-only pause inside an update, so that a test can kill the process at a known point.
///
/// With `STORYCLUST_TEST_PAUSE_AT=NAME` in the environment, reaching the point NAME writes
/// NAME to the file `STORYCLUST_TEST_PAUSE_FILE` (when set) and sleeps until killed. Nothing
/// happens without the variable, so a real run never stops here.
public enum CrashPoint {
    /// The points an update passes, in order.
    public static let all = ["before-transaction", "after-articles", "after-memberships", "after-stories", "before-commit", "after-commit"]

    public static func reach(_ name: String) {
        let environment = ProcessInfo.processInfo.environment
        guard environment["STORYCLUST_TEST_PAUSE_AT"] == name else { return }
        if let marker = environment["STORYCLUST_TEST_PAUSE_FILE"] {
            _ = FileManager.default.createFile(atPath: marker, contents: Data(name.utf8))
        }
        while true { sleep(60) }
    }
}
