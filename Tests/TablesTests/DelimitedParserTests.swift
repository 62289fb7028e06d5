import Tables
import XCTest

/// The one table reader's rules (`TablesModule`).
final class DelimitedParserTests: XCTestCase {
    /// Records of `text` as (line, fields), read with the detected separator unless one is given.
    private func read(_ text: String, separator: FieldSeparator? = nil, quoting: Quoting? = nil) throws -> [(Int, [String])] {
        var bytes = Array(text.utf8)
        var out: [(Int, [String])] = []
        try bytes.withUnsafeMutableBufferPointer { buf in
            guard let p = buf.baseAddress else { return }
            let first = DelimitedParser.bodyStart(p, count: buf.count)
            let sep = separator ?? FieldSeparator.detect(buf[first...])
            var parser = DelimitedParser(p, count: buf.count, from: first, separator: sep, quoting: quoting ?? .standard(for: sep))
            try parser.run { r in out.append((r.line, (0..<r.count).map(r.string))) }
        }
        return out
    }

    func testSeparatorDetection() {
        XCTAssertEqual(FieldSeparator.detect(Array("a\tb,c\n".utf8)), .tab)
        XCTAssertEqual(FieldSeparator.detect(Array("a;b;c,d\n".utf8)), .semicolon, "most frequent wins")
        XCTAssertEqual(FieldSeparator.detect(Array("\"x,y\"\tz\n".utf8)), .tab, "quoted commas do not count")
        XCTAssertEqual(FieldSeparator.detect(Array("\n\nword  rt\n".utf8)), .whitespace)
    }

    func testQuotingInCommaAndTabSeparatedText() throws {
        let csv = try read("a,b\n1,\"x, \"\"y\"\"\nz\"\n  \"q\"  ,2\r\n")
        XCTAssertEqual(csv.map(\.0), [1, 2, 4])
        XCTAssertEqual(csv[1].1, ["1", "x, \"y\"\nz"])
        XCTAssertEqual(csv[2].1, ["q", "2"], "blanks around a quoted field are dropped")
        // Tab-separated text is quoted the same way (rtpipe's own word tables are written so).
        XCTAssertEqual(try read("w\tn\n\"\"\"Ah\"\t3\n")[1].1, ["\"Ah", "3"])
        // A format with literal quotes reads them as characters.
        XCTAssertEqual(try read("w\tn\n\"Ah\t3\n", quoting: Quoting.none)[1].1, ["\"Ah", "3"])
    }

    func testTextAfterAClosingQuoteIsAnErrorWithItsColumn() {
        XCTAssertThrowsError(try read("a,b\n1,\"x\"y\n")) { error in
            XCTAssertEqual(error as? TableError, .textAfterQuote(line: 2, column: 6))
        }
        XCTAssertThrowsError(try read("a,b\n1,\"x\n")) { error in
            XCTAssertEqual(error as? TableError, .unterminatedQuote(line: 2))
        }
    }

    func testWhitespaceSeparatedTextAndLineEnds() throws {
        let rows = try read("\u{FEFF}w  rt\n\n\"Ah   310\r\nok\t\t295\r")
        XCTAssertEqual(rows.map(\.0), [1, 3, 4])
        XCTAssertEqual(rows.map(\.1), [["w", "rt"], ["\"Ah", "310"], ["ok", "295"]], "a CR at the end is a line end")
    }

    func testOneSetOfMissingMarkers() {
        for token in ["", " NA ", ".", "NaN", "nan", "N/A", "NULL", "#N/A", "#VALUE!", "#DIV/0!"] {
            XCTAssertTrue(MissingValue.isMissing(token), token)
            let bytes = Array(token.utf8) + [0]
            XCTAssertTrue(bytes.withUnsafeBufferPointer { MissingValue.isMissing($0.baseAddress!, 0, bytes.count - 1) }, token)
        }
        for value in ["0", "NAN", "N A", "#", "word", "#N/A!"] {
            XCTAssertFalse(MissingValue.isMissing(value), value)
            let bytes = Array(value.utf8) + [0]
            XCTAssertFalse(bytes.withUnsafeBufferPointer { MissingValue.isMissing($0.baseAddress!, 0, bytes.count - 1) }, value)
        }
    }

    func testNumberSyntax() {
        XCTAssertEqual(DecimalNumber.parse(" -1e-3 "), -0.001)
        XCTAssertEqual(DecimalNumber.parse("Inf"), .infinity)
        for bad in ["0x10", "1,5", "nan", "1e"] { XCTAssertNil(DecimalNumber.parse(bad), bad) }
    }
}
