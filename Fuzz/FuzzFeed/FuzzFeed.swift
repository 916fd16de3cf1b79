internal import FuzzSupport

/// libFuzzer's input callback: the bytes as a .rss input file (RSS, Atom or RSS 1.0).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.read(data, size, ext: "rss")
}

/// The program's entry point (see FuzzDriver).
@_cdecl("FuzzFeed_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
}
