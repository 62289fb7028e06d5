import Corpora
import Foundation

/// One target per corpus reader. The readers take a path, so each input is written to a file
/// in a private folder; the other files of a multi-file format are small fixed files written
/// once (`Companion`), and the format's main file is the fuzzed one. Seeds follow the layouts
/// of the test fixtures in Tests/CorporaTests.
enum CorpusTargets {
    static let all: [FuzzTarget] = [
        naturalStories, naturalStoriesTokens, dundee, dundeeText, provo, geco, WorkbookTarget.target, meco, brown, uclSelfPaced, uclEye, generic, fixations,
    ]

    /// A corpus target: `files` are written into the target's folder once; each input becomes
    /// `fuzzed`; then `load` reads the folder (or the fuzzed file, for single-file formats).
    static func target(_ name: String, _ summary: String, fuzzed: String, files: [(String, [UInt8])] = [],
                       seeds: [(String, [UInt8])], load: @escaping (_ folder: String, _ file: String) throws -> CorpusData) -> FuzzTarget {
        FuzzTarget(name, summary, seeds: seeds) { bytes in
            let folder = FuzzScratch.subfolder(name)
            let marker = folder + "/.companions-written"
            if !FileManager.default.fileExists(atPath: marker) {
                for (file, content) in files { try FuzzScratch.write(content, file, in: folder) }
                try FuzzScratch.write([], ".companions-written", in: folder)
            }
            let file = try FuzzScratch.write(bytes, fuzzed, in: folder)
            let data = try load(folder, file)
            // Touch what downstream stages read: every text's words and the measurements.
            _ = data.corpus.texts.map(\.content)
            _ = data.measurements.count
        }
    }

    // MARK: Natural Stories

    /// all_stories.tok of item 1 (5 words) and some of item 3's zones up to 235 (so the item-3
    /// zone shift of raw batch files applies); kept small, as each input re-reads it.
    static let naturalStoriesTok: [UInt8] = {
        var s = "word\tzone\titem\n"
        for (i, w) in ["The", "dog", "peeked", "in.", "Done."].enumerated() { s += "\(w)\t\(i + 1)\t1\n" }
        for z in 1...235 where z > 220 || z % 40 == 0 { s += "w\(z)\(z % 10 == 0 ? "." : "")\t\(z)\t3\n" }
        return utf8(s)
    }()
    static let naturalStoriesRTs = utf8("""
        WorkerId\tWorkTimeInSeconds\tcorrect\titem\tzone\tRT\tword\tnItem\tmeanItemRT\tsdItemRT\tgmeanItemRT\tgsdItemRT
        A\t1000\t6\t1\t1\t300\tThe\t3\t0\t0\t0\t0
        B\t1000\t6\t1\t1\t340\tThe\t3\t0\t0\t0\t0
        A\t1000\t6\t1\t3\t410\tpeaked\t3\t0\t0\t0\t0
        C\t1000\t3\t1\t2\t0\tdog\t3\t0\t0\t0\t0
        A\t1000\t6\t3\t229\t400\tw229\t3\t0\t0\t0\t0

        """)

    static let naturalStories = target("corpus-naturalstories", "Natural Stories processed_RTs.tsv (fixed all_stories.tok)",
                                       fuzzed: "processed_RTs.tsv", files: [("all_stories.tok", naturalStoriesTok)],
                                       seeds: [("processed.tsv", naturalStoriesRTs),
                                               ("short.tsv", utf8("WorkerId\titem\tzone\tRT\nA\t1\t1\t300\nA\t1\t99\t300\nB\t3\t231\t250\n"))]) { folder, _ in
        try NaturalStoriesReader.load(path: folder)
    }

    static let naturalStoriesTokens = target("corpus-naturalstories-tok", "Natural Stories all_stories.tok (fixed processed_RTs.tsv)",
                                             fuzzed: "all_stories.tok", files: [("processed_RTs.tsv", naturalStoriesRTs)],
                                             seeds: [("tokens.tok", naturalStoriesTok),
                                                     ("small.tok", utf8("word\tzone\titem\nThe\t1\t1\ndog\t2\t1\n\u{201C}Hi,\u{201D}\t3\t1\n"))]) { folder, _ in
        try NaturalStoriesReader.load(path: folder)
    }

