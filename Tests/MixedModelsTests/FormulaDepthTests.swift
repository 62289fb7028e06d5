import XCTest
@testable import MixedModels

/// Issue 12, item 2: formulas nested too deeply for a recursive walk are an error at a
/// position, never a stack overflow; long but ordinary formulas still parse.
final class FormulaDepthTests: XCTestCase {
    func assertTooDeep(_ formula: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Formula.parse(formula), file: file, line: line) { error in
            guard let e = error as? FormulaError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(e.message.contains("nested too deeply"), e.message, file: file, line: line)
            XCTAssertLessThanOrEqual(e.offset, formula.count, file: file, line: line)
            // The message shows a window of the formula, not all of it.
            XCTAssertLessThan(e.description.count, 400, file: file, line: line)
        }
    }

    func testHostileNestingIsAnError() {
        assertTooDeep("y ~ " + String(repeating: "(", count: 30_000) + "x" + String(repeating: ")", count: 30_000))
        assertTooDeep("y ~ " + String(repeating: "-", count: 50_000) + "x")
        assertTooDeep("y ~ " + String(repeating: "log(", count: 30_000) + "x" + String(repeating: ")", count: 30_000))
        assertTooDeep("y ~ " + Array(repeating: "x", count: 50_000).joined(separator: " + "))
        assertTooDeep("y ~ " + Array(repeating: "x", count: 50_000).joined(separator: ":"))
        assertTooDeep("y ~ " + Array(repeating: "x", count: 50_000).joined(separator: "^"))
        assertTooDeep(String(repeating: "(", count: 30_000) + "y" + String(repeating: ")", count: 30_000) + " ~ x")
    }

    func testLongOrdinaryFormulasParse() throws {
        let terms = (1...300).map { "x\($0)" }
        let f = try Formula.parse("y ~ " + terms.joined(separator: " + ") + " + (1 | g)")
        XCTAssertEqual(f.fixedTerms.count, 300)
        XCTAssertNoThrow(try Formula.parse("y ~ " + String(repeating: "(", count: 100) + "x" + String(repeating: ")", count: 100)))
    }
}
