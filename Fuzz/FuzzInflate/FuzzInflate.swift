internal import FuzzSupport

/// libFuzzer's input callback: the bytes as a compressed report, streamed as gzip and as zstd.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.inflate(data, size)
}

/// The program's entry point (see FuzzDriver).
@_cdecl("FuzzInflate_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
}
