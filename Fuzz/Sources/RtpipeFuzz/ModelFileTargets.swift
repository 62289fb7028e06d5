import Encoders
import Foundation
import LanguageModels
import Tokenization

/// Targets for model files: safetensors weights, BPE and WordPiece vocabularies, `.rtlm`
/// language-model files.
enum ModelFileTargets {
    static let all: [FuzzTarget] = [safeTensors, bpe, wordPiece, checkpoint]

    // MARK: safetensors

    /// A safetensors file: u64 header length, JSON header, data (tensors given as raw bytes).
    static func safeTensorsFile(_ tensors: [(name: String, dtype: String, shape: [Int], data: [UInt8])]) -> [UInt8] {
        var entries = ["\"__metadata__\":{\"format\":\"pt\"}"]
        var body: [UInt8] = []
        for t in tensors {
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append("\"\(t.name)\":{\"dtype\":\"\(t.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(body.count),\(body.count + t.data.count)]}")
            body += t.data
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out += $0 }
        return out + header + body
    }

    static func floatBytes(_ v: [Float]) -> [UInt8] { v.flatMap { f in withUnsafeBytes(of: f.bitPattern.littleEndian) { Array($0) } } }

    static let safeTensors = FuzzTarget("safetensors", "safetensors weight files (SafeTensorsFile)", seeds: [
        ("three.safetensors", safeTensorsFile([
            ("a", "F32", [2, 3], floatBytes([1, 2, 3, 4, 5, 6])),
            ("h", "F16", [2], [0x00, 0x38, 0x00, 0xC0]),
            ("b", "BF16", [3], [0xC0, 0x3F, 0x80, 0xBE, 0x80, 0x44]),
            ("i", "I64", [1], [1, 0, 0, 0, 0, 0, 0, 0]),
        ])),
        ("empty.safetensors", safeTensorsFile([("z", "F32", [0, 4], [])])),
    ]) { bytes in
        let url = URL(fileURLWithPath: try FuzzScratch.write(bytes, "model.safetensors", in: FuzzScratch.subfolder("safetensors")))
        let file = try SafeTensorsFile(url: url)
        for (name, info) in file.tensors { _ = try? file.floats(name, shape: info.shape) }
    }

    // MARK: tokenizers

    /// A tiny BPE tokenizer trained on two sentences (its serialized JSON is the seed).
    static let tinyBPE: BPETokenizer? = {
        var options = BPETrainingOptions(vocabularySize: 300)
        options.minCharacterFrequency = 1
        options.minPairFrequency = 1
        options.allowSmallerVocabulary = true
        return try? BPETokenizer.train(sentences: ["The cat sat on the mat.", "A café, then rain — \u{201C}ok\u{201D}."], options: options)
    }()

    static let bpe = FuzzTarget("bpe", "BPE tokenizer files (BPETokenizer(serialized:)) and encoding with them",
                                seeds: [("tiny.json", (try? tinyBPE?.serialized()).flatMap { $0.map { [UInt8]($0) } } ?? [])]) { bytes in
        let tokenizer = try BPETokenizer(serialized: Data(bytes), path: "fuzz.json")
        let encoding = tokenizer.encode("The cat sat on the café mat, then \u{1F600} 42.")
        _ = tokenizer.decode(encoding.ids)
        _ = tokenizer.tokens(encoding.ids)
    }

    static let wordPiece = FuzzTarget("wordpiece", "WordPiece vocab.txt (WordPieceVocabulary, WordPieceTokenizer)", seeds: [
        ("vocab.txt", utf8(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s", "##at", "c", "##a", "##t", ".", ",", "caf", "##e", "##\u{E9}"].joined(separator: "\n") + "\n")),
        ("crlf.txt", utf8("[UNK]\r\n[CLS]\r\n[SEP]\r\nhello\r\n##lo\r\n")),
    ]) { bytes in
        let url = URL(fileURLWithPath: try FuzzScratch.write(bytes, "vocab.txt", in: FuzzScratch.subfolder("wordpiece")))
        let vocabulary = try WordPieceVocabulary(contentsOf: url)
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary)
        let encoding = tokenizer.encode("The cats sat on the café mat, \u{4E2D}\u{6587} ok?", maxLength: 32)
        for id in encoding.ids { _ = vocabulary.token(of: id) }
    }

    // MARK: language-model files

    /// A 64-bit FNV-1a checksum, as `.rtlm` files end with.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// The bytes of a tiny model file without its trailing checksum (E = H = D = 2).
    static let tinyModelBody: [UInt8] = {
        guard let tokenizer = tinyBPE,
              let model = try? LanguageModel(config: LMConfig(vocabularySize: tokenizer.vocabularySize, embeddingSize: 2, hiddenSize: 2, denseSize: 2),
                                             tokenizer: tokenizer) else { return [] }
        let url = URL(fileURLWithPath: NSTemporaryDirectory() + "/rtpipe-fuzz-seed-\(getpid()).rtlm")
        defer { try? FileManager.default.removeItem(at: url) }
        guard (try? model.save(to: url)) != nil, let data = try? Data(contentsOf: url), data.count > 8 else { return [] }
        return [UInt8](data.dropLast(8))
    }()

    /// `.rtlm` files. The input is the file without its checksum: the target appends a correct
    /// FNV-1a checksum, so mutations reach the field parsing behind the checksum check.
    static let checkpoint = FuzzTarget("checkpoint", "language-model files .rtlm (checksum appended by the target; LanguageModel.load, scoring)",
                                       seeds: [("tiny.rtlm-body", tinyModelBody)]) { bytes in
        var file = bytes
        withUnsafeBytes(of: fnv1a(bytes).littleEndian) { file += $0 }
        let url = URL(fileURLWithPath: try FuzzScratch.write(file, "model.rtlm", in: FuzzScratch.subfolder("checkpoint")))
        let model = try LanguageModel.load(from: url)
        _ = try SurprisalScorer(model: model).score(sentences: [["The", "cat", "sat."]])
    }
}
