import XCTest
@testable import TOML

final class TOMLParserTests: XCTestCase {
    func testValuesTablesAndPositions() throws {
        let t = try TOMLParser.parse("""
            # comment
            title = "x" # trailing
            [a]
            n = 1_000
            f = 2.5e-3
            b = true
            s = 'lit\\eral'
            arr = [1, 2,
                   3,]
            inline = { k = "v", m.n = 2 }
            [[m]]
            name = "one"
            [[m]]
            name = "two"
            [a.sub]
            z = 0x10
            """)
        guard case .table(let a) = t["a"]!.value else { return XCTFail() }
        guard case .integer(1000) = a["n"]!.value else { return XCTFail("\(a["n"]!.value)") }
        guard case .float(let f) = a["f"]!.value else { return XCTFail() }
        XCTAssertEqual(f, 0.0025)
        guard case .string("lit\\eral") = a["s"]!.value else { return XCTFail() }
        guard case .array(let arr) = a["arr"]!.value else { return XCTFail() }
        XCTAssertEqual(arr.count, 3)
        XCTAssertEqual(a.keyPositions["f"], TOMLPosition(line: 5, column: 1))
        XCTAssertEqual(a["f"]!.position, TOMLPosition(line: 5, column: 5))
        guard case .array(let ms) = t["m"]!.value else { return XCTFail() }
        XCTAssertEqual(ms.count, 2)
        guard case .table(let sub) = a["sub"]!.value, case .integer(16) = sub["z"]!.value else { return XCTFail() }
        guard case .table(let inline) = a["inline"]!.value, case .table(let m) = inline["m"]!.value, case .integer(2) = m["n"]!.value else { return XCTFail() }
    }

    func testSyntaxErrorsHavePositions() {
        for (text, line, column) in [("a = ", 1, 5), ("[x\nb = 1", 1, 3), ("a = \"open", 1, 5), ("a = 1\na = 2", 2, 1), ("k = nope", 1, 5), ("a = 1 2", 1, 7)] {
            XCTAssertThrowsError(try TOMLParser.parse(text, file: "f.toml"), text) { e in
                guard let e = e as? TOMLError else { return XCTFail("\(e)") }
                XCTAssertEqual(e.position.line, line, "\(text): \(e)")
                XCTAssertEqual(e.position.column, column, "\(text): \(e)")
                XCTAssertTrue(e.description.hasPrefix("f.toml:\(line):"))
            }
        }
    }
}
