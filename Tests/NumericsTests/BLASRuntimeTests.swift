import XCTest
@testable import Numerics

/// Kernel-selection logic on synthetic CPUs, and the live OpenBLAS queries.
final class BLASRuntimeTests: XCTestCase {
    let avx512 = CPUFeatures(flags: ["sse2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"])
    let avx2 = CPUFeatures(flags: ["sse2", "avx", "avx2", "fma"])
    let sseOnly = CPUFeatures(flags: ["sse2", "sse4_2"])

    func testBestKernelFollowsInstructionSet() {
        XCTAssertEqual(BLASRuntime.bestKernel(for: avx512), "SkylakeX")
        XCTAssertEqual(BLASRuntime.bestKernel(for: CPUFeatures(flags: avx512.flags.union(["avx512_bf16"]))), "Cooperlake")
        XCTAssertEqual(BLASRuntime.bestKernel(for: avx2), "Haswell")
        XCTAssertNil(BLASRuntime.bestKernel(for: sseOnly))
    }

    func testGenericFallbackTriggersRestart() {
        let d = BLASRuntime.decide(loadedCore: "Prescott", features: avx512, environment: [:])
        XCTAssertEqual(d, .reexec(core: "SkylakeX", reason: "OpenBLAS detected only Prescott; this CPU supports SkylakeX"))
        XCTAssertEqual(BLASRuntime.decide(loadedCore: "Nehalem", features: avx2, environment: [:]),
                       .reexec(core: "Haswell", reason: "OpenBLAS detected only Nehalem; this CPU supports Haswell"))
    }

    func testRecognisedCPUIsKept() {
        XCTAssertEqual(BLASRuntime.decide(loadedCore: "SkylakeX", features: avx512, environment: [:]), .keep("detected by OpenBLAS"))
        XCTAssertEqual(BLASRuntime.decide(loadedCore: "Zen", features: avx2, environment: [:]), .keep("detected by OpenBLAS"))
        if case .reexec = BLASRuntime.decide(loadedCore: "Prescott", features: sseOnly, environment: [:]) { XCTFail("no better kernels exist") }
    }

    func testNeverPicksKernelsTheCPUCannotRun() {
        // A user asking for AVX-512 kernels on an AVX2 machine gets Haswell instead.
        let d = BLASRuntime.decide(loadedCore: "Prescott", features: avx2, environment: ["OPENBLAS_CORETYPE": "SkylakeX"])
        guard case .reexec(let core, _) = d else { return XCTFail("\(d)") }
        XCTAssertEqual(core, "Haswell")
        let r = BLASRuntime.decide(loadedCore: "Prescott", features: sseOnly, environment: ["RTPIPE_BLAS_CORETYPE": "Haswell"])
        guard case .keep = r else { return XCTFail("\(r)") }
        XCTAssertFalse(BLASRuntime.canExecute(core: "SkylakeX", on: avx2))
        XCTAssertTrue(BLASRuntime.canExecute(core: "Prescott", on: sseOnly))
    }

    func testExplicitRequestsAndNoLoops() {
        XCTAssertEqual(BLASRuntime.decide(loadedCore: "SkylakeX", features: avx512, environment: ["RTPIPE_BLAS_CORETYPE": "Prescott"]),
                       .reexec(core: "Prescott", reason: "requested by RTPIPE_BLAS_CORETYPE"))
        XCTAssertEqual(BLASRuntime.decide(loadedCore: "Prescott", features: avx512, environment: ["OPENBLAS_CORETYPE": "Prescott"]),
                       .keep("set by OPENBLAS_CORETYPE=Prescott in the environment"))
        guard case .keep = BLASRuntime.decide(loadedCore: "Prescott", features: avx512, environment: ["RTPIPE_BLAS_REEXEC": "1"]) else {
            return XCTFail("a re-executed process must not restart again")
        }
    }

    func testCpuinfoParsing() {
        let text = "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: fpu sse2 avx2 fma\n\nprocessor\t: 1\nflags\t: fpu\n"
        let f = CPUFeatures.parse(cpuinfo: text)
        XCTAssertEqual(f.modelName, "Test CPU")
        XCTAssertTrue(f.hasAVX2FMA)
        XCTAssertFalse(f.has("avx512f"))
    }

    func testLiveQueries() {
        XCTAssertFalse(BLASRuntime.coreName.isEmpty)
        XCTAssertTrue(BLASRuntime.configuration.contains("OpenBLAS"))
        BLASRuntime.withThreads(1) { XCTAssertEqual(BLASRuntime.threads, 1) }
        XCTAssertGreaterThan(BLASRuntime.measureSGEMMRate(size: 64, repeats: 2), 0)
    }
}
