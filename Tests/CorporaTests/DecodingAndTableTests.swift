import XCTest
@testable import Corpora

/// Encodings (UTF-8, Latin-1, cp1252) and the table reader's errors: each names file, line and
/// (where it applies) column.
final class DecodingAndTableTests: XCTestCase {
    func testEncodings() throws {
        let latin = Fixture.latin1("caf\u{E9} na\u{EF}ve\n")
        XCTAssertEqual(try TextDecoding.decode(Data(latin), file: "x", encoding: .latin1).text, "café naïve\n")
        // auto: not valid UTF-8, so cp1252 (which agrees with Latin-1 here).
        let auto = try TextDecoding.decode(Data(latin), file: "x")
        XCTAssertEqual(auto.text, "café naïve\n"); XCTAssertEqual(auto.encoding, .cp1252)
        // cp1252's curly quotes and dash.
        XCTAssertEqual(try TextDecoding.decode(Data([0x93, 0x68, 0x69, 0x94, 0x20, 0x96, 0x20, 0x92]), file: "x", encoding: .cp1252).text, "\u{201C}hi\u{201D} \u{2013} \u{2019}")
        // UTF-8 with a byte-order mark.
        XCTAssertEqual(try TextDecoding.decode(Data([0xEF, 0xBB, 0xBF] + Array("héllo".utf8)), file: "x").text, "héllo")
        // UTF-16 with a byte-order mark.
        XCTAssertEqual(try TextDecoding.decode("word\tzone\n".data(using: .utf16)!, file: "x").text, "word\tzone\n")
        XCTAssertEqual(TextEncoding(name: "ISO-8859-1"), .latin1)
        XCTAssertEqual(TextEncoding(name: "windows-1252"), .cp1252)
    }

    func testWrongEncodingNamesLineAndColumn() {
        var bytes = Array("word\tzone\nok\t1\n".utf8)
        bytes += Fixture.latin1("caf\u{E9}\t2\n")
        assertCorpusError(["f.tsv:3:4:", "not valid UTF-8"]) { _ = try TextDecoding.decode(Data(bytes), file: "f.tsv", encoding: .utf8) }
        // A UTF-16 file without a byte-order mark (or a binary file) has NUL bytes.
        assertCorpusError(["g.tsv:1:2:", "NUL byte"]) { _ = try TextDecoding.decode(Data([0x77, 0x00, 0x6F, 0x00]), file: "g.tsv") }
    }

    func testMissingFile() {
        assertCorpusError(["/no/such/file.tsv", "file not found"]) { _ = try TextDecoding.read(path: "/no/such/file.tsv") }
    }

    func testTruncatedRowNamesFileAndLine() throws {
        let t = try DelimitedFile(file: "rts.tsv", text: "WorkerId\titem\tzone\tRT\nA\t1\t1\t300\nA\t1\t2\n")
        assertCorpusError(["rts.tsv:3:", "truncated row", "expected 4 fields", "found 3"]) { try t.forEachRow { _ in } }
    }

    func testMissingColumnListsTheHeader() throws {
        let t = try DelimitedFile(file: "rts.tsv", text: "WorkerId\titem\tzone\nA\t1\t1\n")
        assertCorpusError(["rts.tsv:1:", "missing column 'RT'", "'WorkerId', 'item', 'zone'"]) { _ = try t.requireColumn("RT") }
    }

    func testNonNumericValueNamesColumn() throws {
        let t = try DelimitedFile(file: "rts.tsv", text: "item\tRT\n1\t300\n1\tfast\n")
        let c = try t.requireColumn("RT")
        assertCorpusError(["rts.tsv:3:2:", "column 'RT'", "'fast'"]) { try t.forEachRow { _ = try $0.double(c) } }
    }

    func testMissingTokensAreNilNotZero() throws {
        let t = try DelimitedFile(file: "m.csv", text: "a,b,c,d,e\n.,NA,,0,12.5\n")
        try t.forEachRow { row in
            XCTAssertNil(try row.double(0)); XCTAssertNil(try row.double(1)); XCTAssertNil(try row.double(2))
            XCTAssertEqual(try row.double(3), 0); XCTAssertEqual(try row.double(4), 12.5)
        }
    }

