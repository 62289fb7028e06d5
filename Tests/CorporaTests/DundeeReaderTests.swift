import XCTest
@testable import Corpora

/// The Dundee layout with a fixture of our own: a Latin-1 text file and fixation files with a
/// refixation, skips, a regression into a skipped word, a blink, an off-screen sample and a
/// fixation on a word that does not exist.
final class DundeeReaderTests: XCTestCase {
    /// tx01wrdp.dat: 8 words on 2 lines of one screen (14 fields each).
    static let textRows = [
        "The 1 1 1 1 1 1 3 3 0 0 0 1 1",
        "caf\u{E9}, 1 1 1 2 2 5 5 4 1 0 1 2 1",
        "opened 1 1 1 3 3 11 6 6 0 0 0 3 1",
        "at 1 1 1 4 4 18 2 2 0 0 0 4 1",
        "nine. 1 1 1 5 5 21 5 4 1 0 1 5 1",
        "Nobody 1 1 2 1 6 1 6 6 0 0 0 6 1",
        "came 1 1 2 2 7 8 4 4 0 0 0 7 1",
        "in. 1 1 2 3 8 13 3 2 1 0 1 8 1",
    ]

    /// Reader sa's fixations in temporal order: `sa01ma1p.dat` (file lines 2–12 under the
    /// header). Columns WORD TEXT(screen) LINE OLEN WLEN XPOS WNUM FDUR OBLP WDLP LAUN TXFR.
    static let temporalRows = [
        "The 1 1 3 3 2 1 210 1 1 -99 1",          // line 2
        "caf\u{E9}, 1 1 5 4 6 2 180 1 1 4 1",     // line 3
        "caf\u{E9}, 1 1 5 4 8 2 90 3 3 2 1",      // line 4: refixation
        "*Blink 1 1 0 0 0 0 100 0 0 -99 0",       // line 5: blink
        "nine. 1 1 5 4 22 5 240 2 2 14 1",        // line 6: opened and at skipped
        "opened 1 1 6 6 12 3 160 2 2 -10 1",      // line 7: regression into a skipped word
        "Nobody 1 2 6 6 2 6 200 2 2 -10 1",       // line 8
        "*Off-screen 1 2 0 0 0 0 400 0 0 -99 0",  // line 9
        "came 1 2 4 4 9 7 150 2 2 7 1",           // line 10
        "ghost 1 2 5 5 30 42 120 1 1 21 1",       // line 11: WNUM 42 does not exist
        "in. 1 2 3 2 14 8 170 1 1 -16 1",         // line 12
    ]

    /// The same fixations as `sa01ma2p.dat`: word order (by WNUM), FXNO the temporal index,
    /// and a placeholder row (TEXT −99, FDUR 0) for the word never fixated ("at").
    static let wordOrderRows = [
        "*Blink 1 1 0 0 0 0 100 0 0 4 0",
        "*Off-screen 1 2 0 0 0 0 400 0 0 8 0",
        "The 1 1 3 3 2 1 210 1 1 1 1",
        "caf\u{E9}, 1 1 5 4 6 2 180 1 1 2 1",
        "caf\u{E9}, 1 1 5 4 8 2 90 3 3 3 1",
        "opened 1 1 6 6 12 3 160 2 2 6 1",
        "at -99 0 0 0 0 4 0 0 0 0 0",
        "nine. 1 1 5 4 22 5 240 2 2 5 1",
        "Nobody 1 2 6 6 2 6 200 2 2 7 1",
        "came 1 2 4 4 9 7 150 2 2 9 1",
        "in. 1 2 3 2 14 8 170 1 1 11 1",
        "ghost 1 2 5 5 30 42 120 1 1 10 1",
    ]

    static let temporalHeader = "WORD TEXT LINE OLEN WLEN XPOS WNUM FDUR OBLP WDLP LAUN TXFR"
    static let wordOrderHeader = "WORD TEXT LINE OLEN WLEN XPOS WNUM FDUR OBLP WDLP FXNO TXFR"

    func makeCorpus() throws -> String {
        let dir = try Fixture.folder()
        try Fixture.write(bytes: Fixture.latin1(Self.textRows.joined(separator: "\n") + "\n"), "tx01wrdp.dat", in: dir)
        // Reader sa has both variants.
        try Fixture.write(bytes: Fixture.latin1(([Self.temporalHeader] + Self.temporalRows).joined(separator: "\n") + "\n"), "sa01ma1p.dat", in: dir)
        try Fixture.write(bytes: Fixture.latin1(([Self.wordOrderHeader] + Self.wordOrderRows).joined(separator: "\n") + "\n"), "sa01ma2p.dat", in: dir)
        // Reader sb has only an ma1p file: The, then came (a long skip), then a regression to The.
        try Fixture.write("\(Self.temporalHeader)\nThe 1 1 3 3 2 1 250 1 1 -99 1\ncame 1 2 4 4 9 7 200 2 2 7 1\nThe 1 1 3 3 2 1 130 1 1 -7 1\n", "sb01ma1p.dat", in: dir)
        return dir
    }

