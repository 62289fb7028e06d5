import Tokenization
import XCTest

/// The LSTM language models' tokenizer on its own.
final class BPETrainerTests: XCTestCase {
    private let sentences = (0..<200).map { i in "the cat sat on the mat \(i % 7 == 0 ? "again" : "today") and the dog ran" }

    func testTrainingIsDeterministicAndRoundTrips() throws {
        var options = BPETrainingOptions(vocabularySize: 320)
        options.allowSmallerVocabulary = true
        let a = try BPETokenizer.train(sentences: sentences, options: options)
        let b = try BPETokenizer.train(sentences: sentences, options: options)
        XCTAssertEqual(a, b)
        XCTAssertLessThanOrEqual(a.vocabularySize, 320)
        let text = "the dog sat again"
        XCTAssertEqual(a.decode(a.encode(text).ids), text)
    }

    func testFrequentWordsBecomeOneToken() throws {
        var options = BPETrainingOptions(vocabularySize: 320)
        options.allowSmallerVocabulary = true
        let tok = try BPETokenizer.train(sentences: sentences, options: options)
        XCTAssertEqual(tok.encode("the").ids.count, 1)
        XCTAssertGreaterThan(tok.encode("zebra").ids.count, 1, "an unseen word falls apart into pieces")
    }
}
