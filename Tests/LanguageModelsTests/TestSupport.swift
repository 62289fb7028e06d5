import Foundation
import Numerics
@testable import LanguageModels
import Tokenization

/// Small synthetic English written for these tests: a toy grammar, so the language model has
/// patterns to learn and every run is reproducible.
enum ToyText {
    static let subjects = ["the cat", "a dog", "my neighbour", "the old man", "her sister", "the teacher", "a child", "the farmer"]
    static let verbs = ["saw", "liked", "visited", "painted", "followed", "found", "called", "helped"]
    static let objects = ["the house", "a small bird", "the river", "an apple", "the garden", "a letter", "the station", "his friend"]
    static let endings = [".", ".", "!", "?"]

    static func sentences(_ n: Int, seed: UInt64 = 1) -> [String] {
        var rng = SeededGenerator(seed: seed)
        func pick(_ a: [String]) -> String { a[Int(rng.next() % UInt64(a.count))] }
        return (0..<n).map { _ in
            var s = pick(subjects) + " " + pick(verbs) + " " + pick(objects)
            if rng.nextUnit() < 0.3 { s += ", and " + pick(subjects) + " " + pick(verbs) + " " + pick(objects) }
            s += pick(endings)
            return s.prefix(1).uppercased() + s.dropFirst()
        }
    }

    /// A text file layout: paragraphs of three sentences separated by blank lines.
    static func paragraphs(_ n: Int, seed: UInt64 = 1) -> String {
        let s = sentences(n, seed: seed)
        return stride(from: 0, to: s.count, by: 3).map { s[$0..<min(s.count, $0 + 3)].joined(separator: " ") }.joined(separator: "\n\n")
    }

    static func tokenizer(vocabulary: Int = 400, sentences n: Int = 300) throws -> BPETokenizer {
        var o = BPETrainingOptions(vocabularySize: vocabulary)
        o.allowSmallerVocabulary = true
        return try BPETokenizer.train(sentences: sentences(n), options: o)
    }

    /// A tokenised dataset of `n` toy sentences.
    static func dataset(_ n: Int, seed: UInt64, tokenizer: BPETokenizer) -> LMDataset {
        let text = TrainingText.parse(sentences(n, seed: seed).joined(separator: "\n"), layout: .sentencePerLine)
        return LMDataset(text: text, indices: Array(text.sentences.indices), tokenizer: tokenizer)
    }

    static func tempDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-lm-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