    func testTextLayoutAndEncoding() throws {
        let data = try DundeeReader.load(path: try makeCorpus())
        let c = data.corpus
        XCTAssertEqual(c.texts.map(\.id), ["tx01"])
        XCTAssertEqual(c.words.map(\.form), ["The", "café,", "opened", "at", "nine.", "Nobody", "came", "in."])
        XCTAssertEqual(c.texts[0].content, "The café, opened at nine. Nobody came in.")
        XCTAssertEqual(c.words[1].characterRange, 4..<9)
        XCTAssertEqual(c.words.map(\.line), [1, 1, 1, 1, 1, 2, 2, 2])
        XCTAssertEqual(c.words.map(\.positionInLine), [1, 2, 3, 4, 5, 1, 2, 3])
        XCTAssertEqual(c.words.filter { $0.boundaries.contains(.firstInLine) }.map(\.form), ["The", "Nobody"])
        XCTAssertEqual(c.words.filter { $0.boundaries.contains(.lastInLine) }.map(\.form), ["nine.", "in."])
        XCTAssertEqual(c.sentenceCount, 2)
        XCTAssertEqual(data.measurements.subjects, ["sa", "sb"])
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("cp1252") })
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("1 reader × text pair(s) have both ma1p and ma2p files") })
        XCTAssertEqual(data.diagnostics.totalWarnings, 1)   // only the fixation on WNUM 42
    }

    func testMeasuresFromFixations() throws {
        let data = try DundeeReader.load(path: try makeCorpus())
        func v(_ m: Measure, _ s: String, _ p: Int) -> Double? { value(data, m, subject: s, text: "tx01", position: p)! }
        // sa — worked out from the fixation rows above.
        XCTAssertEqual(v(.firstFixation, "sa", 1), 210); XCTAssertEqual(v(.gazeDuration, "sa", 1), 210)
        XCTAssertEqual(v(.firstFixation, "sa", 2), 180); XCTAssertEqual(v(.gazeDuration, "sa", 2), 270)   // 180 + 90
        XCTAssertEqual(v(.goPast, "sa", 2), 270)        // the blink adds nothing
        XCTAssertEqual(v(.skip, "sa", 3), 1); XCTAssertNil(v(.gazeDuration, "sa", 3)); XCTAssertEqual(v(.totalTime, "sa", 3), 160)
        XCTAssertEqual(v(.skip, "sa", 4), 1); XCTAssertEqual(v(.totalTime, "sa", 4), 0)
        XCTAssertEqual(v(.gazeDuration, "sa", 5), 240); XCTAssertEqual(v(.goPast, "sa", 5), 400)   // 240 + 160 (regression to 'opened')
        XCTAssertEqual(v(.regressionOut, "sa", 5), 1)
        XCTAssertEqual(v(.gazeDuration, "sa", 6), 200); XCTAssertEqual(v(.goPast, "sa", 6), 200)   // off-screen passed over
        XCTAssertEqual(v(.gazeDuration, "sa", 7), 150); XCTAssertEqual(v(.regressionOut, "sa", 7), 0)
        XCTAssertEqual(v(.totalTime, "sa", 8), 170)
        // sb (ma1p): The 250, came 200, The 130.
        XCTAssertEqual(v(.gazeDuration, "sb", 1), 250); XCTAssertEqual(v(.totalTime, "sb", 1), 380)
        XCTAssertEqual(v(.goPast, "sb", 7), 330); XCTAssertEqual(v(.regressionOut, "sb", 7), 1)
        XCTAssertEqual(v(.skip, "sb", 2), 1)
        // The fixation on a word that does not exist is counted with its file and line.
        let category = "fixation on a word that does not exist (treated as a non-word event)"
        XCTAssertEqual(data.diagnostics.warningCount(category), 1)
        XCTAssertTrue(data.diagnostics.warnings.first { $0.category == category }!.examples[0].contains("sa01ma1p.dat:11"))
        XCTAssertEqual(data.measurements.count, 16)
    }

    func testEndsPassPolicy() throws {
        var options = LoadOptions()
        options.nonWord = .endsPass
        let data = try DundeeReader.load(path: try makeCorpus(), options: options)
        // The blink comes after both fixations on café, so gaze is unchanged there.
        XCTAssertEqual(value(data, .gazeDuration, subject: "sa", text: "tx01", position: 2), 270)
    }

    func testExclusionsOnDundee() throws {
        let data = try DundeeReader.load(path: try makeCorpus())
        let (kept, report) = try Exclusions.apply([.parse("first_or_last_in_line"), .parse("skipped"), .parse("drop_readers:sb")], measure: .gazeDuration, to: data)
        // 4 line-edge words × 2 readers; then skipped: sa opened, at; sb café, opened, at; then sb's came.
        XCTAssertEqual(report.steps.map(\.removed), [8, 5, 1, 0])
        XCTAssertEqual(kept.count, 2)                                 // sa: café, (270) and came (150)
        XCTAssertEqual(Set(kept.values(.gazeDuration)!.compactMap { $0 }), [270, 150])
    }

    func testMalformedDundeeFiles() throws {
        let dir = try makeCorpus()
        // The text file is Latin-1: asking for UTF-8 names the first byte that is not.
        var utf8 = LoadOptions()
        utf8.encoding = .utf8
        assertCorpusError(["tx01wrdp.dat:2:4:", "byte 0xE9 is not valid UTF-8"]) { _ = try DundeeReader.load(path: dir, options: utf8) }
        try Fixture.write("The 1 1 1 1 1 1 3 3 0 0 0 1\n", "tx02wrdp.dat", in: dir)
        assertCorpusError(["tx02wrdp.dat:1:", "truncated row", "expected 14 fields"]) { _ = try DundeeReader.load(path: dir) }
        try Fixture.write("The 1 1 1 1 1 1 3 3 0 0 0 1 1\ncat 1 1 1 2 2 5 3 3 0 0 0 1 1\n", "tx02wrdp.dat", in: dir)
        assertCorpusError(["tx02wrdp.dat:2:13:", "WNUM 1 appears twice"]) { _ = try DundeeReader.load(path: dir) }
        try Fixture.write("The 1 1 1 1 1 1 3 3 0 0 0 1 1\n", "tx02wrdp.dat", in: dir)
        try Fixture.write("WORD TEXT WNUM FDUR\nThe 1 1 200\n", "sc02ma2p.dat", in: dir)
        assertCorpusError(["sc02ma2p.dat:1:", "needs its FXNO column"]) { _ = try DundeeReader.load(path: dir) }
        try Fixture.write("WORD TEXT WNUM\nThe 1 1\n", "sc02ma1p.dat", in: dir)
        try FileManager.default.removeItem(atPath: dir + "/sc02ma2p.dat")
        assertCorpusError(["sc02ma1p.dat:1:", "missing column 'FDUR'"]) { _ = try DundeeReader.load(path: dir) }
        try Fixture.write("WORD WNUM FDUR\nThe 1 long\n", "sc02ma1p.dat", in: dir)
        assertCorpusError(["sc02ma1p.dat:2:3:", "'long'"]) { _ = try DundeeReader.load(path: dir) }
        // A fixation file for a text that has no tx file is counted and not read.
        try Fixture.write("WORD WNUM FDUR\nThe 1 200\n", "sc02ma1p.dat", in: dir)
        try Fixture.write("WORD WNUM FDUR\nThe 1 200\n", "sc07ma1p.dat", in: dir)
        try Fixture.write("WORD WNUM FDUR\nThe 1 200\n", "sm02ma1p.dat", in: dir)   // reader letter m (not the 'm' of 'ma1p')
        let data = try DundeeReader.load(path: dir)
        XCTAssertEqual(data.diagnostics.warningCount("fixation file for a text that has no tx file (file not read)"), 1)
        XCTAssertEqual(data.measurements.subjects, ["sa", "sb", "sc", "sm"])
        assertCorpusError(["needs the folder"]) { _ = try DundeeReader.load(path: dir + "/tx01wrdp.dat") }
    }

    // MARK: - The two fixation-file layouts

    /// An ma2p file alone is read through FXNO, and its placeholder rows are not fixations: the
    /// measures equal those of the ma1p file alone (which the fixture's rows were worked out from).
    func testWordOrderFileAloneGivesTheSameMeasures() throws {
        let both = try DundeeReader.load(path: try makeCorpus())
        let dir = try makeCorpus()
        try FileManager.default.removeItem(atPath: dir + "/sa01ma1p.dat")
        let ma2pOnly = try DundeeReader.load(path: dir)
        for m in Measure.eyeTracking {
            for p in 1...8 {
                XCTAssertEqual(value(ma2pOnly, m, subject: "sa", text: "tx01", position: p), value(both, m, subject: "sa", text: "tx01", position: p), "\(m.rawValue) at \(p)")
            }
        }
        // "at" (a placeholder row) was never fixated: skipped, 0 total time, no first fixation.
        XCTAssertEqual(value(ma2pOnly, .skip, subject: "sa", text: "tx01", position: 4), 1)
        XCTAssertEqual(value(ma2pOnly, .totalTime, subject: "sa", text: "tx01", position: 4), 0)
        XCTAssertEqual(ma2pOnly.diagnostics.warningCount("fixation of 0 ms on a word (kept; it counts as a fixation)"), 0)
    }

    /// A refixation separated by a regression: in word order the two fixations on "The" are
    /// adjacent rows, but FXNO puts "came" between them, so gaze is the first fixation only.
    func testWordOrderIsReadThroughFXNO() throws {
        let dir = try makeCorpus()
        let rows = ["The 1 1 3 3 2 1 200 1 1 1 1", "The 1 1 3 3 2 1 120 1 1 3 1"]
            + (2...6).map { "w -99 0 0 0 0 \($0) 0 0 0 0 0" }
            + ["came 1 2 4 4 9 7 180 2 2 2 1", "in. -99 0 0 0 0 8 0 0 0 0 0"]
        try Fixture.write(([Self.wordOrderHeader] + rows).joined(separator: "\n") + "\n", "sc01ma2p.dat", in: dir)
        let data = try DundeeReader.load(path: dir)
        func v(_ m: Measure, _ p: Int) -> Double? { value(data, m, subject: "sc", text: "tx01", position: p)! }
        XCTAssertEqual(v(.gazeDuration, 1), 200)          // file order would give 320
        XCTAssertEqual(v(.totalTime, 1), 320)
        XCTAssertEqual(v(.goPast, 7), 300)               // came, then the regression to The
        XCTAssertEqual(v(.regressionOut, 7), 1)
        XCTAssertEqual((2...6).map { v(.skip, $0) }, [1, 1, 1, 1, 1])
        XCTAssertEqual(v(.totalTime, 8), 0)
    }

    /// When the two variants disagree, ma1p is used and the difference is reported with the file.
    func testVariantsThatDisagreeAreReported() throws {
        let dir = try makeCorpus()
        var rows = Self.wordOrderRows
        rows[5] = "opened 1 1 6 6 12 3 161 2 2 6 1"   // 161 ms instead of 160
        try Fixture.write(bytes: Fixture.latin1(([Self.wordOrderHeader] + rows).joined(separator: "\n") + "\n"), "sa01ma2p.dat", in: dir)
        let data = try DundeeReader.load(path: dir)
        let category = "ma1p and ma2p files of one reader and text give different fixation sequences (ma1p used)"
        XCTAssertEqual(data.diagnostics.warningCount(category), 1)
        let example = data.diagnostics.warnings.first { $0.category == category }!.examples[0]
        XCTAssertTrue(example.contains("sa01ma2p.dat") && example.contains("word fixation 5") && example.contains("161"), example)
        XCTAssertEqual(value(data, .totalTime, subject: "sa", text: "tx01", position: 3), 160)
    }

    /// Zero-duration fixations and a TEXT (screen) column that disagrees with the text file are
    /// counted warnings with their file and line.
    func testZeroDurationAndScreenWarnings() throws {
        let dir = try makeCorpus()
        try Fixture.write("\(Self.temporalHeader)\nThe 1 1 3 3 2 1 0 1 1 -99 1\ncame 2 2 4 4 9 7 200 2 2 7 1\n", "sb01ma1p.dat", in: dir)
        let data = try DundeeReader.load(path: dir)
        XCTAssertEqual(data.diagnostics.warningCount("fixation of 0 ms on a word (kept; it counts as a fixation)"), 1)
        let screen = "fixation file's TEXT (the screen number) differs from the text file's screen of the word"
        XCTAssertEqual(data.diagnostics.warningCount(screen), 1)
        XCTAssertTrue(data.diagnostics.warnings.first { $0.category == screen }!.examples[0].contains("sb01ma1p.dat:3:2"))
    }

    /// Integer fields out of range are errors naming file, line and column (no overflow trap).
    func testOutOfRangeIntegers() throws {
        let dir = try makeCorpus()
        try Fixture.write("The 1 1 1 1 1 1 3 3 0 0 0 9223372036854775807 1\n", "tx02wrdp.dat", in: dir)
        assertCorpusError(["tx02wrdp.dat:1:13:", "outside the allowed range"]) { _ = try DundeeReader.load(path: dir) }
        try Fixture.write("The 1 1 1 1 1 1 3 3 0 0 0 0 1\n", "tx02wrdp.dat", in: dir)
        assertCorpusError(["tx02wrdp.dat:1:13:", "outside the allowed range"]) { _ = try DundeeReader.load(path: dir) }
    }
}
