import ArgumentParser
import Vectors

/// `storyclust probe-gemm`: how fast OpenBLAS multiplies dense matrices on this machine.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe-gemm",
        abstract: "Measures this machine's single-precision GEMM speed through OpenBLAS (for benchmarks).",
        discussion: """
            Prints GFLOP/s of the best of five n × n × k products on 1 and on all threads, and the \
            OpenBLAS core type in use. OPENBLAS_CORETYPE (e.g. SkylakeX) overrides OpenBLAS's own \
            CPU detection, for CPUs it does not recognise.
            """
    )

    @Option(help: "Matrix side n.")
    var size = 2_048

    @Option(help: "Inner dimension k.")
    var depth = 1_024

    @Option(help: ArgumentHelp("Threads for the second measurement (default: all cores).", valueName: "n"))
    var threads: Int?

    func validate() throws {
        guard size > 0 && size <= 16_384 && depth > 0 && depth <= 16_384 else {
            throw ValidationError("--size and --depth must be between 1 and 16384")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() {
        let info = BLAS.info
        print("OpenBLAS core \(info.coreType) (\(info.config))")
        let all = threads ?? info.threads
        for count in Set([1, all]).sorted() {
            BLAS.setThreads(count)
            let speed = BLAS.probe(size: size, depth: depth)
            print("sgemm \(size)×\(size)×\(depth), \(count) thread\(count == 1 ? "" : "s"): \(Int(speed.rounded())) GFLOP/s")
        }
    }
}
