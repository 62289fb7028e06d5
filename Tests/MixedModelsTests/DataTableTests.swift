import Foundation
import XCTest
@testable import MixedModels

final class DataTableTests: XCTestCase {
    func testCommaSeparatedWithQuotesAndLineNumbers() throws {
        let text = #"""
        "id","name",score
        1,"Smith, J.",3.5
        2,"say ""hi""",4

        3,"two
        lines",-1e2
        """#
        let t = try DataTable(text: text, sourceName: "scores.csv")
        XCTAssertEqual(t.columnNames, ["id", "name", "score"])
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(try t.textColumn("name"), ["Smith, J.", "say \"hi\"", "two\nlines"])
        XCTAssertEqual(try t.numericColumn("score"), [3.5, 4, -100])
        // Blank line 4 is skipped; the record starting on line 5 keeps its line number.
        XCTAssertEqual((0..<3).map { t.lineNumber(ofRow: $0) }, [2, 3, 5])
        XCTAssertEqual(t.sourceName, "scores.csv")
        XCTAssertEqual(t.columnNumber(of: "score"), 3)
        XCTAssertNil(t.columnNumber(of: "nope"))
    }

    func testDelimiterDetectionAndCRLF() throws {
        let tsv = try DataTable(text: "a\tb\r\n1\tx,y\r\n2\tz;w\r\n")
        XCTAssertEqual(tsv.columnNames, ["a", "b"])
        XCTAssertEqual(try tsv.textColumn("b"), ["x,y", "z;w"])
        XCTAssertEqual(try tsv.numericColumn("a"), [1, 2])

        let semi = try DataTable(text: "a;b;c\n1,5;2;3\n")
        XCTAssertEqual(semi.columnNames, ["a", "b", "c"])
        XCTAssertEqual(try semi.textColumn("a"), ["1,5"])
        XCTAssertFalse(semi.isNumeric("a"))   // decimal comma is not a number
        XCTAssertTrue(semi.isNumeric("b"))

        // A comma inside a quoted header name does not count.
        let quotedHeader = try DataTable(text: "\"x,y\"\tz\n1\t2\n")
        XCTAssertEqual(quotedHeader.columnNames, ["x,y", "z"])
    }

    func testMissingValues() throws {
        let t = try DataTable(text: "x,y\n1,a\nNA,\n.,b\nNaN, NA \n5,\"\"\n")
        XCTAssertEqual(try t.numericColumn("x"), [1, nil, nil, nil, 5])
        XCTAssertEqual(try t.textColumn("y"), ["a", nil, "b", nil, nil])
        XCTAssertTrue(t.isNumeric("x"))
        XCTAssertFalse(t.isNumeric("y"))
        XCTAssertFalse(t.isNumeric("missing column"))
        XCTAssertNil(try t.value(row: 1, column: "x"))
        XCTAssertEqual(try t.value(row: 0, column: "y"), "a")
    }

    func testNonNumericErrorNamesFirstBadValue() throws {
        let t = try DataTable(text: "a,b,rt\n1,x,300\n2,y,31O\n3,z,oops\n", sourceName: "rt.csv")
        XCTAssertThrowsError(try t.numericColumn("rt")) { error in
            XCTAssertEqual(error as? DataError,
                           .nonNumeric(file: "rt.csv", line: 3, column: "rt", columnNumber: 3, value: "31O"))
            let message = String(describing: error)
            XCTAssertTrue(message.contains("rt.csv:3"), message)
            XCTAssertTrue(message.contains("'31O'"), message)
            XCTAssertTrue(message.contains("column 3"), message)
        }
        XCTAssertThrowsError(try t.numericColumn("b")) { error in
            XCTAssertEqual(error as? DataError,
                           .nonNumeric(file: "rt.csv", line: 2, column: "b", columnNumber: 2, value: "x"))
        }
    }

    func testNumberSyntax() {
        for good in ["1", "-2.5", "+3", ".5", "5.", "1e-3", "2E+10", " 7 ", "Inf", "-Inf"] {
            XCTAssertNotNil(DataTable.parseNumber(good), good)
        }
        for bad in ["", "abc", "1,5", "0x10", "1e", "e5", "--1", "1.2.3", "nan", "1 2", "."] {
            XCTAssertNil(DataTable.parseNumber(bad), bad)
        }
        XCTAssertEqual(DataTable.parseNumber("-1e-3"), -0.001)
    }

    func testStructuralErrors() {
        XCTAssertThrowsError(try DataTable(text: "a,b\n1,2\n3\n", sourceName: "f.csv")) { error in
            XCTAssertEqual(error as? DataError, .raggedRow(file: "f.csv", line: 3, expected: 2, got: 1))
            XCTAssertTrue(String(describing: error).contains("f.csv:3"))
        }
        XCTAssertThrowsError(try DataTable(text: "a,b\n1,2\n3,\"abc\n4,5\n", sourceName: "f.csv")) { error in
            XCTAssertEqual(error as? DataError, .unterminatedQuote(file: "f.csv", line: 3))
        }
        XCTAssertThrowsError(try DataTable(text: "\n\n", sourceName: "e.csv")) { error in
            XCTAssertEqual(error as? DataError, .emptyFile(file: "e.csv"))
        }
        XCTAssertThrowsError(try DataTable(text: "a,b,a\n1,2,3\n", sourceName: "d.csv")) { error in
            XCTAssertEqual(error as? DataError, .duplicateColumn(file: "d.csv", name: "a"))
        }
        let t = try? DataTable(text: "a,b\n1,2\n")
        XCTAssertThrowsError(try t?.textColumn("c")) { error in
            XCTAssertEqual(error as? DataError, .unknownColumn(name: "c", available: ["a", "b"]))
            XCTAssertTrue(String(describing: error).contains("'a', 'b'"))
        }
    }

    func testHeaderOnlyAndNoTrailingNewline() throws {
        let header = try DataTable(text: "x,y")
        XCTAssertEqual(header.rowCount, 0)
        XCTAssertEqual(header.columnNames, ["x", "y"])
        let last = try DataTable(text: "\u{FEFF}x,y\n1,2")
        XCTAssertEqual(last.columnNames, ["x", "y"])
        XCTAssertEqual(try last.numericColumn("y"), [2])
    }

    func testColumnsInitializer() throws {
        let t = DataTable(columns: [("g", ["a", "b", nil]), ("x", ["1", "NA", "3"])], sourceName: "built")
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(try t.numericColumn("x"), [1, nil, 3])
        XCTAssertEqual(try t.textColumn("g"), ["a", "b", nil])
        XCTAssertEqual(t.lineNumber(ofRow: 0), 2)
        XCTAssertTrue(t.hasColumn("g"))
        XCTAssertFalse(t.hasColumn("G"))
    }

    func testLoadFromFile() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("datatable-test-\(ProcessInfo.processInfo.processIdentifier).tsv")
        try "subj\trt\ns1\t312\ns2\tNA\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let t = try DataTable.load(path: url.path)
        XCTAssertEqual(t.sourceName, url.path)
        XCTAssertEqual(try t.numericColumn("rt"), [312, nil])

        XCTAssertThrowsError(try DataTable.load(path: "/nonexistent/dir/file.csv")) { error in
            guard case .cannotRead(let file, _)? = error as? DataError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(file, "/nonexistent/dir/file.csv")
        }
    }

    func testRNumberFormatting() {
        XCTAssertEqual(rNumberString(1), "1")
        XCTAssertEqual(rNumberString(2.5), "2.5")
        XCTAssertEqual(rNumberString(308), "308")
        XCTAssertEqual(rNumberString(-0.25), "-0.25")
        XCTAssertEqual(rNumberString(100000), "1e+05")
        XCTAssertEqual(rNumberString(123456), "123456")
        XCTAssertEqual(rNumberString(0.0001), "1e-04")
        XCTAssertEqual(rNumberString(0.001), "0.001")
        XCTAssertEqual(rNumberString(0.1 + 0.2), "0.3")
        XCTAssertEqual(rNumberString(1.0 / 3.0), "0.333333333333333")
    }

    func testRCollationOrder() {
        let sorted = ["b", "B", "A", "a", "c10", "c9", "ab"].sorted(by: rCollationLess)
        XCTAssertEqual(sorted, ["a", "A", "ab", "b", "B", "c10", "c9"])
    }
}
