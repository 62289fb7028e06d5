import XCTest
import Tokenization

final class BPETests: XCTestCase {
    func testTrainingIsDeterministicAndReachesTheSize() throws {
        let a = try BPETokenizer.train(sentences: ToyText.sentences(300), options: BPETrainingOptions(vocabularySize: 380))
        let b = try BPETokenizer.train(sentences: ToyText.sentences(300), options: BPETrainingOptions(vocabularySize: 380))
        XCTAssertEqual(a.vocabularySize, 380)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.fingerprint, b.fingerprint)
    }

    func testEveryWordEndsInExactlyOneWordEndToken() throws {
        let tok = try ToyText.tokenizer()
        let text = "The cat saw a small bird, and the dog followed it!  Xylophones? 日本語 naïve"
        let enc = tok.encode(text)
        XCTAssertEqual(enc.wordCount, text.split(separator: " ").count)
        for range in enc.tokenRangesByWord {
            XCTAssertFalse(range.isEmpty)
            let ends = range.map { tok.vocabulary.endsWord[Int(enc.ids[$0])] }
            XCTAssertEqual(ends.filter { $0 }.count, 1)
            XCTAssertEqual(ends.last, true)
        }
    }

    func testRoundTripWithUnseenCharacters() throws {
        var o = BPETrainingOptions(vocabularySize: 400)
        o.lowercase = false; o.allowSmallerVocabulary = true
        let tok = try BPETokenizer.train(sentences: ToyText.sentences(300), options: o)
        for text in ["The cat saw a small bird.", "Zebras €42 ☃ 日本語 — \u{1F600}!", "a", "x\u{301}y", "ŉ İstanbul"] {
            let enc = tok.encode(text)
            XCTAssertTrue(enc.ids.allSatisfy { $0 >= 2 && Int($0) < tok.vocabularySize })
            XCTAssertEqual(tok.decode(enc.ids), text.split(separator: " ").joined(separator: " "))
        }
        // Characters never seen in training fall back to bytes and the bare word end.
        let enc = tok.encode("☃")
        XCTAssertEqual(enc.ids.count, 4)          // three UTF-8 bytes + </w>
        XCTAssertEqual(enc.ids.last, BPEVocabulary.bareWordEnd)
    }

    func testOffsetsPointBackIntoTheInput() throws {
        let tok = try ToyText.tokenizer()
        let text = "  The GARDEN, a letter;  İx ☃"
        let enc = tok.encode(text)
        let scalars = Array(text.unicodeScalars)
        for (i, id) in enc.ids.enumerated() where id != BPEVocabulary.bareWordEnd {
            let piece = String(String.UnicodeScalarView(scalars[enc.offsets[i]]))
            let bytes = tok.vocabulary.bytes[Int(id)]
            if id >= BPEVocabulary.firstAlphabet {
                // Lowercasing may change the text but never where it came from.
                // (A lowercase expansion, İ → i + U+0307, points each part at the whole original.)
                XCTAssertTrue(piece.lowercased().unicodeScalars.starts(with: String(decoding: bytes, as: UTF8.self).unicodeScalars)
                              || piece.lowercased().hasSuffix(String(decoding: bytes, as: UTF8.self)), "token \(tok.tokens([id])) at \(piece)")
            } else {
                XCTAssertTrue(Array(piece.lowercased().utf8).contains(bytes[0]))
            }
        }
    }

    func testEncodeWordsKeepsWordIndices() throws {
        let tok = try ToyText.tokenizer()
        let words = ["The", "house,", "", "(big)", "garden."]
        let enc = tok.encode(words: words)
        XCTAssertEqual(enc.wordCount, 5)
        let ranges = enc.tokenRangesByWord
        XCTAssertTrue(ranges[2].isEmpty)
        for w in [0, 1, 3, 4] { XCTAssertFalse(ranges[w].isEmpty) }
        XCTAssertEqual(tok.decode(Array(enc.ids[ranges[1]])), "house,")
        // Offsets are in words.joined(" "): "house," starts at 4.
        XCTAssertEqual(enc.offsets[ranges[1].lowerBound].lowerBound, 4)
    }

    func testSaveLoadAndFingerprint() throws {
        let tok = try ToyText.tokenizer()
        let dir = ToyText.tempDirectory()
        let url = dir.appendingPathComponent("bpe.json")
        try tok.save(to: url)
        let back = try BPETokenizer.load(from: url)
        XCTAssertEqual(back, tok)
        XCTAssertEqual(back.fingerprint, tok.fingerprint)
        XCTAssertEqual(back.encode("the old man saw the river"), tok.encode("the old man saw the river"))
        try Data("{\"format\":\"something\"}".utf8).write(to: url)
        XCTAssertThrowsError(try BPETokenizer.load(from: url)) { XCTAssertTrue("\($0)".contains("not a rtpipe BPE tokenizer")) }
    }

    func testVocabularyErrors() throws {
        XCTAssertThrowsError(try BPETokenizer.train(sentences: ["  ", ""], options: BPETrainingOptions(vocabularySize: 500))) {
            XCTAssertEqual($0 as? BPEError, .emptyTrainingText)
        }
        XCTAssertThrowsError(try BPETokenizer.train(sentences: ToyText.sentences(50), options: BPETrainingOptions(vocabularySize: 100))) {
            guard case .vocabularyTooSmall(100, let minimum)? = $0 as? BPEError else { return XCTFail("\($0)") }
            XCTAssertGreaterThan(minimum, 259)
        }
        XCTAssertThrowsError(try BPETokenizer.train(sentences: ToyText.sentences(50), options: BPETrainingOptions(vocabularySize: 8192))) {
            guard case .vocabularyTooLarge(8192, let reachable)? = $0 as? BPEError else { return XCTFail("\($0)") }
            XCTAssertLessThan(reachable, 8192)
            XCTAssertTrue("\($0)".contains("supports at most"))
        }
        var o = BPETrainingOptions(vocabularySize: 8192)
        o.allowSmallerVocabulary = true
        XCTAssertLessThan(try BPETokenizer.train(sentences: ToyText.sentences(50), options: o).vocabularySize, 8192)
    }

    func testFrequentWordsBecomeSingleTokens() throws {
        let tok = try ToyText.tokenizer(vocabulary: 600)
        // A word before punctuation does not end there: "garden" then ".</w>".
        XCTAssertEqual(tok.tokens(tok.encode("The cat saw the garden.").ids), ["the</w>", "cat</w>", "saw</w>", "the</w>", "garden", ".</w>"])
        XCTAssertEqual(tok.decode(tok.encode("The cat saw the garden.").ids), "the cat saw the garden.")
    }
}
