import XCTest
@testable import LanguageModels

final class TrainingTextTests: XCTestCase {
    func testSentenceSplitting() {
        XCTAssertEqual(SentenceSplitter.split("Mr. Darcy came. He smiled! Did she? \"Yes,\" said J. Smith. Oh! how kind."),
                       ["Mr. Darcy came.", "He smiled!", "Did she?", "\"Yes,\" said J. Smith.", "Oh! how kind."])
        XCTAssertEqual(SentenceSplitter.split("It was 5 p.m. when the 2nd train left... Then it rained."),
                       ["It was 5 p.m. when the 2nd train left...", "Then it rained."])
        XCTAssertEqual(SentenceSplitter.split("\"Go away.\" She left."), ["\"Go away.\"", "She left."])
    }

    func testParagraphsHeadingsDocumentsAndNormalisation() throws {
        let text = """
        ## First Book
        CHAPTER I

        It was a  _fine_ day,
        and the “sun” shone.   Everyone ‘smiled’.

        ## Second Book
        A new start.
        """
        let t = try TrainingText.parse(data: Data(text.utf8))
        XCTAssertEqual(t.sentences.map(\.text), ["It was a fine day, and the \"sun\" shone.", "Everyone 'smiled'.", "A new start."])
        XCTAssertEqual(t.sentences.map(\.document), [0, 0, 1])
        XCTAssertEqual(t.sentences.map(\.paragraph), [0, 0, 1])
        XCTAssertEqual(t.documentTitles, ["First Book", "Second Book"])
        let lines = TrainingText.parse("One. Two.\n\nThree\n", layout: .sentencePerLine)
        XCTAssertEqual(lines.sentences.map(\.text), ["One. Two.", "Three"])
    }

    func testBadFilesGetClearErrors() throws {
        func reason(_ bytes: [UInt8]) -> String {
            do { _ = try TrainingText.parse(data: Data(bytes), source: "f.txt"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(reason([]).contains("empty"))
        XCTAssertTrue(reason([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).contains("binary"))
        XCTAssertTrue(reason(Array("abc ".utf8) + [0xFF, 0xFE] + Array(" def".utf8)).contains("not valid UTF-8 (first bad byte at offset 4)"))
        XCTAssertTrue(reason(Array("   \n\n  \n".utf8)).contains("no sentences"))
        XCTAssertThrowsError(try TrainingText.read(URL(fileURLWithPath: "/nonexistent/file.txt")))
    }

    func testSplitsAreDeterministicDisjointAndNested() throws {
        let t = try TrainingText.parse(data: Data(ToyText.paragraphs(600).utf8))
        XCTAssertEqual(t.sentences.count, 600)
        let a = try TextSplits.make(t, train: 200, dev: 50, test: 50, seed: 4)
        let b = try TextSplits.make(t, train: 200, dev: 50, test: 50, seed: 4)
        let big = try TextSplits.make(t, train: 400, dev: 50, test: 50, seed: 4)
        let rest = try TextSplits.make(t, dev: 50, test: 50, seed: 4)
        XCTAssertEqual(a, b)
        XCTAssertEqual([a.train.count, a.dev.count, a.test.count], [200, 50, 50])
        XCTAssertTrue(Set(a.train).isDisjoint(with: a.dev) && Set(a.train).isDisjoint(with: a.test) && Set(a.dev).isDisjoint(with: a.test))
        XCTAssertTrue(Set(a.train).isSubset(of: Set(big.train)))
        XCTAssertEqual(big.dev, a.dev)
        XCTAssertTrue((490...500).contains(rest.train.count))   // sentences of cut paragraphs are dropped
        XCTAssertNotEqual(try TextSplits.make(t, train: 200, dev: 50, test: 50, seed: 5).dev, a.dev)
        XCTAssertThrowsError(try TextSplits.make(t, train: 10_000, dev: 50, test: 50)) { XCTAssertTrue("\($0)".contains("has 600 sentences")) }
    }
}
