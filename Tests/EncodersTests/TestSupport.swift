import Encoders
import Foundation
import Tokenization
import XCTest

/// Where the tests find the model and the committed reference data.
enum TestSupport {
    /// The package root, from this file's path (Tests/EncodersTests/TestSupport.swift).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `$RTPIPE_ENCODER_DIR`, else `<package root>/.rtpipe/models/all-MiniLM-L6-v2`.
    static var modelDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["RTPIPE_ENCODER_DIR"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return packageRoot.appendingPathComponent(".rtpipe/models/all-MiniLM-L6-v2")
    }

    /// The model folder, or an XCTSkip explaining how to get it.
    static func requireModel() throws -> URL {
        let dir = modelDirectory
        for f in ["config.json", "vocab.txt", "model.safetensors", "tokenizer.json"] {
            guard FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path) else {
                throw XCTSkip("encoder weights not found at \(dir.path) (missing \(f)); run scripts/setup or set RTPIPE_ENCODER_DIR")
            }
        }
        return dir
    }

    /// Reference data made by benchmarks/encoder/make_reference.py.
    static var referenceDirectory: URL { packageRoot.appendingPathComponent("benchmarks/encoder/reference") }

    struct ReferenceSentence {
        let text: String
        let ids: [Int32]
        let offsets: [Range<Int>]
    }

    static func referenceSentences() throws -> [ReferenceSentence] {
        let data = try Data(contentsOf: referenceDirectory.appendingPathComponent("tokens.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try XCTUnwrap(root["sentences"] as? [[String: Any]])
        return try list.map { s in
            let ids = try XCTUnwrap(s["ids"] as? [Int]).map(Int32.init)
            let offsets = try XCTUnwrap(s["offsets"] as? [[Int]]).map { $0[0]..<$0[1] }
            return ReferenceSentence(text: try XCTUnwrap(s["text"] as? String), ids: ids, offsets: offsets)
        }
    }

    /// Reference vectors for a pooling: `count` rows of `width` little-endian float32.
    static func referenceVectors(_ pooling: Pooling, width: Int) throws -> [[Float]] {
        let data = try Data(contentsOf: referenceDirectory.appendingPathComponent("\(pooling.rawValue).f32"))
        let floats = data.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        return stride(from: 0, to: floats.count, by: width).map { Array(floats[$0..<($0 + width)]) }
    }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-enc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// One encoder shared by the tests of a run (loading maps 90 MB and parses the vocabulary).
    nonisolated(unsafe) private static var shared: SentenceEncoder?
    static func encoder() throws -> SentenceEncoder {
        let dir = try requireModel()
        if let e = shared { return e }
        let e = try SentenceEncoder(directory: dir, threads: 2)
        shared = e
        return e
    }
}

/// Writes safetensors files for tests (the format: 8-byte little-endian header length, JSON header, data).
enum SafeTensorsWriter {
    struct Tensor {
        var name: String
        var shape: [Int]
        var values: [Float]
        var dtype = "F32"
    }

    static func data(_ tensors: [Tensor], metadata: [String: String] = ["format": "pt"]) -> Data {
        var header: [String: Any] = ["__metadata__": metadata]
        var payload = Data()
        for t in tensors {
            let start = payload.count
            for v in t.values {
                switch t.dtype {
                case "F16": withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { payload.append(contentsOf: $0) }
                case "BF16": withUnsafeBytes(of: UInt16(v.bitPattern >> 16).littleEndian) { payload.append(contentsOf: $0) }
                default: withUnsafeBytes(of: v.bitPattern.littleEndian) { payload.append(contentsOf: $0) }
                }
            }
            header[t.name] = ["dtype": t.dtype, "shape": t.shape, "data_offsets": [start, payload.count]]
        }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }  // pad so the data stays aligned
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        return out + json + payload
    }
}

/// A tiny random BERT written to a folder (config.json, vocab.txt, model.safetensors), plus a
/// straightforward Double-precision forward pass to check the real one against.
struct TinyBert {
    let hidden = 8, heads = 2, layers = 2, intermediate = 16, maxPositions = 16
    let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", ".", "##s", "a", "dog", "ran"]
    var tensors: [String: (shape: [Int], values: [Float])] = [:]

