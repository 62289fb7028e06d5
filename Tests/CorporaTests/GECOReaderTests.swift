import XCTest
@testable import Corpora

/// GECO with `.xlsx` fixtures of our own (and a CSV export): WORD_ID parsing, `.` for missing,
/// and the repair of wrong SENTENCE_IDs like the corpus's known error at 1-41-87.
final class GECOReaderTests: XCTestCase {
    static let material: [[String]] = [
        ["WORD_ID", "SENTENCE_ID", "WORD"],
        ["1-1-1", "1-1", "It"], ["1-1-2", "1-1", "was"], ["1-1-3", "1-1", "late."],
        ["1-1-4", "1-2", "She"], ["1-1-5", "1-9", "slept"], ["1-1-6", "1-2", "well."],          // 1-1-5: isolated wrong id
        ["1-2-1", "1-3", "Then"], ["1-2-2", "1-3", "rain"], ["1-2-3", "1-4", "fell."],           // boundary one word early
        ["1-2-4", "1-4", "Good"], ["1-2-5", "1-4", "night."],
        ["2-1-1", "2-1", "Yes,"], ["2-1-2", "2-1", "indeed."],
    ]
    static let dataHeader = ["PP_NR", "PART", "TRIAL", "WORD_ID", "WORD", "WORD_FIRST_FIXATION_DURATION", "WORD_GAZE_DURATION",
                             "WORD_GO_PAST_TIME", "WORD_TOTAL_READING_TIME", "WORD_SKIP"]
    static let dataRows: [[String]] = [
        ["pp01", "1", "1", "1-1-1", "It", "180", "180", "180", "180", "0"],
        ["pp01", "1", "1", "1-1-2", "was", ".", ".", ".", "0", "1"],
        ["pp01", "1", "1", "1-1-3", "late.", "200", "350", "420", "350", "0"],
        ["pp02", "1", "1", "1-1-1", "It", "170", "170", "170", "210", "0"],
        ["pp02", "2", "1", "2-1-2", "indeed.", "230", "230", "230", "230", "0"],
        ["pp02", "1", "9", "1-9-9", "ghost", "100", "100", "100", "100", "0"],
    ]

    func testXLSX() throws {
        let dir = try Fixture.folder()
        try Fixture.write(bytes: XLSXFixture.workbook([("README", [["about"], ["made for tests"]]), ("ALL", Self.material)]), "EnglishMaterial.xlsx", in: dir)
        try Fixture.write(bytes: XLSXFixture.workbook([("DATA", [Self.dataHeader] + Self.dataRows)]), "MonolingualReadingData.xlsx", in: dir)
        let data = try GECOReader.load(path: dir)
        let c = data.corpus
        XCTAssertEqual(c.texts.map(\.id), ["1", "2"])
        XCTAssertEqual(c.texts[0].content, "It was late. She slept well. Then rain fell. Good night.")
        XCTAssertEqual(c.words.map(\.sourceID).prefix(3), ["1-1-1", "1-1-2", "1-1-3"])
        XCTAssertEqual(c.words.map(\.screen).prefix(7), [1, 1, 1, 1, 1, 1, 2])
        // Sentences after the repairs: [It was late.] [She slept well.] [Then rain fell.] [Good night.]
        XCTAssertEqual(c.texts[0].sentences.map(\.count), [3, 3, 3, 2])
        XCTAssertEqual(data.diagnostics.warningCount("SENTENCE_ID differs from both neighbouring words (corrected; GECO's known error at 1-41-87)"), 1)
        XCTAssertEqual(data.diagnostics.warningCount("sentence boundary one word early (moved after the word with final punctuation)"), 1)
        XCTAssertEqual(data.diagnostics.warningCount("reading-data row for a WORD_ID not in the material (set aside)"), 1)
        XCTAssertEqual(value(data, .gazeDuration, subject: "pp01", text: "1", position: 3), 350)
        XCTAssertEqual(value(data, .gazeDuration, subject: "pp01", text: "1", position: 2), .some(nil))
        XCTAssertEqual(value(data, .totalTime, subject: "pp01", text: "1", position: 2), 0)
        XCTAssertEqual(value(data, .skip, subject: "pp01", text: "1", position: 2), 1)
        XCTAssertEqual(value(data, .totalTime, subject: "pp02", text: "2", position: 2), 230)
        XCTAssertEqual(data.measurements.count, 5)
    }

    func testCSVExportWithoutMaterial() throws {
        let dir = try Fixture.folder()
        let csv = ([Self.dataHeader] + Self.dataRows.prefix(5)).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try Fixture.write(csv, "MonolingualReadingData.csv", in: dir)
        let data = try GECOReader.load(path: dir)
        XCTAssertEqual(data.corpus.words.map(\.form), ["It", "was", "late.", "indeed."])
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("no EnglishMaterial file") })
        XCTAssertEqual(value(data, .firstFixation, subject: "pp02", text: "1", position: 1), 170)
    }

    func testMalformedGECO() throws {
        let dir = try Fixture.folder()
        var rows = [Self.dataHeader] + Self.dataRows.prefix(2)
        rows[2][3] = "1-1"
        try Fixture.write(bytes: XLSXFixture.workbook([("DATA", rows)]), "MonolingualReadingData.xlsx", in: dir)
        assertCorpusError(["MonolingualReadingData.xlsx[DATA]:3:4:", "WORD_ID '1-1'"]) { _ = try GECOReader.load(path: dir) }
        try Fixture.write(bytes: XLSXFixture.workbook([("DATA", [["PP_NR", "WORD"], ["pp01", "It"]])]), "MonolingualReadingData.xlsx", in: dir)
        assertCorpusError(["[DATA]:1:", "missing column 'WORD_ID'"]) { _ = try GECOReader.load(path: dir) }
        let empty = try Fixture.folder()
        assertCorpusError(["no GECO reading data found"]) { _ = try GECOReader.load(path: empty) }
    }
}
