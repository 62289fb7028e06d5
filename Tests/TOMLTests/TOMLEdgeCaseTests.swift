import XCTest
@testable import TOML

/// Issue 13, item 3: the corners of TOML that analysis files and `--config` may reach.
final class TOMLEdgeCaseTests: XCTestCase {
    func string(_ table: TOMLTable, _ key: String) -> String? {
        guard case .string(let s)? = table[key]?.value else { return nil }
        return s
    }

    func assertError(_ text: String, line: Int, _ fragment: String, file: StaticString = #filePath, sourceLine: UInt = #line) {
        XCTAssertThrowsError(try TOMLParser.parse(text, file: "e.toml"), file: file, line: sourceLine) { error in
            guard let e = error as? TOMLError else { return XCTFail("\(error)", file: file, line: sourceLine) }
            XCTAssertEqual(e.position.line, line, e.description, file: file, line: sourceLine)
            XCTAssertTrue(e.message.contains(fragment), e.message, file: file, line: sourceLine)
        }
    }

    func testMultiLineStrings() throws {
        let t = try TOMLParser.parse(#"""
            a = """
            first
            second"""
            b = """one \
                # not a comment \
                two"""
            c = '''
            raw \n stays'''
            d = """quote "" inside"""
            after = 1
            """#)
        XCTAssertEqual(string(t, "a"), "first\nsecond")           // the newline after the opening quotes is trimmed
        XCTAssertEqual(string(t, "b"), "one # not a comment two")  // a line-ending backslash trims; '#' is text
        XCTAssertEqual(string(t, "c"), "raw \\n stays")             // literal: no escapes
        XCTAssertEqual(string(t, "d"), "quote \"\" inside")
        XCTAssertEqual(t.keyPositions["after"]?.line, 10)          // lines are counted inside strings
        assertError("x = 1\ns = \"\"\"never closed\n", line: 2, "unterminated multi-line string")
    }

    func testUnicodeEscapes() throws {
        let t = try TOMLParser.parse(#"a = "caf\u00E9 \U0001F600""#)
        XCTAssertEqual(string(t, "a"), "café 😀")
        assertError(#"a = "\uD800""#, line: 1, "invalid \\u escape")    // a surrogate is not a scalar
        assertError(#"a = "\u12""#, line: 1, "invalid \\u escape")      // too few digits
        assertError(#"a = "\x41""#, line: 1, "invalid escape")
    }

    func testTableRedefinition() throws {
        assertError("[a]\nx = 1\n[a]\ny = 2\n", line: 3, "defined twice")
        assertError("[a]\nx = 1\nx = 2\n", line: 3, "defined twice")
        assertError("a = { x = 1 }\n[a]\ny = 2\n", line: 2, "inline table")
        assertError("a = { x = 1 }\na.y = 2\n", line: 2, "inline table")
        assertError("a = [1, 2]\n[[a]]\n", line: 2, "array value")
        assertError("[[a]]\n[a]\n", line: 2, "array of tables")
        assertError("[a]\n[[a]]\n", line: 2, "not an array of tables")
        // A sub-table before its parent, and one sub-table per array element, are fine.
        let t = try TOMLParser.parse("[a.b]\nx = 1\n[a]\ny = 2\n[[m]]\n[m.s]\nk = 1\n[[m]]\n[m.s]\nk = 2\n")
        guard case .table(let a)? = t["a"]?.value, case .array(let m)? = t["m"]?.value else { return XCTFail("\(t)") }
        XCTAssertNotNil(a["b"])
        XCTAssertEqual(m.count, 2)
    }

    func testDottedKeys() throws {
        let t = try TOMLParser.parse("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n\"quoted.key\" = 1\n[fruit.apple.texture]\nsmooth = true\n")
        guard case .table(let fruit)? = t["fruit"]?.value, case .table(let apple)? = fruit["apple"]?.value else { return XCTFail("\(t)") }
        XCTAssertEqual(string(apple, "color"), "red")
        XCTAssertNotNil(apple["texture"])                         // a header may add a sub-table to a dotted table
        XCTAssertNotNil(fruit["quoted.key"])                     // a quoted key with a dot is one key
        assertError("[fruit]\napple.color = \"red\"\n[fruit.apple]\n", line: 3, "dotted keys")
        assertError("[a.b]\nx = 1\n[a]\nb.y = 2\n", line: 4, "has a header")
        assertError("a.b = 1\na.b.c = 2\n", line: 2, "already a value")
    }

    func testOptionsTableReadsTypedValuesWithPositions() throws {
        let o = try TOMLOptions.parse("[other]\nsteps = \"x\"\n[lm]\nsteps = 300\nkeep_case = true\nlr = 2e-3\nsizes = [5000, 8000]\nfusion = 5\n", section: "lm", file: "c.toml")
        XCTAssertEqual(try o.int("steps"), 300)
        XCTAssertEqual(try o.bool("keep-case"), true)                // dashes and underscores alike
        XCTAssertEqual(try o.double("lr"), 0.002)
        XCTAssertEqual(try o.ints("sizes"), [5000, 8000])
        XCTAssertNil(try o.string("text"))
        XCTAssertThrowsError(try o.string("fusion")) { XCTAssertTrue("\($0)".hasPrefix("c.toml:8:10: [lm] fusion must be a string"), "\($0)") }
        XCTAssertThrowsError(try o.rejectUnknownKeys(known: ["steps", "keep-case", "lr", "sizes"])) { XCTAssertTrue("\($0)".contains("c.toml:8:1: unknown key 'fusion'"), "\($0)") }
        XCTAssertNil(try TOMLOptions.parse("[x]\n", section: "lm").int("steps"))
    }
}
