import XCTest
@testable import MixedModels

final class FormulaTests: XCTestCase {
    private func fixedNames(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            return try Formula.parse(text).fixedTerms.map(\.name)
        } catch {
            XCTFail("\(text): \(error)", file: file, line: line)
            return []
        }
    }

    private func assertError(_ text: String, offset: Int, contains fragment: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Formula.parse(text), file: file, line: line) { error in
            guard let e = error as? FormulaError else {
                return XCTFail("not a FormulaError: \(error)", file: file, line: line)
            }
            XCTAssertEqual(e.formula, text, file: file, line: line)
            XCTAssertEqual(e.offset, offset, "message: \(e.message)", file: file, line: line)
            XCTAssertTrue(e.message.contains(fragment), "message: \(e.message)", file: file, line: line)
        }
    }

    func testSimpleFormula() throws {
        let f = try Formula.parse("Reaction ~ Days + (Days|Subject)")
        XCTAssertEqual(f.response.name, "Reaction")
        XCTAssertEqual(f.response.columnName, "Reaction")
        XCTAssertTrue(f.hasIntercept)
        XCTAssertEqual(f.fixedTerms.map(\.name), ["Days"])
        XCTAssertEqual(f.randomTerms.count, 1)
        let r = f.randomTerms[0]
        XCTAssertTrue(r.hasIntercept)
        XCTAssertEqual(r.terms.map(\.name), ["Days"])
        XCTAssertEqual(r.grouping, ["Subject"])
        XCTAssertEqual(r.groupingName, "Subject")
        XCTAssertEqual(f.columns, ["Reaction", "Days", "Subject"])
        XCTAssertEqual(f.description, "Reaction ~ 1 + Days + (1 + Days | Subject)")
    }

    func testFullExampleFromSpecification() throws {
        let f = try Formula.parse("y ~ a + b*c + a:b + log(x) + scale(x) + I(x^2) + (1|g) + (1 + x|g) + (0 + x|g) + (x||g) + (1|g1/g2) + (1|g1:g2)")
        XCTAssertEqual(f.fixedTerms.map(\.name), ["a", "b", "c", "log(x)", "scale(x)", "I(x^2)", "b:c", "a:b"])
        XCTAssertEqual(f.randomTerms.map(\.description),
                       ["(1 | g)", "(1 + x | g)", "(0 + x | g)", "(1 | g)", "(0 + x | g)",
                        "(1 | g2:g1)", "(1 | g1)", "(1 | g1:g2)"])
        XCTAssertEqual(f.columns, ["y", "a", "b", "c", "x", "g", "g2", "g1"])
    }

    func testCrossingExpansion() {
        XCTAssertEqual(fixedNames("y ~ a*b"), ["a", "b", "a:b"])
        XCTAssertEqual(fixedNames("y ~ a*b*c"), ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"])
        XCTAssertEqual(fixedNames("y ~ (a+b):c"), ["a:c", "b:c"])
        XCTAssertEqual(fixedNames("y ~ a + b*c + a:b"), ["a", "b", "c", "b:c", "a:b"])
        XCTAssertEqual(fixedNames("y ~ (a+b+c)^2"), ["a", "b", "c", "a:b", "a:c", "b:c"])
        XCTAssertEqual(fixedNames("y ~ a/b"), ["a", "a:b"])
        XCTAssertEqual(fixedNames("y ~ a*b - a:b"), ["a", "b"])
        XCTAssertEqual(fixedNames("y ~ a + a + a:a"), ["a"])
    }

    func testTermOrderFollowsR() {
        // Terms sorted by order; variables inside a term in order of first appearance.
        XCTAssertEqual(fixedNames("y ~ a:b + a"), ["a", "a:b"])
        XCTAssertEqual(fixedNames("y ~ b:a + a"), ["a", "b:a"])
        XCTAssertEqual(fixedNames("y ~ x + b:a + a"), ["x", "a", "b:a"])
        XCTAssertEqual(fixedNames("y ~ service*dept"), ["service", "dept", "service:dept"])
    }

    func testInterceptHandling() throws {
        for text in ["y ~ 0 + x", "y ~ x - 1", "y ~ x + 0", "y ~ -1 + x"] {
            let f = try Formula.parse(text)
            XCTAssertFalse(f.hasIntercept, text)
            XCTAssertEqual(f.fixedTerms.map(\.name), ["x"], text)
        }
        for text in ["y ~ x", "y ~ 1 + x", "y ~ 1", "y ~ 0 + x + 1"] {
            XCTAssertTrue(try Formula.parse(text).hasIntercept, text)
        }
        let onlyRandom = try Formula.parse("y ~ (1|g)")
        XCTAssertTrue(onlyRandom.hasIntercept)
        XCTAssertTrue(onlyRandom.fixedTerms.isEmpty)
        let none = try Formula.parse("y ~ 0 + (1|g)")
        XCTAssertFalse(none.hasIntercept)
    }

    func testFunctionsAndDisplayNames() throws {
        let f = try Formula.parse("log(rt) ~ log(x) + log2(x) + log10(x) + exp(z) + sqrt(abs(z)) + scale(x) + I(x^2) + I(x * 2) + I(x/2) + I((x + 1)^-1) + I(-x)")
        XCTAssertEqual(f.response.name, "log(rt)")
        XCTAssertNil(f.response.columnName)
        XCTAssertEqual(f.response.columns, ["rt"])
        XCTAssertEqual(f.fixedTerms.map(\.name),
                       ["log(x)", "log2(x)", "log10(x)", "exp(z)", "sqrt(abs(z))", "scale(x)",
                        "I(x^2)", "I(x * 2)", "I(x/2)", "I((x + 1)^-1)", "I(-x)"])
        XCTAssertEqual(f.fixedTerms[6].variables[0].expression,
                       .call(.identity, .binary(.power, .column("x"), .number(2))))
        XCTAssertEqual(f.fixedTerms.flatMap { $0.variables.flatMap(\.columns) }.reduce(into: Set<String>()) { $0.insert($1) },
                       ["x", "z"])
        let mixed = try Formula.parse("y ~ I(a * b + 0.5)")
        XCTAssertEqual(mixed.fixedTerms[0].variables[0].columns, ["a", "b"])
        XCTAssertEqual(mixed.fixedTerms[0].name, "I(a * b + 0.5)")
    }

    func testBacktickNames() throws {
        let f = try Formula.parse("`reading time` ~ `word length` + log(`freq per million`) + (1|`subject id`)")
        XCTAssertEqual(f.response.columns, ["reading time"])
        XCTAssertEqual(f.response.name, "`reading time`")
        XCTAssertEqual(f.fixedTerms.map(\.name), ["`word length`", "log(`freq per million`)"])
        XCTAssertEqual(f.fixedTerms[1].variables[0].columns, ["freq per million"])
        XCTAssertEqual(f.randomTerms[0].grouping, ["subject id"])
        XCTAssertEqual(f.columns, ["reading time", "word length", "freq per million", "subject id"])
    }

    func testRandomTermForms() throws {
        let f = try Formula.parse("y ~ x + (1|g) + (1 + x|g) + (0 + x|h) + (x|g)")
        XCTAssertEqual(f.randomTerms.map(\.description),
                       ["(1 | g)", "(1 + x | g)", "(0 + x | h)", "(1 + x | g)"])
        XCTAssertEqual(f.randomTerms.map(\.hasIntercept), [true, true, false, true])
        XCTAssertEqual(f.fixedTerms.map(\.name), ["x"])

        let uncorrelated = try Formula.parse("y ~ x + (x||g)")
        XCTAssertEqual(uncorrelated.randomTerms.map(\.description), ["(1 | g)", "(0 + x | g)"])
        let uncorrelatedNoInt = try Formula.parse("y ~ (0 + x + z||g)")
        XCTAssertEqual(uncorrelatedNoInt.randomTerms.map(\.description), ["(0 + x | g)", "(0 + z | g)"])

        let interaction = try Formula.parse("y ~ (1|g1:g2)")
        XCTAssertEqual(interaction.randomTerms[0].grouping, ["g1", "g2"])
        XCTAssertEqual(interaction.randomTerms[0].groupingName, "g1:g2")
    }

    func testNestedGroupingExpandsLikeLme4() throws {
        let f = try Formula.parse("strength ~ 1 + (1|batch/cask)")
        XCTAssertEqual(f.randomTerms.map(\.groupingName), ["cask:batch", "batch"])
        XCTAssertEqual(f.randomTerms[0].grouping, ["cask", "batch"])
        let three = try Formula.parse("y ~ (1|a/b/c)")
        XCTAssertEqual(three.randomTerms.map(\.groupingName), ["c:b:a", "b:a", "a"])
        let slopes = try Formula.parse("y ~ (x||g1/g2)")
        XCTAssertEqual(slopes.randomTerms.map(\.description),
                       ["(1 | g2:g1)", "(1 | g1)", "(0 + x | g2:g1)", "(0 + x | g1)"])
    }

    func testRandomTermWithInteractionOnLeft() throws {
        let f = try Formula.parse("y ~ (a*b|g)")
        XCTAssertEqual(f.randomTerms[0].terms.map(\.name), ["a", "b", "a:b"])
        XCTAssertEqual(f.randomTerms[0].columns, ["a", "b", "g"])
    }

    func testRequiredErrorPositions() {
        assertError("y ~ (1|g", offset: 4, contains: "unclosed '('")
        assertError("y ~ a +", offset: 7, contains: "expected a term after '+'")
        assertError("~ a", offset: 0, contains: "missing response")
        assertError("y ~ a ++ b", offset: 7, contains: "found '+'")
    }

    func testOtherErrorPositions() {
        assertError("y ~ foo(x)", offset: 4, contains: "unknown function 'foo'")
        assertError("y ~ x + 2", offset: 8, contains: "only 0 or 1")
        assertError("y ~ a b", offset: 6, contains: "unexpected 'b'")
        assertError("y ~ x | g", offset: 6, contains: "parentheses")
        assertError("y ~ a:(1|g)", offset: 6, contains: "random-effect term")
        assertError("y ~ (1|log(g))", offset: 7, contains: "grouping factor")
        assertError("y ~ log(x, 2)", offset: 4, contains: "one argument")
        assertError("y ~ a %in% b", offset: 6, contains: "'%in%'")
        assertError("y ~ a)", offset: 5, contains: "unmatched ')'")
        assertError("y ~ ", offset: 4, contains: "after '~'")
        assertError("y", offset: 1, contains: "'~'")
        assertError("y ~ a ~ b", offset: 6, contains: "second '~'")
        assertError("y ~ `a", offset: 4, contains: "backtick")
        assertError("y ~ (0|g)", offset: 5, contains: "no intercept and no variables")
        assertError("y ~ I(a:b)", offset: 7, contains: "':'")
        assertError("y ~ (a+b)^x", offset: 10, contains: "whole number")
        assertError("y ~ a + ()", offset: 9, contains: "empty parentheses")
    }

    func testErrorDescriptionShowsCaret() {
        let e = FormulaError(formula: "y ~ a ++ b", offset: 7, message: "expected a term, found '+'")
        let lines = e.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].contains("expected a term"))
        XCTAssertEqual(lines[1], "  y ~ a ++ b")
        XCTAssertEqual(lines[2], "  " + String(repeating: " ", count: 7) + "^")
        // The caret sits under the offending character.
        let caret = lines[2].firstIndex(of: "^")!
        let offendingIndex = lines[1].index(lines[1].startIndex, offsetBy: lines[2].distance(from: lines[2].startIndex, to: caret))
        XCTAssertEqual(lines[1][offendingIndex], "+")
    }
}
