import ArgumentParser
import Foundation
import Numerics
import RtpipeCore

/// `rtpipe bench`: small release-build workloads for benchmarks (timed with hyperfine).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a fixed workload for benchmarking (see benchmarks/README.md).",
        subcommands: [GEMMBench.self, SPRTable.self])

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

    struct SPRTable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "spr-table",
            abstract: "Write a simulated self-paced-reading table (TSV) for the regression benchmarks.",
            discussion: """
                Words w have surprisal ~ |N(7, 3)|, length 1–14 and log frequency −0.4·length + N(9, 1); each subject \
                reads a random half of the words (the other cells are missing). \
                rt = 350 + 12·surprisal + 4·length − 6·logfreq + u₀[subject] + u₁[subject]·surprisal + w[item] + ε, \
                with sd(u₀) = 60, sd(u₁) = 3, corr(u₀, u₁) = 0.3, sd(w) = 25, sd(ε) = 90.
                """)

        @Option(help: "Output TSV path.") var out: String
        @Option(help: "Number of subjects.") var subjects = 180
        @Option(help: "Number of words (items).") var words = 10_000
        @Option(help: "Probability that a subject × word cell is observed.") var observed = 0.5
        @Option(help: "Random seed.") var seed: UInt64 = 1

        func run() throws {
            guard subjects >= 2, words >= 2, observed > 0, observed <= 1 else { throw ValidationError("need ≥ 2 subjects and words, 0 < observed ≤ 1") }
            var rng = SeededGenerator(seed: seed)
            func normal() -> Double {
                let u1 = max(rng.nextUnit(), 1e-300), u2 = rng.nextUnit()
                return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            }
            var surprisal = [Double](), length = [Int](), logfreq = [Double](), itemEffect = [Double]()
            for _ in 0..<words {
                surprisal.append(abs(7 + 3 * normal()))
                let len = 1 + Int(rng.next() % 14)
                length.append(len)
                logfreq.append(-0.4 * Double(len) + 9 + normal())
                itemEffect.append(25 * normal())
            }
            var text = "subject\titem\tsurprisal\tlength\tlogfreq\trt\n"
            text.reserveCapacity(subjects * words * 24)
            var rows = 0
            for s in 0..<subjects {
                let z0 = normal(), z1 = normal()
                let u0 = 60 * z0, u1 = 3 * (0.3 * z0 + (1 - 0.09).squareRoot() * z1)
                for w in 0..<words where rng.nextUnit() < observed {
                    let rt = 350 + 12 * surprisal[w] + 4 * Double(length[w]) - 6 * logfreq[w] + u0 + u1 * surprisal[w] + itemEffect[w] + 90 * normal()
                    text += "s\(s + 1)\tw\(w + 1)\t\(String(format: "%.4f", surprisal[w]))\t\(length[w])\t\(String(format: "%.4f", logfreq[w]))\t\(String(format: "%.2f", rt))\n"
                    rows += 1
                }
            }
            try OutputFile.write(text, to: out)
            print("wrote \(rows) rows (\(subjects) subjects × \(words) words, \(Int(observed * 100))% observed) to \(out)")
        }
    }
}
