import Encoders
import Foundation
import Hashing
import Numerics
import XCTest

/// SHA-256 and CRC-32 against published test vectors; the fast exp/erf against Foundation.
final class HashAndMathTests: XCTestCase {
    func testSHA256Vectors() {
        XCTAssertEqual(SHA256.hex(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var h = SHA256()  // streaming in uneven pieces: one million 'a'
        let chunk = Data(repeating: UInt8(ascii: "a"), count: 999)
        var fed = 0
        while fed + 999 <= 1_000_000 { h.update(chunk); fed += 999 }
        h.update(Data(repeating: UInt8(ascii: "a"), count: 1_000_000 - fed))
        XCTAssertEqual(h.finalize().map { String(format: "%02x", $0) }.joined(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testCRC32() {
        XCTAssertEqual(CRC32.checksum(Data("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum(Data()), 0)
    }

    func testModelFingerprintIsStoredBesideTheFile() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let url = dir.appendingPathComponent("model.safetensors")
        try Data("abc".utf8).write(to: url)
        XCTAssertEqual(try ModelFingerprint.of(url), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let sidecar = try String(contentsOf: url.appendingPathExtension("sha256"), encoding: .utf8)
        XCTAssertTrue(sidecar.hasPrefix("ba7816bf"))
        // A change of the same size is seen through the modification time (moved here explicitly,
        // as a write within the same millisecond would not move it).
        try Data("abd".utf8).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 10)], ofItemAtPath: url.path)
        XCTAssertEqual(try ModelFingerprint.of(url), SHA256.hex(Data("abd".utf8)))
        // A change of size is seen whatever the modification time.
        try Data("abcd".utf8).write(to: url)
        XCTAssertEqual(try ModelFingerprint.of(url), SHA256.hex(Data("abcd".utf8)))
    }

    func testFastErfAndExp() {
        var worstErf = 0.0, worstExp = 0.0
        for i in -80_000...80_000 {
            let x = Float(i) / 10_000
            worstErf = max(worstErf, abs(Double(FastMath.erf(x)) - erf(Double(x))))
        }
        for i in 0...87_000 {
            let y = -Float(i) / 1000
            let e = exp(Double(y))
            worstExp = max(worstExp, abs(Double(FastMath.expNonPositive(y)) - e) / e)
        }
        XCTAssertLessThan(worstErf, 2e-6)
        XCTAssertLessThan(worstExp, 5e-7)
        XCTAssertEqual(FastMath.expNonPositive(0), 1)
        XCTAssertEqual(FastMath.expNonPositive(5), 1, "positive arguments are clamped to 0")
        XCTAssertEqual(FastMath.erf(0), 0)
        XCTAssertEqual(FastMath.erf(10), 1)
        XCTAssertEqual(FastMath.erf(-10), -1)
    }
}
