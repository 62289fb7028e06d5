import CBLAS
import Foundation

/// Which OpenBLAS kernel set runs, and making sure it is the fastest one this CPU can execute.
///
/// OpenBLAS (built with DYNAMIC_ARCH, as Debian's is) picks its kernels once, when the library
/// loads, from the CPU id — and OpenBLAS 0.3.21 does not recognise some newer CPUs and then
/// silently falls back to generic kernels (single-precision GEMM several times slower).
/// `OPENBLAS_CORETYPE` overrides the choice, but only if set before the library loads. rtpipe
/// therefore checks the loaded kernel set at start-up and, if a faster one is supported by this
/// CPU's instruction set, re-executes itself once with `OPENBLAS_CORETYPE` set
/// (`ensureOptimalKernels`). A kernel set is only ever chosen if every instruction-set extension
/// it needs is present in `/proc/cpuinfo`.
public enum BLASRuntime {
    /// Kernel sets rtpipe may select, fastest first, each with the CPU flags it requires.
    public static let selectableKernels: [(name: String, tier: Int, requires: [String])] = [
        ("Cooperlake", 3, ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx512_bf16"]),
        ("SkylakeX", 3, ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]),
        ("Haswell", 2, ["avx2", "fma"]),
        ("Sandybridge", 1, ["avx"]),
    ]

