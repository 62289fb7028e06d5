import XCTest
@testable import TOML

/// Issue 12, item 2: hostile nesting in an analysis file is an error with file, line and
/// column, never a stack overflow; ordinary nesting still parses.
final class TOMLDepthTests: XCTestCase {
    func assertTooDeep(_ text: String, line: Int, file: StaticString = #filePath, sourceLine: UInt = #line) {
        XCTAssertThrowsError(try TOMLParser.parse(text, file: "deep.toml"), file: file, line: sourceLine) { error in
            guard let e = error as? TOMLError else { return XCTFail("\(error)", file: file, line: sourceLine) }
            XCTAssertEqual(e.position.line, line, file: file, line: sourceLine)
            XCTAssertTrue(e.description.hasPrefix("deep.toml:\(line):"), e.description, file: file, line: sourceLine)
            XCTAssertTrue(e.message.contains("\(TOMLParser.maxDepth)"), e.message, file: file, line: sourceLine)
        }
    }

    func testHostileNestingIsAnError() {
        let n = 50_000
        assertTooDeep("# arrays\nx = " + String(repeating: "[", count: n), line: 2)
        assertTooDeep("x = " + String(repeating: "[", count: n) + String(repeating: "]", count: n), line: 1)
        assertTooDeep("x = " + String(repeating: "{a = ", count: n), line: 1)
        assertTooDeep("[t]\n" + Array(repeating: "k", count: n).joined(separator: ".") + " = 1", line: 2)
        assertTooDeep("[" + Array(repeating: "t", count: n).joined(separator: ".") + "]", line: 1)
        // Depth adds up across a header, a dotted key and the values.
        let half = TOMLParser.maxDepth / 2
        assertTooDeep("[" + Array(repeating: "t", count: half).joined(separator: ".") + "]\n"
                      + Array(repeating: "k", count: half).joined(separator: ".") + " = [[1]]", line: 2)
    }

    func testOrdinaryNestingParses() throws {
        let d = 20
        let t = try TOMLParser.parse("[a.b]\nc.d = " + String(repeating: "[", count: d) + "1" + String(repeating: "]", count: d)
                                     + "\ne = { f = { g = [1, { h = 2 }] } }\n")
        guard case .table(let a) = t["a"]!.value, case .table(let b) = a["b"]!.value, case .table(let c) = b["c"]!.value,
              case .array = c["d"]!.value else { return XCTFail("\(t)") }
        XCTAssertNotNil(b["e"])
    }
}
