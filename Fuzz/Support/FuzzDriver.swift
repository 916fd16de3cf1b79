internal import CLibFuzzer

/// Starts libFuzzer from a fuzz target's entry point.
///
/// SwiftPM links every executable with `--defsym main=<Module>_main`, and `-parse-as-library`
/// (needed so no Swift `main` is generated) leaves that symbol undefined; libFuzzer's own `main`
/// is then never linked. Each target therefore defines `<Module>_main` with `@_cdecl` and calls
/// this, which hands the command line to libFuzzer's driver.
public enum FuzzDriver {
    /// Runs `LLVMFuzzerRunDriver` with the command line and the target's input callback.
    public static func run(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
        _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return LLVMFuzzerRunDriver(&count, &arguments, testOneInput)
    }
}
