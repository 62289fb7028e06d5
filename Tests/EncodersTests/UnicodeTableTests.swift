import Foundation
import Tokenization
import XCTest

/// Exhaustive check of the normaliser and pre-tokenizer classes against a table dumped from the
/// model's own tokenizer by `benchmarks/encoder/unicode_table.py` (every Unicode scalar). The
/// table is ~20 MB and not committed: set RTPIPE_UNICODE_TABLE to its path to run this test
/// (and RTPIPE_UNICODE_MISMATCHES to a path to get every mismatch written there).
final class UnicodeTableTests: XCTestCase {
    func testEveryScalarMatchesReferenceTable() throws {
        guard let path = ProcessInfo.processInfo.environment["RTPIPE_UNICODE_TABLE"], !path.isEmpty else {
            throw XCTSkip("set RTPIPE_UNICODE_TABLE to the output of benchmarks/encoder/unicode_table.py to run the exhaustive Unicode check")
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let normalizer = BertNormalizer()
        var checked = 0
        var mismatches: [String] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 3, let v = UInt32(f[0], radix: 16), let c = Unicode.Scalar(v) else { continue }
            let expected = f[1] == "-" ? [] : f[1].split(separator: " ").compactMap { UInt32($0, radix: 16) }
            let got = normalizer.map(c).map(\.value)
            let cls: Substring = BertCharacterClasses.isWhitespace(c) ? "s" : (BertCharacterClasses.isPunctuation(c) ? "p" : "o")
            if got != expected || cls != f[2] {
                mismatches.append("\(f[0]) \(c.properties.generalCategory) age \(c.properties.age.map { "\($0.major).\($0.minor)" } ?? "-"): normalised \(got.map { String($0, radix: 16) }) expected \(f[1]); class \(cls) expected \(f[2])")
            }
            checked += 1
        }
        if let dump = ProcessInfo.processInfo.environment["RTPIPE_UNICODE_MISMATCHES"] { try mismatches.joined(separator: "\n").write(toFile: dump, atomically: true, encoding: .utf8) }
        XCTAssertGreaterThan(checked, 1_100_000)
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(40).joined(separator: "\n"))")
    }
}