    init(seed: UInt64 = 7) {
        var state = seed
        func rand() -> Float {  // xorshift, uniform in [-0.5, 0.5)
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(state % 10_000) / 10_000 - 0.5
        }
        func t(_ name: String, _ shape: [Int], scale: Float = 1, offset: Float = 0) {
            tensors[name] = (shape, (0..<shape.reduce(1, *)).map { _ in offset + scale * rand() })
        }
        let h = hidden, i = intermediate
        t("embeddings.word_embeddings.weight", [vocab.count, h])
        t("embeddings.position_embeddings.weight", [maxPositions, h])
        t("embeddings.token_type_embeddings.weight", [2, h])
        t("embeddings.LayerNorm.weight", [h], scale: 0.2, offset: 1)
        t("embeddings.LayerNorm.bias", [h], scale: 0.2)
        for l in 0..<layers {
            let p = "encoder.layer.\(l)."
            for n in ["query", "key", "value"] { t(p + "attention.self.\(n).weight", [h, h]); t(p + "attention.self.\(n).bias", [h], scale: 0.2) }
            t(p + "attention.output.dense.weight", [h, h]); t(p + "attention.output.dense.bias", [h], scale: 0.2)
            t(p + "attention.output.LayerNorm.weight", [h], scale: 0.2, offset: 1); t(p + "attention.output.LayerNorm.bias", [h], scale: 0.2)
            t(p + "intermediate.dense.weight", [i, h]); t(p + "intermediate.dense.bias", [i], scale: 0.2)
            t(p + "output.dense.weight", [h, i]); t(p + "output.dense.bias", [h], scale: 0.2)
            t(p + "output.LayerNorm.weight", [h], scale: 0.2, offset: 1); t(p + "output.LayerNorm.bias", [h], scale: 0.2)
        }
    }

    var config: [String: Any] {
        ["model_type": "bert", "hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
         "intermediate_size": intermediate, "vocab_size": vocab.count, "max_position_embeddings": maxPositions,
         "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"]
    }

    /// Writes the model; `namePrefix` (e.g. "bert.") is put before every tensor name.
    func write(to dir: URL, namePrefix: String = "", configOverrides: [String: Any] = [:]) throws {
        var cfg = config
        for (k, v) in configOverrides { cfg[k] = v }
        try JSONSerialization.data(withJSONObject: cfg).write(to: dir.appendingPathComponent("config.json"))
        try (vocab.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        let list = tensors.keys.sorted().map { SafeTensorsWriter.Tensor(name: namePrefix + $0, shape: tensors[$0]!.shape, values: tensors[$0]!.values) }
        try SafeTensorsWriter.data(list).write(to: dir.appendingPathComponent("model.safetensors"))
    }

    /// Last hidden states by the textbook formulas, in Double.
    func reference(_ ids: [Int]) -> [[Double]] {
        let h = hidden, d = hidden / heads
        func w(_ n: String) -> [Double] { tensors[n]!.values.map(Double.init) }
        func linear(_ x: [[Double]], _ name: String, out: Int) -> [[Double]] {
            let W = w(name + ".weight"), b = w(name + ".bias"), inW = x[0].count
            return x.map { (row: [Double]) -> [Double] in
                (0..<out).map { (o: Int) -> Double in
                    var s = b[o]
                    for j in 0..<inW { s += W[o * inW + j] * row[j] }
                    return s
                }
            }
        }
        func add(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] { zip(a, b).map { zip($0, $1).map { $0 + $1 } } }
        func norm(_ x: [[Double]], _ name: String) -> [[Double]] {
            let g = w(name + ".weight"), b = w(name + ".bias")
            return x.map { r in
                let mu = r.reduce(0, +) / Double(r.count)
                let v = r.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(r.count)
                return r.indices.map { (r[$0] - mu) / (v + 1e-12).squareRoot() * g[$0] + b[$0] }
            }
        }
        let we = w("embeddings.word_embeddings.weight"), pe = w("embeddings.position_embeddings.weight"), te = w("embeddings.token_type_embeddings.weight")
        var x: [[Double]] = ids.enumerated().map { (p: Int, id: Int) -> [Double] in
            (0..<h).map { (j: Int) -> Double in we[id * h + j] + pe[p * h + j] + te[j] }
        }
        x = norm(x, "embeddings.LayerNorm")
        for l in 0..<layers {
            let p = "encoder.layer.\(l)."
            let q = linear(x, p + "attention.self.query", out: h), k = linear(x, p + "attention.self.key", out: h)
            let v = linear(x, p + "attention.self.value", out: h)
            var ctx = [[Double]](repeating: [Double](repeating: 0, count: h), count: ids.count)
            for head in 0..<heads {
                let r = (head * d)..<((head + 1) * d)
                for i in ids.indices {
                    var s = [Double](repeating: 0, count: ids.count)
                    for j in ids.indices { for c in r { s[j] += q[i][c] * k[j][c] }; s[j] /= Double(d).squareRoot() }
                    let m = s.max()!
                    let e = s.map { Foundation.exp($0 - m) }
                    let z = e.reduce(0, +)
                    for c in r { for j in ids.indices { ctx[i][c] += e[j] / z * v[j][c] } }
                }
            }
            let a = linear(ctx, p + "attention.output.dense", out: h)
            x = norm(add(x, a), p + "attention.output.LayerNorm")
            let inter = linear(x, p + "intermediate.dense", out: intermediate).map { (row: [Double]) -> [Double] in
                row.map { (z: Double) -> Double in 0.5 * z * (1 + Foundation.erf(z / 2.0.squareRoot())) }
            }
            let o = linear(inter, p + "output.dense", out: h)
            x = norm(add(x, o), p + "output.LayerNorm")
        }
        return x
    }
}