    // MARK: Dundee

    /// tx01wrdp.dat: 8 words on 2 lines of one screen (14 fields each), Latin-1.
    static let dundeeTextFile = latin1([
        "The 1 1 1 1 1 1 3 3 0 0 0 1 1",
        "caf\u{E9}, 1 1 1 2 2 5 5 4 1 0 1 2 1",
        "opened 1 1 1 3 3 11 6 6 0 0 0 3 1",
        "at 1 1 1 4 4 18 2 2 0 0 0 4 1",
        "nine. 1 1 1 5 5 21 5 4 1 0 1 5 1",
        "Nobody 1 1 2 1 6 1 6 6 0 0 0 6 1",
        "came 1 1 2 2 7 8 4 4 0 0 0 7 1",
        "in. 1 1 2 3 8 13 3 2 1 0 1 8 1",
    ].joined(separator: "\n") + "\n")
    /// A fixation file with a refixation, a blink, a skip, a regression, an off-screen sample and
    /// a fixation on a word that does not exist.
    static let dundeeFixations = latin1([
        "WORD TEXT LINE OLEN WLEN XPOS WNUM FDUR OBLP WDLP FXNO TXFR",
        "The 1 1 3 3 2 1 210 1 1 1 1",
        "caf\u{E9}, 1 1 5 4 6 2 180 1 1 2 1",
        "caf\u{E9}, 1 1 5 4 8 2 90 3 3 3 1",
        "*Blink 1 1 0 0 0 0 100 0 0 4 0",
        "nine. 1 1 5 4 22 5 240 2 2 5 1",
        "opened 1 1 6 6 12 3 160 2 2 6 1",
        "Nobody 1 2 6 6 2 6 200 2 2 7 1",
        "*Off-screen 1 2 0 0 0 0 400 0 0 8 0",
        "came 1 2 4 4 9 7 150 2 2 9 1",
        "ghost 1 2 5 5 30 42 120 1 1 10 1",
        "in. 1 2 3 2 14 8 170 1 1 11 1",
    ].joined(separator: "\n") + "\n")

    static let dundee = target("corpus-dundee", "Dundee fixation file sa01ma2p.dat (fixed tx01wrdp.dat)",
                               fuzzed: "sa01ma2p.dat", files: [("tx01wrdp.dat", dundeeTextFile)],
                               seeds: [("ma2p.dat", dundeeFixations),
                                       ("ma1p.dat", utf8("WORD TEXT LINE OLEN WLEN XPOS WNUM FDUR OBLP WDLP LAUN TXFR\nThe 1 1 3 3 2 1 250 1 1 0 1\ncame 1 2 4 4 9 7 200 2 2 0 1\nThe 1 1 3 3 2 1 130 1 1 0 1\n"))]) { folder, _ in
        try DundeeReader.load(path: folder)
    }

    static let dundeeText = target("corpus-dundee-text", "Dundee text file tx01wrdp.dat (fixed sa01ma2p.dat)",
                                   fuzzed: "tx01wrdp.dat", files: [("sa01ma2p.dat", dundeeFixations)],
                                   seeds: [("wrdp.dat", dundeeTextFile)]) { folder, _ in
        try DundeeReader.load(path: folder)
    }

    // MARK: Single-file eye-tracking and SPR formats

    static let provo = target("corpus-provo", "Provo_Corpus-Eyetracking_Data.csv", fuzzed: "Provo_Corpus-Eyetracking_Data.csv", seeds: [
        ("provo.csv", latin1([
            "Participant_ID,Text_ID,Word_Number,Sentence_Number,Word_In_Sentence_Number,Word,Word_Cleaned,Word_Length,IA_LABEL,IA_FIRST_FIXATION_DURATION,IA_FIRST_RUN_DWELL_TIME,IA_DWELL_TIME,IA_REGRESSION_PATH_DURATION,IA_SKIP,IA_FIRST_FIX_PROGRESSIVE",
            "Sub1,1,2,1,2,cat,cat,3,cat,200,200,200,200,0,1",
            "Sub1,1,3,1,3,sat,sat,3,sat,.,.,0,.,1,.",
            "Sub1,1,4,1,4,na?ve,naive,5,na\u{EF}ve,210,400,400,500,0,1",
            "Sub1,1,5,1,5,dog.,dog,3,dog.,180,180,180,180,0,0",
            "Sub1,3,2,1,2,One,one,3,One,150,150,150,150,0,1",
            "Sub1,3,4,2,1,Three,three,5,Three,170,170,170,170,0,1",
            "Sub2,1,2,1,2,cat,cat,3,cat,220,240,240,300,0,1",
        ].joined(separator: "\r\n") + "\r\n")),
    ]) { _, file in
        try ProvoReader.load(path: file)
    }

