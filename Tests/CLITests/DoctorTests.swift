import Foundation
import XCTest

/// `rtpipe --version`, `--help`, `doctor` and the BLAS kernel selection, end to end.
final class DoctorTests: XCTestCase {
    func testVersionAndHelp() throws {
        let v = try CLIRunner.run(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.stdout.trimmingCharacters(in: .whitespacesAndNewlines).range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil, v.stdout)
        let h = try CLIRunner.run(["--help"])
        XCTAssertEqual(h.status, 0)
        for sub in ["doctor", "fit", "delta", "bench"] { XCTAssertTrue(h.stdout.contains(sub), "help lists \(sub)") }
        let dh = try CLIRunner.run(["doctor", "--help"])
        XCTAssertTrue(dh.stdout.contains("--no-benchmark"))
    }

    func testDoctorReportsOptimisedKernelsWithoutUserSettings() throws {
        let r = try CLIRunner.run(["doctor", "--json"], environment: ["OPENBLAS_CORETYPE": nil, "RTPIPE_BLAS_CORETYPE": nil])
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout + r.stderr)
        let kernels = try XCTUnwrap(obj["blas kernels"] as? String)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if cpuinfo.contains(" avx2") {
            for generic in ["Prescott", "Nehalem", "Core2", "Penryn", "Atom"] {
                XCTAssertFalse(kernels.hasPrefix(generic), "generic kernels in use: \(kernels)")
            }
        }
        XCTAssertNotNil(obj["lapack"]); XCTAssertNotNil(obj["nlopt"]); XCTAssertNotNil(obj["sqlite"])
        XCTAssertTrue((obj["sgemm 512³"] as? String ?? "").hasSuffix("GFLOP/s"))
    }

    func testRequestedKernelSetIsAppliedByRestart() throws {
        // The kernel set can only change before OpenBLAS loads, so this proves the restart path.
        let generic = try CLIRunner.run(["bench", "gemm", "--size", "32", "--repeats", "1"], environment: ["RTPIPE_BLAS_CORETYPE": "Prescott", "OPENBLAS_CORETYPE": nil])
        XCTAssertEqual(generic.status, 0, generic.stderr)
        XCTAssertTrue(generic.stdout.hasPrefix("kernels Prescott"), generic.stdout)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if cpuinfo.contains(" avx2") && cpuinfo.contains(" fma") {
            let haswell = try CLIRunner.run(["bench", "gemm", "--size", "32", "--repeats", "1"], environment: ["RTPIPE_BLAS_CORETYPE": "Haswell", "OPENBLAS_CORETYPE": nil])
            XCTAssertTrue(haswell.stdout.hasPrefix("kernels Haswell"), haswell.stdout)
        }
    }

    func testDoctorFailsWithInstructionsWhenWeightsMissing() throws {
        let r = try CLIRunner.run(["doctor", "--no-benchmark"], environment: ["RTPIPE_ENCODER_DIR": "/nonexistent/encoder"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("encoder weights missing"), r.stdout)
        XCTAssertTrue(r.stdout.contains("scripts/setup"), r.stdout)
    }

    func testBadArgumentsExitNonZero() throws {
        let r = try CLIRunner.run(["bench", "gemm", "--size", "0"])
        XCTAssertNotEqual(r.status, 0)
        let u = try CLIRunner.run(["no-such-command"])
        XCTAssertNotEqual(u.status, 0)
    }
}
