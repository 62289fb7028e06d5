import XCTest
@testable import Corpora

/// Provo with a Latin-1 fixture of our own covering its quirks: missing first words, a gap
/// inside text 3, a mangled `Word` column, `.` for missing, and non-progressive first runs.
final class ProvoReaderTests: XCTestCase {
    static let header = "Participant_ID,Text_ID,Word_Number,Sentence_Number,Word_In_Sentence_Number,Word,Word_Cleaned,Word_Length,IA_LABEL,IA_FIRST_FIXATION_DURATION,IA_FIRST_RUN_DWELL_TIME,IA_DWELL_TIME,IA_REGRESSION_PATH_DURATION,IA_SKIP,IA_FIRST_FIX_PROGRESSIVE"

    func makeFile() throws -> String {
        let rows = [
            "Sub1,1,2,1,2,cat,cat,3,cat,200,200,200,200,0,1",
            "Sub1,1,3,1,3,sat,sat,3,sat,.,.,0,.,1,.",
            "Sub1,1,4,1,4,na?ve,naive,5,na\u{EF}ve,210,400,400,500,0,1",
            "Sub1,1,5,1,5,dog.,dog,3,dog.,180,180,180,180,0,0",
            "Sub1,3,2,1,2,One,one,3,One,150,150,150,150,0,1",
            "Sub1,3,3,1,3,two.,two,3,two.,160,160,160,160,0,1",
            "Sub1,3,4,2,1,Three,three,5,Three,170,170,170,170,0,1",
            "Sub1,3,6,2,3,five.,five,4,five.,190,190,190,190,0,1",
            "Sub2,1,2,1,2,cat,cat,3,cat,220,240,240,300,0,1",
            "Sub2,1,3,1,3,sat,sat,3,sat,230,230,230,230,0,1",
        ]
        let dir = try Fixture.folder()
        try Fixture.write(bytes: Fixture.latin1(([Self.header] + rows).joined(separator: "\r\n") + "\r\n"), ProvoReader.fileName, in: dir)
        return dir
    }

    func testQuirks() throws {
        let data = try ProvoReader.load(path: try makeFile())
        let c = data.corpus
        XCTAssertEqual(c.texts.map(\.id), ["1", "3"])
        // IA_LABEL, decoded from Latin-1, not the mangled Word column.
        XCTAssertEqual(c.texts[0].content, "cat sat naïve dog.")
        XCTAssertEqual(c.words.map(\.positionInText), [2, 3, 4, 5, 2, 3, 4, 6])
        XCTAssertEqual(c.words.filter { $0.text == 1 }.map(\.sentence), [1, 1, 2, 2])
        XCTAssertEqual(data.diagnostics.warningCount("text has no word at its first position(s)"), 2)
        XCTAssertEqual(data.diagnostics.warningCount("positions absent inside a text"), 1)
        XCTAssertTrue(data.diagnostics.warnings.first { $0.category == "positions absent inside a text" }!.examples[0].contains("text 3"))
        // '.' is missing, 0 is a value.
        XCTAssertEqual(value(data, .firstFixation, subject: "Sub1", text: "1", position: 3), .some(nil))
        XCTAssertEqual(value(data, .totalTime, subject: "Sub1", text: "1", position: 3), 0)
        XCTAssertEqual(value(data, .gazeDuration, subject: "Sub1", text: "1", position: 4), 400)
        XCTAssertEqual(value(data, .goPast, subject: "Sub1", text: "1", position: 4), 500)
        // Not progressive: first-pass measures missing, skip 1, total time kept.
        XCTAssertEqual(value(data, .gazeDuration, subject: "Sub1", text: "1", position: 5), .some(nil))
        XCTAssertEqual(value(data, .skip, subject: "Sub1", text: "1", position: 5), 1)
        XCTAssertEqual(value(data, .totalTime, subject: "Sub1", text: "1", position: 5), 180)
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("1 rows with IA_FIRST_FIX_PROGRESSIVE = 0") })
        XCTAssertEqual(data.measurements.count, 10)
        XCTAssertEqual(data.measurements.subjects, ["Sub1", "Sub2"])
    }

    func testMalformedProvo() throws {
        let dir = try Fixture.folder()
        try Fixture.write(Self.header + "\nSub1,1,2,1,2,cat,cat,3,cat,200,200,200,200,0,1\nSub1,1,x,1,2,cat,cat,3,cat,200,200,200,200,0,1\n", ProvoReader.fileName, in: dir)
        assertCorpusError(["Provo_Corpus-Eyetracking_Data.csv:3:3:", "'Word_Number'", "'x'"]) { _ = try ProvoReader.load(path: dir) }
        try Fixture.write(Self.header + "\nSub1,1,2,1,2,cat,cat,3,cat,200,200\n", ProvoReader.fileName, in: dir)
        assertCorpusError([":2:", "truncated row"]) { _ = try ProvoReader.load(path: dir) }
        try Fixture.write("Participant_ID,Text_ID,IA_LABEL\nSub1,1,cat\n", ProvoReader.fileName, in: dir)
        assertCorpusError([":1:", "missing column 'Word_Number'"]) { _ = try ProvoReader.load(path: dir) }
        // Repeated rows are counted, the first kept.
        try Fixture.write(Self.header + "\nSub1,1,2,1,2,cat,cat,3,cat,200,200,200,200,0,1\nSub1,1,2,1,2,cat,cat,3,cat,999,999,999,999,0,1\n", ProvoReader.fileName, in: dir)
        let data = try ProvoReader.load(path: dir)
        XCTAssertEqual(data.diagnostics.warningCount("repeated subject × word row (first kept)"), 1)
        XCTAssertEqual(value(data, .gazeDuration, subject: "Sub1", text: "1", position: 2), 200)
    }
}