    static let gecoMaterial = utf8("""
        WORD_ID,SENTENCE_ID,WORD
        1-1-1,1-1,It
        1-1-2,1-1,was
        1-1-3,1-1,late.
        1-1-4,1-2,She
        1-1-5,1-9,slept
        1-1-6,1-2,well.
        1-2-1,1-3,Then
        2-1-1,2-1,"Yes,"
        2-1-2,2-1,indeed.

        """)

    static let geco = target("corpus-geco", "GECO MonolingualReadingData.csv (fixed EnglishMaterial.csv)",
                             fuzzed: "MonolingualReadingData.csv", files: [("EnglishMaterial.csv", gecoMaterial)], seeds: [
        ("geco.csv", utf8("""
            PP_NR,PART,TRIAL,WORD_ID,WORD,WORD_FIRST_FIXATION_DURATION,WORD_GAZE_DURATION,WORD_GO_PAST_TIME,WORD_TOTAL_READING_TIME,WORD_SKIP
            pp01,1,1,1-1-1,It,180,180,180,180,0
            pp01,1,1,1-1-2,was,.,.,.,0,1
            pp01,1,1,1-1-3,late.,200,350,420,350,0
            pp02,1,1,1-1-1,It,170,170,170,210,0
            pp02,2,1,2-1-2,indeed.,230,230,230,230,0
            pp02,1,9,1-9-9,ghost,100,100,100,100,0

            """)),
    ]) { folder, _ in
        try GECOReader.load(path: folder)
    }

    static let meco = target("corpus-meco", "MECO word-level CSV", fuzzed: "meco_en.csv", seeds: [
        ("meco.csv", utf8("""
            "","uniform_id","lang","trialid","sentnum","ianum","ia","skip","dur","firstrun.dur","firstfix.dur","firstrun.gopast"
            "1","en_1","en",1,1,1,"Rivers",0,410,250,250,250
            "2","en_1","en",1,1,2,"carry",1,NA,NA,NA,NA
            "3","en_1","en",1,1,3,"silt.",0,300,300,180,520
            "4","en_1","en",1,2,4,"Slowly,",0,200,200,200,200
            "5","du_1","du",1,1,1,"Rivieren",0,380,380,380,380
            "6","en_2","en",1,1,1,"Rivers",0,330,330,330,330
            "7","en_2","en",2,1,1,"Birds",0,0,0,0,0

            """)),
    ]) { _, file in
        try MECOReader.load(path: file)
    }

    static let brown = target("corpus-brown", "Brown SPR brown_spr.csv", fuzzed: BrownReader.fileName, seeds: [
        ("brown.csv", utf8("""
            ,subject,text_id,text_pos,word,time,code,word_in_exp
            0,s1,0,0,The,320,1,1
            1,s1,0,1,office,350,2,2
            2,s1,0,2,in,300,3,3
            3,s1,0,3,"N. Y.",410,4,4
            4,s1,0,4,closed.,380,5,5
            5,s2,0,0,The,290,1,1
            6,s2,0,3,N.  Y.,390,4,4
            7,s2,1,0,Rain,305,1,6

            """)),
    ]) { _, file in
        try BrownReader.load(path: file)
    }

    // MARK: UCL

