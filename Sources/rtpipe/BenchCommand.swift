import ArgumentParser
import Foundation
import Numerics

/// `rtpipe bench`: small release-build workloads for benchmarks (timed with hyperfine).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a fixed workload for benchmarking (see benchmarks/README.md).",
        subcommands: [GEMMBench.self])

    struct GEMMBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gemm",
            abstract: "Single-precision n×n×n GEMM through the Numerics layer; prints the kernel set and GFLOP/s.",
            discussion: "Set RTPIPE_BLAS_CORETYPE=Prescott to measure OpenBLAS's generic fallback kernels.")

        @Option(help: "Matrix size n.") var size = 512
        @Option(help: "Number of timed products (the mean rate is reported).") var repeats = 50

        func run() throws {
            guard size > 0, repeats > 0 else { throw ValidationError("--size and --repeats must be positive") }
            let rate = BLASRuntime.measureSGEMMRate(size: size, repeats: repeats)
            print("kernels \(BLASRuntime.coreName) threads \(BLASRuntime.threads) sgemm \(size)³ \(String(format: "%.1f", rate)) GFLOP/s")
        }
    }
}
