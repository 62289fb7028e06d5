import Encoders
import Foundation
import XCTest

/// Issue 12, item 4: hostile safetensors headers (oversized shapes, huge or fractional numbers,
/// offsets outside the file) are reported as corrupt weights, never a trap.
final class SafeTensorsBoundsTests: XCTestCase {
    private func withHeader(_ json: String, payload: Int) -> Data {
        var d = Data()
        withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { d.append(contentsOf: $0) }
        return d + Data(json.utf8) + Data(repeating: 0, count: payload)
    }

    private func expectCorrupt(_ entry: String, payload: Int = 16, mentioning words: String, line: UInt = #line) throws {
        let url = try TestSupport.temporaryDirectory(self).appendingPathComponent("hostile.safetensors")
        try withHeader(#"{"t":"# + entry + "}", payload: payload).write(to: url)
        XCTAssertThrowsError(try SafeTensorsFile(url: url), line: line) { error in
            guard case EncoderError.corruptWeights = error else { return XCTFail("expected corruptWeights, got \(error)", line: line) }
            XCTAssertTrue("\(error)".contains(words) && "\(error)".contains("'t'"), "\(error)", line: line)
        }
    }

    func testOversizedShapesAreCorruptNotATrap() throws {
        // 2^50 × 2^12 = 2^62 elements; × 4 bytes overflows Int.
        try expectCorrupt(#"{"dtype":"F32","shape":[1125899906842624,4096],"data_offsets":[0,16]}"#, mentioning: "do not match")
        // 2^49 × 2^12 = 2^61 elements × 8 bytes = 2^64.
        try expectCorrupt(#"{"dtype":"F64","shape":[562949953421312,4096],"data_offsets":[0,0]}"#, mentioning: "do not match")
        // Sizes of 2^53 and more cannot be exact JSON numbers, nor sizes of anything in a file.
        try expectCorrupt(#"{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,16]}"#, mentioning: "invalid shape")
        try expectCorrupt(#"{"dtype":"F32","shape":[3037000500,3037000500],"data_offsets":[0,16]}"#, mentioning: "do not match")
        try expectCorrupt(#"{"dtype":"F32","shape":[1e30],"data_offsets":[0,16]}"#, mentioning: "invalid shape")
        try expectCorrupt(#"{"dtype":"F32","shape":[18446744073709551615],"data_offsets":[0,16]}"#, mentioning: "invalid shape")
        try expectCorrupt(#"{"dtype":"F32","shape":[2.5],"data_offsets":[0,10]}"#, mentioning: "invalid shape")
        try expectCorrupt(#"{"dtype":"F32","shape":["4"],"data_offsets":[0,16]}"#, mentioning: "invalid shape")
    }

    func testOffsetsOutsideTheFileAreCorrupt() throws {
        try expectCorrupt(#"{"dtype":"U8","shape":[16],"data_offsets":[9007199254740000,9007199254740016]}"#, mentioning: "ends at byte")
        try expectCorrupt(#"{"dtype":"U8","shape":[16],"data_offsets":[9223372036854775791,9223372036854775807]}"#, mentioning: "invalid data offsets")
        try expectCorrupt(#"{"dtype":"U8","shape":[16],"data_offsets":[8,24]}"#, mentioning: "ends at byte")
        try expectCorrupt(#"{"dtype":"U8","shape":[4],"data_offsets":[1e300,1e300]}"#, mentioning: "invalid data offsets")
        try expectCorrupt(#"{"dtype":"U8","shape":[4],"data_offsets":[8,4]}"#, mentioning: "do not match")
    }

    func testValidHeaderStillOpens() throws {
        let url = try TestSupport.temporaryDirectory(self).appendingPathComponent("ok.safetensors")
        try withHeader(#"{"t":{"dtype":"U8","shape":[4,4],"data_offsets":[0,16]}}"#, payload: 16).write(to: url)
        let f = try SafeTensorsFile(url: url)
        XCTAssertEqual(f.tensors["t"]?.shape, [4, 4])
        XCTAssertEqual(f.tensors["t"]?.byteRange.count, 16)
    }
}
