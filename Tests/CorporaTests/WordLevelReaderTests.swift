import XCTest
@testable import Corpora

/// MECO, Brown and UCL with fixtures of our own.
final class WordLevelReaderTests: XCTestCase {
    // MARK: MECO

    func testMECOExport() throws {
        let dir = try Fixture.folder()
        let csv = """
        "","uniform_id","lang","trialid","sentnum","ianum","ia","skip","dur","firstrun.dur","firstfix.dur","firstrun.gopast"
        "1","en_1","en",1,1,1,"Rivers",0,410,250,250,250
        "2","en_1","en",1,1,2,"carry",1,NA,NA,NA,NA
        "3","en_1","en",1,1,3,"silt.",0,300,300,180,520
        "4","en_1","en",1,2,4,"Slowly,",0,200,200,200,200
        "5","du_1","du",1,1,1,"Rivieren",0,380,380,380,380
        "6","en_2","en",1,1,1,"Rivers",0,330,330,330,330
        "7","en_2","en",2,1,1,"Birds",0,0,0,0,0
        """
        try Fixture.write(csv + "\n", "meco_en.csv", in: dir)
        let data = try MECOReader.load(path: dir)
        XCTAssertEqual(data.corpus.texts.map(\.id), ["1", "2"])
        XCTAssertEqual(data.corpus.texts[0].content, "Rivers carry silt. Slowly,")
        XCTAssertEqual(data.corpus.texts[0].sentences.count, 2)
        XCTAssertEqual(data.diagnostics.removalCount("language is not 'en' (lang column)"), 1)
        XCTAssertEqual(data.measurements.subjects, ["en_1", "en_2"])
        XCTAssertEqual(value(data, .gazeDuration, subject: "en_1", text: "1", position: 1), 250)
        XCTAssertEqual(value(data, .totalTime, subject: "en_1", text: "1", position: 1), 410)
        XCTAssertEqual(value(data, .goPast, subject: "en_1", text: "1", position: 3), 520)
        XCTAssertEqual(value(data, .totalTime, subject: "en_1", text: "1", position: 2), .some(nil))   // NA stays missing
        XCTAssertEqual(value(data, .totalTime, subject: "en_2", text: "2", position: 1), 0)          // 0 stays 0
        XCTAssertEqual(value(data, .skip, subject: "en_1", text: "1", position: 2), 1)
        var options = LoadOptions()
        options.language = "du"
        XCTAssertEqual(try MECOReader.load(path: dir, options: options).corpus.texts[0].content, "Rivieren")
        try Fixture.write("\"uniform_id\",\"trialid\",\"ianum\",\"ia\"\n\"en_1\",1,1,\"Rivers\"\n", "meco_en.csv", in: dir)
        assertCorpusError(["meco_en.csv:1:", "no measure columns"]) { _ = try MECOReader.load(path: dir) }
    }

