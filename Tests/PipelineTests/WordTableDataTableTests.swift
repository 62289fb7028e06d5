import Corpora
import MixedModels
import XCTest

@testable import Pipeline

/// The regression stage hands the word table over in memory: the same table as writing its
/// TSV and reading that back.
final class WordTableDataTableTests: XCTestCase {
    func testInMemoryTableEqualsTheTSVRoundTrip() throws {
        let words = WordTable(
            header: ["word", " rt ", "surprisal", "subject"],
            rows: [
                ["\"Ah", "312", "7.25", "s1"],
                ["a\tb", "NA", "NA", "s1"],
                ["say \"hi\"", "1e3", "0.1", "s2"],
                ["  spaced ", "#N/A", "3", "s2"],
                ["", "295", "-0", "s3"],
            ])
        let viaText = try DataTable(text: words.tsv(), sourceName: "t")
        let inMemory = try DataTable(words, sourceName: "t")
        XCTAssertEqual(inMemory.columnNames, viaText.columnNames)
        XCTAssertEqual(inMemory.rowCount, viaText.rowCount)
        for name in viaText.columnNames {
            XCTAssertEqual(try inMemory.textColumn(name), try viaText.textColumn(name), name)
            XCTAssertEqual(inMemory.isNumeric(name), viaText.isNumeric(name), name)
            if viaText.isNumeric(name) {
                XCTAssertEqual(
                    try inMemory.numericColumn(name).map { $0?.bitPattern },
                    try viaText.numericColumn(name).map { $0?.bitPattern }, name)
            }
        }
    }

    func testDuplicateAndRaggedColumnsAreErrorsNotCrashes() {
        XCTAssertThrowsError(try DataTable(WordTable(header: ["rt", "rt"], rows: [["1", "2"]]), sourceName: "t")) { error in
            XCTAssertEqual(error as? DataError, .duplicateColumn(file: "t", name: "rt"))
        }
        XCTAssertThrowsError(try DataTable(WordTable(header: ["rt", "x"], rows: [["1"]]), sourceName: "t")) { error in
            XCTAssertEqual(error as? DataError, .raggedRow(file: "t", line: 2, expected: 2, got: 1))
        }
    }
}
