import XCTest
@testable import Corpora

/// GECO with `.xlsx` fixtures of our own (and a CSV export): WORD_ID parsing, `.` and `#N/A`
/// for missing, and the repair of the corpus's shifted SENTENCE_ID column (from WORD_ID 1-41-87).
final class GECOReaderTests: XCTestCase {
    /// Part 1's sentences, correctly: [It was late] [She slept well] [Then] [rain fell] — then
    /// trial 41 as in the published file: from 1-41-87 on, every word carries the next word's
    /// id (the column slipped up one cell), so the part's last word is left with `#N/A`.
    /// Correct sentences there: 1-282 [84 85], 1-283 [86 87], 1-284 [88 89 90], 1-285 [91 92],
    /// 1-286 [93 94 95]. (Like the real material, WORD has no sentence-final punctuation.)
    static let material: [[String]] = [
        ["WORD_ID", "SENTENCE_ID", "WORD"],
        ["1-1-1", "1-1", "It"], ["1-1-2", "1-1", "was"], ["1-1-3", "1-1", "late"],
        ["1-1-4", "1-2", "She"], ["1-1-5", "1-9", "slept"], ["1-1-6", "1-2", "well"],          // 1-1-5: isolated wrong id
        ["1-2-1", "1-3", "Then"], ["1-2-2", "1-4", "rain"], ["1-2-3", "1-4", "fell"],
        ["1-41-84", "1-282", "a"], ["1-41-85", "1-282", "b"], ["1-41-86", "1-283", "c"],
        ["1-41-87", "1-284", "better"],                                                            // the known error
        ["1-41-88", "1-284", "d"], ["1-41-89", "1-284", "e"], ["1-41-90", "1-285", "f"],
        ["1-41-91", "1-285", "g"], ["1-41-92", "1-286", "h"], ["1-41-93", "1-286", "i"],
        ["1-41-94", "1-286", "j"], ["1-41-95", "#N/A", "k"],
        ["2-1-1", "2-1", "Yes,"], ["2-1-2", "#N/A", "indeed."],
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
        XCTAssertEqual(c.texts[0].content, "It was late She slept well Then rain fell a b c better d e f g h i j k")
        XCTAssertEqual(c.words.map(\.sourceID).prefix(3), ["1-1-1", "1-1-2", "1-1-3"])
        XCTAssertEqual(c.words.map(\.screen).prefix(7), [1, 1, 1, 1, 1, 1, 2])
        // Sentences after the repairs: [It was late] [She slept well] [Then] [rain fell] [a b] [c better] [d e f] [g h] [i j k]
        XCTAssertEqual(c.texts[0].sentences.map(\.count), [3, 3, 1, 2, 2, 2, 3, 2, 3])
        XCTAssertEqual(data.diagnostics.warningCount("SENTENCE_ID differs from both neighbouring words (corrected to theirs)"), 1)
        let shift = "SENTENCE_ID column shifted by one cell from WORD_ID 1-41-87 to the end of the part (GECO's known error; repaired)"
        XCTAssertEqual(data.diagnostics.warningCount(shift), 4)   // better, f, h and k changed sentence
        XCTAssertTrue(data.diagnostics.warnings.first { $0.category == shift }!.examples[0].contains("9 words realigned, 4 moved"))
        // #N/A is a missing value, never an id, and no message blames the known error for it.
        XCTAssertEqual(data.diagnostics.warningCount("word without SENTENCE_ID (took the previous word's)"), 1)   // 2-1-2 (part 2)
        XCTAssertEqual(c.texts[1].sentences.map(\.count), [2])
        XCTAssertFalse(data.diagnostics.lines.contains { $0.contains("#N/A") && $0.contains("1-41-87") })
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

    /// Without the known start, a part whose last word has no id of its own is reported and left
    /// as it is; a corrected material (last word with its own id) is not touched.
    func testShiftSignatureWithoutKnownStart() {
        var d = Diagnostics()
        let keys = SentenceIDRepair.sentenceKeys(part: 3, ids: ["3-1-1", "3-1-2", "3-1-3"], sentenceIDs: ["3-1", "3-2", nil], diagnostics: &d)
        XCTAssertEqual(keys, [0, 1, 1])
        XCTAssertEqual(d.warningCount("the part's last word has no SENTENCE_ID of its own (the column may be shifted by one cell; left as it is)"), 1)
        var clean = Diagnostics()
        let ids = ["1-41-86", "1-41-87", "1-41-88"]
        XCTAssertEqual(SentenceIDRepair.sentenceKeys(part: 1, ids: ids, sentenceIDs: ["1-283", "1-283", "1-284"], diagnostics: &clean), [0, 0, 1])
        XCTAssertEqual(clean.totalWarnings, 0)
        // The last word carrying the next part's id is the same signature.
        var next = Diagnostics()
        XCTAssertEqual(SentenceIDRepair.sentenceKeys(part: 1, ids: ids, sentenceIDs: ["1-283", "1-284", "2-1"], diagnostics: &next), [0, 0, 1])
        XCTAssertEqual(next.totalWarnings, 2)   // 1-41-87 and 1-41-88 moved
    }
}