    /// stimuli.txt in cp1252 (curly quotes as bytes 0x93/0x94/0x92).
    static let uclStimuli: [UInt8] = Array("sent_nr\tsentence\tquestion\tanswer\n1\t".utf8) + [0x93] + Array("Stop here,".utf8) + [0x94]
        + Array(" she said.\t-\t-\n2\tIt".utf8) + [0x92] + Array("s very late.\t-\t-\n".utf8)
    static let uclSubjects = utf8("subj_nr\tage\tage_en\tsex\thand\tcorrect\n1\t23\t0\tf\tr\t0.9\n2\t31\t0\tm\tr\t0.8\n3\t27\t6\tf\tl\t0.7\n")

    static let uclSelfPaced = target("corpus-ucl-spr", "UCL selfpacedreading.RT.txt (fixed subj and stimuli files)",
                                     fuzzed: "selfpacedreading.RT.txt",
                                     files: [("selfpacedreading.subj.txt", uclSubjects), ("stimuli.txt", uclStimuli)], seeds: [
        ("spr.txt", utf8("""
            subj_nr\tsent_nr\tsent_pos\tword_pos\tword\tRT\tcorrect\tanswer_time
            1\t1\t1\t1\t\u{201C}Stop\t380\tc\t900
            1\t1\t1\t2\there,\u{201D}\t420\tc\t900
            1\t1\t1\t3\tshe\t310\tc\t900
            1\t1\t1\t4\tsaid.\t450\tc\t900
            2\t1\t2\t1\t\u{201C}Stop\t400\tc\t800
            3\t1\t1\t1\t\u{201C}Stop\t999\te\t700
            1\t2\t2\t1\tIt\u{2019}s\t350\t-\t0
            1\t2\t2\t2\tlate.\t360\t-\t0

            """)),
    ]) { folder, _ in
        try UCLReader.load(path: folder, part: .selfPaced)
    }

    static let uclEye = target("corpus-ucl-eye", "UCL eyetracking.RT.txt (fixed subj and stimuli files)",
                               fuzzed: "eyetracking.RT.txt",
                               files: [("eyetracking.subj.txt", uclSubjects), ("stimuli.txt", uclStimuli)], seeds: [
        ("eye.txt", utf8("""
            subj_nr\tsent_nr\tsent_pos\tcorrect\tanswer_time\tword_pos\tword\tRTfirstfix\tRTfirstpass\tRTrightbound\tRTgopast
            1\t1\t1\tc\t900\t1\t\u{201C}Stop\t210\t300\t300\t300
            1\t1\t1\tc\t900\t2\there,\u{201D}\t0\t0\t0\t0
            1\t1\t1\tc\t900\t3\tshe\t180\t180\t250\t400

            """)),
    ]) { folder, _ in
        try UCLReader.load(path: folder, part: .eyeTracking)
    }

    // MARK: Generic tables with a column mapping

    static let generic = target("corpus-generic", "word-level CSV/TSV with a column mapping (GenericTableReader)", fuzzed: "t.tsv", seeds: [
        ("words.tsv", utf8("WorkerId\titem\tzone\tword\tRT\nA\tx\t1\tHello\t300\nA\tx\t2\tthere.\tNA\nB\tx\t1\tHello\t280\nB\ty\t1\tBye.\t310\n")),
    ]) { _, file in
        var options = LoadOptions()
        options.columns = try GenericTableMapping.parse("subject=WorkerId,text=item,position=zone,word=word,rt=RT")
        return try CorpusLoader.load(.generic, path: file, options: options)
    }

    static let fixations = target("corpus-fixations", "fixation-level CSV with a column mapping and a fixed word file (FixationTableReader)",
                                  fuzzed: "fix.csv", files: [("words.csv", utf8("text,pos,word\nt1,1,One\nt1,2,small\nt1,3,step.\nt2,1,Again.\n"))], seeds: [
        ("fix.csv", utf8("subj,text,pos,dur,n\np1,t1,3,250,2\np1,t1,1,200,1\np1,t1,2,120,3\np1,t1,NA,90,4\np1,t1,3,100,5\np1,t1,9,80,6\np2,t2,1,300,1\n")),
    ]) { folder, file in
        var options = LoadOptions()
        options.columns = try GenericTableMapping.parse("subject=subj,text=text,position=pos,word=word,duration=dur,order=n,words=\(folder)/words.csv")
        return try CorpusLoader.load(.fixations, path: file, options: options)
    }
}