    /// Speed tier of an OpenBLAS core name: 3 AVX-512, 2 AVX2/FMA, 1 AVX, 0 generic (SSE) kernels.
    public static func tier(ofCore name: String) -> Int {
        switch name.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": return 3
        case "haswell", "zen", "excavator", "steamroller": return 2
        case "sandybridge", "bulldozer", "piledriver": return 1
        default: return 0
        }
    }

    /// Whether a kernel set's instruction requirements are met by `features`. Unknown names
    /// count as executable only if they are generic (tier 0).
    public static func canExecute(core name: String, on features: CPUFeatures) -> Bool {
        if let k = selectableKernels.first(where: { $0.name.lowercased() == name.lowercased() }) {
            return k.requires.allSatisfy(features.has)
        }
        switch tier(ofCore: name) {
        case 0: return true
        case 1: return features.has("avx")
        case 2: return features.hasAVX2FMA
        default: return features.hasAVX512Core
        }
    }

    /// The fastest selectable kernel set this CPU can execute, or nil if only generic kernels fit.
    public static func bestKernel(for features: CPUFeatures) -> String? {
        selectableKernels.first { k in k.requires.allSatisfy(features.has) }?.name
    }

    /// What start-up should do about the kernel set.
    public enum Decision: Equatable, Sendable {
        /// Keep the loaded kernels; the string says why.
        case keep(String)
        /// Re-execute with `OPENBLAS_CORETYPE` set to this core; the string says why.
        case reexec(core: String, reason: String)
    }

    /// Pure decision logic (unit-tested): given the loaded core, the CPU's features and the
    /// environment, keep the kernels or re-execute with a better/requested core.
    /// - `RTPIPE_BLAS_CORETYPE` (a core name) asks for a specific kernel set — for benchmarks
    ///   against the generic baseline, e.g. `Prescott`; refused if the CPU cannot execute it.
    /// - A user's own `OPENBLAS_CORETYPE` is respected when executable.
    /// - `RTPIPE_BLAS_REEXEC=1` marks the re-executed process (never re-execute twice).
    public static func decide(loadedCore: String, features: CPUFeatures, environment env: [String: String]) -> Decision {
        if env["RTPIPE_BLAS_REEXEC"] == "1" { return .keep("kernel set chosen by rtpipe at start-up") }
        if let requested = env["RTPIPE_BLAS_CORETYPE"], !requested.isEmpty, requested.lowercased() != "auto" {
            guard canExecute(core: requested, on: features) else {
                if let best = bestKernel(for: features), tier(ofCore: loadedCore) < tier(ofCore: best) {
                    return .reexec(core: best, reason: "RTPIPE_BLAS_CORETYPE=\(requested) needs instructions this CPU lacks; using \(best)")
                }
                return .keep("RTPIPE_BLAS_CORETYPE=\(requested) needs instructions this CPU lacks; kept \(loadedCore)")
            }
            if requested.lowercased() == loadedCore.lowercased() { return .keep("requested by RTPIPE_BLAS_CORETYPE") }
            return .reexec(core: requested, reason: "requested by RTPIPE_BLAS_CORETYPE")
        }
        if let user = env["OPENBLAS_CORETYPE"], !user.isEmpty {
            if canExecute(core: user, on: features) { return .keep("set by OPENBLAS_CORETYPE=\(user) in the environment") }
            if let best = bestKernel(for: features) {
                return .reexec(core: best, reason: "OPENBLAS_CORETYPE=\(user) needs instructions this CPU lacks; using \(best)")
            }
            return .keep("OPENBLAS_CORETYPE=\(user) in the environment")
        }
        guard let best = bestKernel(for: features) else { return .keep("generic kernels: the CPU has no AVX") }
        if tier(ofCore: loadedCore) >= tier(ofCore: best) { return .keep("detected by OpenBLAS") }
        return .reexec(core: best, reason: "OpenBLAS detected only \(loadedCore); this CPU supports \(best)")
    }

    /// Call first thing in `main`: re-executes the current program once with the best kernel
    /// set if OpenBLAS fell back to slower kernels. Returns normally when no change is needed
    /// (or re-execution is impossible, in which case a warning goes to standard error).
    public static func ensureOptimalKernels() {
        let env = ProcessInfo.processInfo.environment
        let decision = decide(loadedCore: coreName, features: CPUFeatures.current(), environment: env)
        guard case let .reexec(core, reason) = decision else {
            if case let .keep(why) = decision { selectionReason = why }
            return
        }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv("RTPIPE_BLAS_REEXEC", "1", 1)
        setenv("RTPIPE_BLAS_REASON", reason, 1)
        let args = CommandLine.arguments
        var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
        cargs.append(nil)
        execv("/proc/self/exe", &cargs)
        // execv only returns on failure.
        FileHandle.standardError.write("rtpipe: warning: could not restart with OPENBLAS_CORETYPE=\(core) (\(String(cString: strerror(errno)))); running on \(coreName) kernels\n".data(using: .utf8)!)
        selectionReason = "restart with \(core) failed"
    }

    nonisolated(unsafe) private static var selectionReason: String?

    /// Why the running kernel set was chosen (after `ensureOptimalKernels`).
    public static var kernelSelection: String {
        ProcessInfo.processInfo.environment["RTPIPE_BLAS_REASON"] ?? selectionReason ?? "detected by OpenBLAS"
    }

    /// The OpenBLAS kernel set in use, e.g. "Haswell", "SkylakeX", "Prescott".
    public static var coreName: String { String(cString: openblas_get_corename()) }
    /// OpenBLAS's build configuration string (version, DYNAMIC_ARCH, …).
    public static var configuration: String { String(cString: openblas_get_config()) }
    /// Number of BLAS threads.
    public static var threads: Int { Int(openblas_get_num_threads()) }
    /// Sets the configured number of BLAS threads (at least 1): the count in force whenever no
    /// `BLASThreadLimit` is held (while one is, it applies when the last is released). Nothing
    /// is done when the count does not change (OpenBLAS would restart parked worker threads).
    public static func setThreads(_ n: Int) { BLASThreadRegistry.configure(n) }

    /// Cores visible to the process.
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Runs `body` with BLAS limited to `n` threads (a `BLASThreadLimit` held for the call). Use
    /// `n = 1` around code that makes many small BLAS calls or runs its own worker threads.
    public static func withThreads<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
        let limit = BLASThreadLimit(n)
        defer { limit.release() }
        return try body()
    }

    /// Measured single-precision GEMM rate in GFLOP/s for an `n × n × n` product: the mean
    /// over `repeats` timed products after one warm-up, through the checked `BLAS.gemm`.
    public static func measureSGEMMRate(size n: Int = 512, repeats: Int = 10) -> Double {
        var a = Matrix<Float>(rows: n, cols: n)
        for i in a.storage.indices { a.storage[i] = Float((i * 7919) % 1000) / 1000 - 0.5 }
        let b = a
        var c = Matrix<Float>(rows: n, cols: n)
        try? BLAS.gemm(.none, a, .none, b, into: &c)
        let count = max(1, repeats)
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<count { try? BLAS.gemm(.none, a, .none, b, into: &c) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        a.storage[0] = c.storage[0]  // keep the result observable
        return 2 * Double(n) * Double(n) * Double(n) * Double(count) / seconds / 1e9
    }
}