    func testQuotedCSVFieldsAndUnquotedTSV() throws {
        let csv = try DelimitedFile(file: "q.csv", text: "word,rt\n\"N. Y., \"\"City\"\"\",300\n\"two\nlines\",5\nlast,1\n")
        var rows: [TableRow] = []
        try csv.forEachRow { rows.append($0) }
        XCTAssertEqual(rows.map { $0.fields[0] }, ["N. Y., \"City\"", "two\nlines", "last"])
        XCTAssertEqual(rows.map(\.line), [2, 3, 5])
        // TSV is quoted the same way (rtpipe's own word tables are written so) …
        let quoted = try DelimitedFile(file: "q.tsv", text: "word\tzone\n\"\"\"Ah\"\t1\n")
        try quoted.forEachRow { XCTAssertEqual($0.fields[0], "\"Ah") }
        // … unless the format's files hold literal quotes (words like "Ah keep their quote).
        let tsv = try DelimitedFile(file: "q.tsv", text: "word\tzone\n\"Ah\t1\n", quoting: false)
        try tsv.forEachRow { XCTAssertEqual($0.fields[0], "\"Ah") }
        assertCorpusError(["u.csv:2:", "never closed"]) {
            try DelimitedFile(file: "u.csv", text: "a,b\n\"open,1\n").forEachRow { _ in }
        }
        assertCorpusError(["x.csv:2:6:", "after a closing quote"]) {
            try DelimitedFile(file: "x.csv", text: "a,b\n1,\"x\"y\n").forEachRow { _ in }
        }
    }

    func testWhitespaceTablesAndBlankLines() throws {
        let t = try DelimitedFile(file: "tx.dat", text: "\n  The   1 1\r\n\ncafe 1   2\n", separator: .whitespace, hasHeader: false)
        var rows: [[String]] = []
        try t.forEachRow(expectedFields: 3) { rows.append($0.fields) }
        XCTAssertEqual(rows, [["The", "1", "1"], ["cafe", "1", "2"]])
        assertCorpusError(["empty"]) { _ = try DelimitedFile(file: "e.tsv", text: "\n \n") }
    }

    func testDuplicateHeaderIsAnError() {
        assertCorpusError(["d.tsv:1:", "'RT' appears twice"]) { _ = try DelimitedFile(file: "d.tsv", text: "RT\tRT\n1\t2\n") }
    }

    func testXLSXReading() throws {
        let dir = try Fixture.folder()
        let book = XLSXFixture.workbook([("Info", [["note"], ["x"]]), ("ALL", [["WORD_ID", "WORD", "N"], ["1-1-1", "Tom & Ann", "3"], ["1-1-2", "", "4.5"], [], ["1-1-3", "<end>"]])])
        let path = try Fixture.write(bytes: book, "b.xlsx", in: dir)
        let wb = try XLSXWorkbook(path: path)
        XCTAssertEqual(wb.sheetNames, ["Info", "ALL"])
        let sheet = try wb.sheet("ALL")
        XCTAssertEqual(sheet.header, ["WORD_ID", "WORD", "N"])
        var rows: [TableRow] = []
        try sheet.forEachRow { rows.append($0) }
        XCTAssertEqual(rows.map(\.fields), [["1-1-1", "Tom & Ann", "3"], ["1-1-2", "", "4.5"], ["1-1-3", "<end>", ""]])
        XCTAssertEqual(rows.map(\.line), [2, 3, 5])
        XCTAssertEqual(try rows[1].double(2), 4.5)
        // Inline strings too.
        let inline = try Fixture.write(bytes: XLSXFixture.workbook([("S", [["a", "b"], ["x y", "2"]])], inlineStrings: true), "i.xlsx", in: dir)
        var cells: [[String]] = []
        try XLSXWorkbook(path: inline).sheet().forEachRow { cells.append($0.fields) }
        XCTAssertEqual(cells, [["x y", "2"]])
        assertCorpusError(["no sheet named 'Nope'", "'Info', 'ALL'"]) { _ = try wb.sheet("Nope") }
        let notZip = try Fixture.write("hello", "n.xlsx", in: dir)
        assertCorpusError(["n.xlsx", "not a readable .xlsx"]) { _ = try XLSXWorkbook(path: notZip) }
    }
}
