import Encoders
import Foundation
import XCTest

/// The safetensors reader: valid files, and clear errors for truncated or corrupt ones.
final class SafeTensorsTests: XCTestCase {
    private func write(_ data: Data) throws -> URL {
        let url = try TestSupport.temporaryDirectory(self).appendingPathComponent("model.safetensors")
        try data.write(to: url)
        return url
    }

    private func expectCorrupt(_ data: Data, mentioning words: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = try write(data)
        XCTAssertThrowsError(try SafeTensorsFile(url: url), file: file, line: line) { error in
            guard case EncoderError.corruptWeights = error else { return XCTFail("expected corruptWeights, got \(error)", file: file, line: line) }
            XCTAssertTrue("\(error)".contains(words), "\(error)", file: file, line: line)
        }
    }

    func testReadsTensorsZeroCopyAndConverted() throws {
        let data = SafeTensorsWriter.data([
            .init(name: "a", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
            .init(name: "h", shape: [2], values: [0.5, -2], dtype: "F16"),
            .init(name: "b", shape: [3], values: [1.5, -0.25, 1024], dtype: "BF16"),
        ])
        let f = try SafeTensorsFile(url: try write(data))
        XCTAssertEqual(f.metadata["format"], "pt")
        XCTAssertEqual(Set(f.tensors.keys), ["a", "h", "b"])
        let a = try f.floats("a", shape: [2, 3])
        XCTAssertEqual(a.values, [1, 2, 3, 4, 5, 6])
        XCTAssertTrue(UnsafeRawPointer(a.pointer) >= f.file.base! && UnsafeRawPointer(a.pointer) < f.file.base! + f.file.count,
                      "aligned F32 data is read in place from the mapping")
        XCTAssertEqual(try f.floats("h", shape: [2]).values, [0.5, -2])
        XCTAssertEqual(try f.floats("b", shape: [3]).values, [1.5, -0.25, 1024])
    }

    func testMissingTensorAndShapeMismatch() throws {
        let f = try SafeTensorsFile(url: try write(SafeTensorsWriter.data([.init(name: "a", shape: [2, 2], values: [1, 2, 3, 4])])))
        XCTAssertThrowsError(try f.floats("nope", shape: [2, 2])) { e in
            XCTAssertEqual(e as? EncoderError, .missingTensor(name: "nope", path: f.url.path))
        }
        XCTAssertThrowsError(try f.floats("a", shape: [4])) { e in
            guard case EncoderError.tensorMismatch(let name, _, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(name, "a")
        }
    }

    func testTruncatedFiles() throws {
        let good = SafeTensorsWriter.data([.init(name: "a", shape: [4, 4], values: Array(repeating: 1, count: 16))])
        try expectCorrupt(Data(), mentioning: "shorter than the 8-byte header")
        try expectCorrupt(good.prefix(5), mentioning: "shorter than the 8-byte header")
        try expectCorrupt(good.prefix(20), mentioning: "header length")
        try expectCorrupt(good.prefix(good.count - 4), mentioning: "truncated")
    }

    func testCorruptHeaders() throws {
        var notJSON = Data()
        withUnsafeBytes(of: UInt64(8).littleEndian) { notJSON.append(contentsOf: $0) }
        notJSON += Data("{garbage".utf8)
        try expectCorrupt(notJSON, mentioning: "not a JSON object")
        try expectCorrupt(Data(repeating: 0xFF, count: 64), mentioning: "header length")
        func withHeader(_ json: String, payload: Int) -> Data {
            var d = Data()
            withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { d.append(contentsOf: $0) }
            return d + Data(json.utf8) + Data(repeating: 0, count: payload)
        }
        try expectCorrupt(withHeader(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, payload: 8), mentioning: "do not match shape")
        try expectCorrupt(withHeader(#"{"a":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}"#, payload: 8), mentioning: "unknown dtype")
        try expectCorrupt(withHeader(#"{"a":{"dtype":"F32","shape":[2]}}"#, payload: 8), mentioning: "lacks")
        try expectCorrupt(withHeader(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, payload: 8), mentioning: "invalid shape")
    }

    func testMissingFileSaysToRunSetup() throws {
        let url = try TestSupport.temporaryDirectory(self).appendingPathComponent("absent.safetensors")
        XCTAssertThrowsError(try SafeTensorsFile(url: url)) { e in
            XCTAssertTrue("\(e)".contains("scripts/setup"), "\(e)")
        }
    }
}