    /// First-pass measures: a first run entered by a regression (firstrun.reg.in = 1) or not
    /// in first pass (firstrun.skip = 1) gives no first fixation, gaze or go-past, and skip = 1.
    func testMECOFirstPassAndLanguages() throws {
        let dir = try Fixture.folder()
        let csv = """
        "uniform_id","lang","trialid","sentnum","ianum","ia","skip","firstrun.skip","firstrun.reg.in","dur","firstrun.dur","firstfix.dur","firstrun.gopast"
        "en_1","en",1,1,1,"Rivers",0,0,0,410,250,250,250
        "en_1","en",1,1,2,"carry",0,1,0,200,200,200,200
        "en_1","en",1,1,3,"silt",0,0,1,180,180,180,180
        "en_1","en",1,1,4,"down.",0,0,0,300,300,180,0
        "en_1","en",1,2,5,"Slowly",1,NA,NA,NA,NA,NA,NA
        """
        try Fixture.write(csv + "\n", "meco.csv", in: dir)
        let data = try CorpusLoader.load(.meco, path: dir)
        func v(_ m: Measure, _ p: Int) -> Double? { value(data, m, subject: "en_1", text: "1", position: p)! }
        XCTAssertEqual(v(.gazeDuration, 1), 250); XCTAssertEqual(v(.skip, 1), 0)
        // Late first runs: not first-pass reading.
        for p in [2, 3] {
            XCTAssertNil(v(.firstFixation, p)); XCTAssertNil(v(.gazeDuration, p)); XCTAssertNil(v(.goPast, p))
            XCTAssertEqual(v(.skip, p), 1)
        }
        XCTAssertEqual(v(.totalTime, 2), 200)                      // total time is any pass
        XCTAssertEqual(v(.skip, 5), 1); XCTAssertNil(v(.gazeDuration, 5))
        XCTAssertTrue(data.diagnostics.notes.contains { $0.hasPrefix("2 rows whose first run was not first-pass reading") })
        // go-past 0 with a positive first-run duration: a counted sanity violation.
        XCTAssertEqual(data.diagnostics.warningCount(MeasureSanity.prefix + "go-past time shorter than the gaze duration"), 1)
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("5 rows checked") && $0.hasSuffix("1 violation(s)") })

        // A language with no rows fails and lists what is there.
        var options = LoadOptions()
        options.language = "de"
        assertCorpusError(["meco.csv", "no rows with lang 'de'", "en (5 rows)", "first language"]) { _ = try MECOReader.load(path: dir, options: options) }
    }

    /// Positions ≤ 0 and overflowing integers are errors with file, line and column.
    func testIntegerRanges() throws {
        let dir = try Fixture.folder()
        try Fixture.write("uniform_id,lang,trialid,ianum,ia,dur\nen_1,en,1,0,Rivers,300\n", "meco.csv", in: dir)
        assertCorpusError(["meco.csv:2:4:", "outside the allowed range"]) { _ = try MECOReader.load(path: dir) }
        try Fixture.write("uniform_id,lang,trialid,ianum,ia,dur\nen_1,en,1,-9223372036854775808,Rivers,300\n", "meco.csv", in: dir)
        assertCorpusError(["meco.csv:2:4:", "outside the allowed range"]) { _ = try MECOReader.load(path: dir) }
        try Fixture.write("subject,text_id,text_pos,word,time\n1,9223372036854775807,0,The,300\n", "brown_spr.csv", in: dir)
        assertCorpusError(["brown_spr.csv:2:2:", "outside the allowed range"]) { _ = try BrownReader.load(path: dir) }
        try Fixture.write("subject,text_id,text_pos,word,time\n1,0,-1,The,300\n", "brown_spr.csv", in: dir)
        assertCorpusError(["brown_spr.csv:2:3:", "outside the allowed range"]) { _ = try BrownReader.load(path: dir) }
        try Fixture.write("subj_nr\tsent_nr\tsent_pos\tword_pos\tword\tRT\n1\t1\t1\t-9223372036854775808\tThe\t300\n", "selfpacedreading.RT.txt", in: dir)
        assertCorpusError(["selfpacedreading.RT.txt:2:4:", "outside the allowed range"]) { _ = try UCLReader.load(path: dir, part: .selfPaced) }
        try Fixture.write("word\tzone\titem\nThe\t-9223372036854775808\t1\n", "all_stories.tok", in: dir)
        try Fixture.write("word\tzone\titem\tnItem\tmeanItemRT\nThe\t1\t1\t3\t300\n", "processed_wordinfo.tsv", in: dir)
        assertCorpusError(["all_stories.tok:2:2:", "outside the allowed range"]) { _ = try NaturalStoriesReader.load(path: dir) }
    }

    // MARK: Brown

    func testBrownSPR() throws {
        let dir = try Fixture.folder()
        let csv = """
        ,subject,text_id,text_pos,word,time,code,word_in_exp
        0,s1,0,0,The,320,1,1
        1,s1,0,1,office,350,2,2
        2,s1,0,2,in,300,3,3
        3,s1,0,3,"N. Y.",410,4,4
        4,s1,0,4,closed.,380,5,5
        5,s2,0,0,The,290,1,1
        6,s2,0,3,N.  Y.,390,4,4
        7,s2,1,0,Rain,305,1,6
        """
        try Fixture.write(csv + "\n", BrownReader.fileName, in: dir)
        let data = try BrownReader.load(path: dir)
        XCTAssertEqual(data.corpus.texts.map(\.id), ["1", "2"])
        XCTAssertEqual(data.corpus.texts[0].content, "The office in N. Y. closed.")
        let ny = data.corpus.words[3]
        XCTAssertEqual(ny.form, "N. Y."); XCTAssertEqual(ny.positionInText, 4); XCTAssertEqual(ny.characterRange, 14..<19)
        XCTAssertEqual(WordForm.length(ny.form), 3)
        XCTAssertEqual(data.diagnostics.warningCount("word form differs between rows for the same word (first kept)"), 0)   // white space collapsed
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("1 word(s) are cells holding several") })
        XCTAssertEqual(value(data, .rt, subject: "s2", text: "1", position: 4), 390)
        let means = Aggregate.means(data.measurements, measure: .rt)
        XCTAssertEqual(means.first { $0.word == 0 }!.mean, 305)   // (320 + 290) / 2
        try Fixture.write("subject,text_id,text_pos,word,time\ns1,0,-1,The,300\n", BrownReader.fileName, in: dir)
        assertCorpusError(["brown_spr.csv:2:3:", "0-based"]) { _ = try BrownReader.load(path: dir) }
    }

    // MARK: UCL

    func makeUCL() throws -> String {
        let dir = try Fixture.folder()
        let spr = """
        subj_nr\tsent_nr\tsent_pos\tword_pos\tword\tRT\tcorrect\tanswer_time
        1\t1\t1\t1\t\u{201C}Stop\t380\tc\t900
        1\t1\t1\t2\there,\u{201D}\t420\tc\t900
        1\t1\t1\t3\tshe\t310\tc\t900
        1\t1\t1\t4\tsaid.\t450\tc\t900
        2\t1\t2\t1\t\u{201C}Stop\t400\tc\t800
        3\t1\t1\t1\t\u{201C}Stop\t999\te\t700
        1\t2\t2\t1\tIt\u{2019}s\t350\t-\t0
        1\t2\t2\t2\tlate.\t360\t-\t0
        """
        try Fixture.write(spr + "\n", "selfpacedreading.RT.txt", in: dir)
        try Fixture.write("subj_nr\tage\tage_en\tsex\thand\tcorrect\n1\t23\t0\tf\tr\t0.9\n2\t31\t0\tm\tr\t0.8\n3\t27\t6\tf\tl\t0.7\n", "selfpacedreading.subj.txt", in: dir)
        // stimuli.txt in cp1252: curly quotes are bytes 0x93/0x94/0x92.
        var stimuli = Array("sent_nr\tsentence\tquestion\tanswer\n1\t".utf8) + [0x93] + Array("Stop here,".utf8) + [0x94] + Array(" she said.\t-\t-\n2\tIt".utf8) + [0x92]
        stimuli += Array("s very late.\t-\t-\n".utf8)
        try Fixture.write(bytes: stimuli, "stimuli.txt", in: dir)
        let eye = """
        subj_nr\tsent_nr\tsent_pos\tcorrect\tanswer_time\tword_pos\tword\tRTfirstfix\tRTfirstpass\tRTrightbound\tRTgopast
        1\t1\t1\tc\t900\t1\t\u{201C}Stop\t210\t300\t300\t300
        1\t1\t1\tc\t900\t2\there,\u{201D}\t0\t0\t0\t0
        1\t1\t1\tc\t900\t3\tshe\t180\t180\t250\t400
        """
        try Fixture.write(eye + "\n", "eyetracking.RT.txt", in: dir)
        return dir
    }

    func testUCLSelfPaced() throws {
        let data = try CorpusLoader.load(CorpusFormat(name: "ucl")!, path: try makeUCL())
        XCTAssertEqual(data.format, .uclSPR)
        XCTAssertEqual(data.corpus.texts.map(\.content), ["\u{201C}Stop here,\u{201D} she said.", "It\u{2019}s late."])
        XCTAssertEqual(data.corpus.texts.map(\.sentences.count), [1, 1])
        XCTAssertEqual(data.diagnostics.removalCount("reader not a native speaker (age_en > 0)"), 1)
        XCTAssertEqual(data.measurements.subjects, ["1", "2"])
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("stimuli.txt decoded as cp1252") })
        // Sentence 1 matches stimuli.txt (after cp1252 decoding); sentence 2 has "very" in the stimuli only.
        XCTAssertEqual(data.diagnostics.warningCount("sentence's words differ from stimuli.txt"), 1)
        let example = data.diagnostics.warnings.first { $0.category == "sentence's words differ from stimuli.txt" }!.examples[0]
        XCTAssertTrue(example.contains("sentence 2, word 2: 'late.' in the RT file, 'very' in stimuli.txt (2 vs 3 words)"), example)
        XCTAssertEqual(value(data, .rt, subject: "2", text: "1", position: 1), 400)
    }

    func testUCLEyeTrackingZerosAreMissing() throws {
        let data = try CorpusLoader.load(.uclEye, path: try makeUCL())
        XCTAssertEqual(value(data, .gazeDuration, subject: "1", text: "1", position: 1), 300)
        XCTAssertEqual(value(data, .gazeDuration, subject: "1", text: "1", position: 2), .some(nil))
        XCTAssertEqual(value(data, .skip, subject: "1", text: "1", position: 2), 1)
        XCTAssertEqual(value(data, .skip, subject: "1", text: "1", position: 1), 0)
        XCTAssertEqual(value(data, .rightBounded, subject: "1", text: "1", position: 3), 250)
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("4 zero durations read as missing") })
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("no eyetracking.subj.txt") })
    }

    /// A derived eye-tracking file with only first-pass and go-past columns.
    func testUCLEyeTrackingWithSomeColumns() throws {
        let dir = try makeUCL()
        try Fixture.write("subj_nr\tsent_nr\tword_pos\tword\tRTfirstpass\tRTgopast\n1\t1\t1\tStop\t300\t300\n1\t1\t2\there,\t0\t0\n", "eyetracking.RT.txt", in: dir)
        let data = try CorpusLoader.load(.uclEye, path: dir)
        XCTAssertEqual(data.measurements.measures, [.gazeDuration, .goPast, .skip])
        XCTAssertEqual(value(data, .skip, subject: "1", text: "1", position: 2), 1)
        XCTAssertEqual(value(data, .gazeDuration, subject: "1", text: "1", position: 1), 300)
        try Fixture.write("subj_nr\tsent_nr\tword_pos\tword\n1\t1\t1\tStop\n", "eyetracking.RT.txt", in: dir)
        assertCorpusError(["eyetracking.RT.txt:1:", "no reading-time column"]) { _ = try CorpusLoader.load(.uclEye, path: dir) }
    }

    func testUCLMalformed() throws {
        let dir = try makeUCL()
        try Fixture.write("subj_nr\tsent_nr\tword_pos\tword\tRT\n1\t1\t1\tStop\t380\n1\t1\t2\n", "selfpacedreading.RT.txt", in: dir)
        assertCorpusError(["selfpacedreading.RT.txt:3:", "truncated row"]) { _ = try UCLReader.load(path: dir, part: .selfPaced) }
    }
}
