import Foundation
import XCTest
@testable import Corpora

/// Damaged `.xlsx` workbooks, found by fuzzing (scripts/fuzz corpus-geco-xlsx): they must be
/// refused with a message naming the part, not crash the process or exhaust memory.
final class XLSXDamageTests: XCTestCase {
    static let workbookXML = #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DATA" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    static let relsXML = #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#

    /// A one-sheet workbook whose sheet XML is `sheet` (raw bytes).
    private func workbook(sheet: [UInt8]) throws -> String {
        let bytes = StoredZip.archive([("xl/workbook.xml", Array(Self.workbookXML.utf8)),
                                       ("xl/_rels/workbook.xml.rels", Array(Self.relsXML.utf8)),
                                       ("xl/worksheets/sheet1.xml", sheet)])
        return try Fixture.write(bytes: bytes, "book.xlsx", in: try Fixture.folder())
    }

    private func sheetXML(_ rows: String) -> [UInt8] {
        Array(#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8)
            + Array(rows.utf8) + Array("</sheetData></worksheet>".utf8)
    }

    func testAnIntactSheetReads() throws {
        let path = try workbook(sheet: sheetXML(#"<row r="1"><c r="A1" t="inlineStr"><is><t>w</t></is></c><c r="C1"><v>2</v></c></row><row r="2"><c r="B2"><v>7</v></c></row>"#))
        let sheet = try XLSXWorkbook(path: path).sheet()
        XCTAssertEqual(sheet.header, ["w", "", "2"])
        var rows: [[String]] = []
        try sheet.forEachRow(expectedFields: nil) { rows.append($0.fields) }
        XCTAssertEqual(rows, [["", "7", ""]])   // rows are padded to the header's width
    }

    /// An element name with a byte that is not UTF-8 (minimised crash input `<\xFFc>>`):
    /// Foundation's XMLParser trapped inside its start-element callback.
    func testInvalidUTF8InAPartIsRefusedWithItsPosition() throws {
        let path = try workbook(sheet: Array("<?xml version=\"1.0\"?>\n<worksheet><sheetData>\n  <".utf8) + [0xFF] + Array("c>>".utf8))
        assertCorpusError(["book.xlsx (xl/worksheets/sheet1.xml):3:4:", "0xFF", "not valid UTF-8"]) {
            _ = try XLSXWorkbook(path: path).sheet()
        }
    }

    /// A processing instruction without data inside a part (`<?xml?>` after the declaration; all
    /// six crash inputs of the 10-minute corpus-geco-xlsx run): Foundation's XMLParser called
    /// strlen on a null pointer. Refused with its position.
    func testProcessingInstructionsInsideAPartAreRefused() throws {
        let path = try workbook(sheet: Array("<?xml version=\"1.0\" standalone=\"yes\"?>\n<worksheet><?xml?><sheetData/></worksheet>".utf8))
        assertCorpusError(["book.xlsx (xl/worksheets/sheet1.xml):2:12:", "processing instruction"]) {
            _ = try XLSXWorkbook(path: path).sheet()
        }
    }

    /// Cell references beyond Excel's last column XFD: a long one overflowed the column number,
    /// a shorter one made the row an array of billions of empty cells.
    func testCellReferencesBeyondTheLastColumnAreRefused() throws {
        for reference in ["ZZZZZZZZ1", "AAAAAAAAAAAAAAAAAAAAAAAA1", "XFE1"] {
            let path = try workbook(sheet: sheetXML(#"<row r="1"><c r="A1"><v>1</v></c><c r="\#(reference)"><v>2</v></c></row>"#))
            assertCorpusError(["book.xlsx[DATA]", "row 1", "'\(reference)'", "XFD"]) { _ = try XLSXWorkbook(path: path).sheet() }
        }
        // The last column itself is fine.
        let path = try workbook(sheet: sheetXML(#"<row r="1"><c r="XFD1"><v>2</v></c></row>"#))
        XCTAssertEqual(try XLSXWorkbook(path: path).sheet().header.count, 16_384)
    }
}
