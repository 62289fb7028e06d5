import Foundation
import Numerics
import Tokenization

/// One row of the learning curve (written to the TSV and kept in checkpoints).
public struct CurveRow: Codable, Equatable, Sendable {
    public var step: Int
    /// Epochs done (fractional).
    public var epoch: Double
    /// Training predictions seen so far.
    public var tokensSeen: Int
    /// Mean training cross-entropy (nats per token) since the previous row.
    public var trainNatsPerToken: Double
    /// Dev cross-entropy (nats per token), per-token and per-word perplexity, bits per word.
    public var devNatsPerToken: Double
    public var devTokenPerplexity: Double
    public var devWordPerplexity: Double
    public var devBitsPerWord: Double
    public var learningRate: Double
    /// Wall-clock seconds of training so far (this process; not restored on resume).
    public var seconds: Double

    static let tsvHeader = "step\tepoch\ttokens_seen\ttrain_nats_per_token\tdev_nats_per_token\tdev_ppl_token\tdev_ppl_word\tdev_bits_per_word\tlearning_rate\tseconds"
    var tsvLine: String {
        func f(_ x: Double, _ d: Int = 4) -> String { String(format: "%.\(d)f", x) }
        return "\(step)\t\(f(epoch, 3))\t\(tokensSeen)\t\(f(trainNatsPerToken))\t\(f(devNatsPerToken))\t\(f(devTokenPerplexity, 3))\t\(f(devWordPerplexity, 3))\t\(f(devBitsPerWord))\t\(String(format: "%.3g", learningRate))\t\(f(seconds, 1))"
    }
}

/// What a model or checkpoint file says about itself (stored as JSON inside the file).
public struct CheckpointHeader: Codable, Equatable, Sendable {
    /// "model" (weights only) or "checkpoint" (weights, optimiser and training state).
    public var kind: String
    public var model: LMConfig
    public var training: TrainingConfig?
    public var tokenizerFingerprint: String
    public var dataFingerprint: String?
    public var fusion: FusionProvenance?
    /// Optimiser steps done.
    public var step: Int
    public var tokensSeen: Int
    public var bestDevNatsPerToken: Double?
    public var evalsSinceBest: Int
    /// The run is complete (all steps done or stopped early).
    public var finished: Bool
    public var curve: [CurveRow]
}

/// The binary model/checkpoint file, format version 1:
///
///     "RTPIPELM"  u32 version  string header-JSON  string tokenizer-JSON
///     floats parameters
///     u32 has-optimiser [floats Adam m, floats Adam v]
///     doubles training scalars
///     u32 carried-state layers [floats h, floats c] per layer
///     u64 FNV-1a checksum of all the above
///
/// (strings and float/double arrays carry a u64 length; little-endian). Written through a
/// temporary file and a rename; read with the checksum checked first, so truncated or damaged
/// files are refused with a clear message.
enum CheckpointFile {
    static let magic = Array("RTPIPELM".utf8)
    static let version: UInt32 = 1

    struct Contents {
        var header: CheckpointHeader
        var tokenizer: BPETokenizer
        var parameters: [Float]
        var adamM: [Float]?
        var adamV: [Float]?
        var scalars: [Double]
        var state: RecurrentState<Float>?
    }

    static func write(_ url: URL, header: CheckpointHeader, tokenizer: BPETokenizer, parameters: ScalarBuffer<Float>, adam: Adam?,
                      scalars: [Double] = [], state: RecurrentState<Float>? = nil) throws {
        var w = BinaryWriter()
        w.bytes(magic); w.u32(version)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        w.string(String(decoding: try enc.encode(header), as: UTF8.self))
        w.string(String(decoding: try tokenizer.serialized(), as: UTF8.self))
        w.floats(parameters.p, count: parameters.count)
        if let adam {
            w.u32(1); w.floats(adam.m.p, count: adam.m.count); w.floats(adam.v.p, count: adam.v.count)
        } else {
            w.u32(0)
        }
        w.doubles(scalars)
        if let state {
            w.u32(UInt32(state.h.count))
            for l in state.h.indices { w.floats(state.h[l]); w.floats(state.c[l]) }
        } else {
            w.u32(0)
        }
        try w.finish(to: url)
    }

    static func read(_ url: URL) throws -> Contents {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw LMError.invalidCheckpoint(path: url.path, reason: "cannot read it (\(SystemErrorText.reason(error)))")
        }
        guard data.count >= 8, [UInt8](data.prefix(8)) == magic else {
            throw LMError.invalidCheckpoint(path: url.path, reason: "not an rtpipe language-model file (no RTPIPELM header)")
        }
        var r = try BinaryReader(data: data, path: url.path)
        _ = try r.bytes(8)
        let v = try r.u32()
        guard v == version else {
            throw LMError.invalidCheckpoint(path: url.path, reason: "file format version \(v); this rtpipe reads version \(version)")
        }
        let header: CheckpointHeader
        do { header = try JSONDecoder().decode(CheckpointHeader.self, from: Data(try r.string().utf8)) } catch let e as LMError { throw e } catch {
            throw LMError.invalidCheckpoint(path: url.path, reason: "its header is not valid (\(error))")
        }
        // The layout below is computed from these sizes: check them first (a damaged or crafted
        // header must be refused, not overflow or build an impossible range).
        do { try header.model.validate() } catch LMError.invalidConfiguration(let why) {
            throw LMError.invalidCheckpoint(path: url.path, reason: "its model configuration is not valid: \(why)")
        }
        let tokenizer = try BPETokenizer(serialized: Data(try r.string().utf8), path: url.path + " (embedded tokenizer)")
        guard tokenizer.fingerprint == header.tokenizerFingerprint else {
            throw LMError.invalidCheckpoint(path: url.path, reason: "the embedded tokenizer does not match the header's fingerprint")
        }
        let parameters = try r.floats()
        let expected = ParameterLayout(header.model).count
        guard parameters.count == expected else {
            throw LMError.invalidCheckpoint(path: url.path, reason: "\(parameters.count) parameters stored, the configuration needs \(expected)")
        }
        var c = Contents(header: header, tokenizer: tokenizer, parameters: parameters, adamM: nil, adamV: nil, scalars: [], state: nil)
        if try r.u32() == 1 {
            c.adamM = try r.floats(); c.adamV = try r.floats()
            guard c.adamM!.count == expected, c.adamV!.count == expected else {
                throw LMError.invalidCheckpoint(path: url.path, reason: "the optimiser state does not match the parameters")
            }
        }
        c.scalars = try r.doubles()
        let layers = try r.u32()
        if layers > 0 {
            var s = RecurrentState<Float>(h: [], c: [])
            for _ in 0..<layers { s.h.append(try r.floats()); s.c.append(try r.floats()) }
            c.state = s
        }
        guard r.atEnd else { throw LMError.invalidCheckpoint(path: url.path, reason: "unexpected data after the last field") }
        return c
    }
}

extension LanguageModel {
    /// Writes the model (configuration, tokenizer, weights, fusion provenance) to a file.
    public func save(to url: URL, step: Int = 0, curve: [CurveRow] = [], training: TrainingConfig? = nil) throws {
        let header = CheckpointHeader(kind: "model", model: config, training: training, tokenizerFingerprint: tokenizer.fingerprint,
                                      dataFingerprint: nil, fusion: fusion, step: step, tokensSeen: 0, bestDevNatsPerToken: nil,
                                      evalsSinceBest: 0, finished: true, curve: curve)
        try CheckpointFile.write(url, header: header, tokenizer: tokenizer, parameters: core.params, adam: nil)
    }

    /// Reads a model file (or the weights of a training checkpoint).
    public static func load(from url: URL) throws -> LanguageModel {
        let c = try CheckpointFile.read(url)
        let model = try LanguageModel(config: c.header.model, tokenizer: c.tokenizer)
        try model.setParameters(c.parameters)
        model.fusion = c.header.fusion
        return model
    }

    /// The header of a model or checkpoint file.
    public static func header(of url: URL) throws -> CheckpointHeader { try CheckpointFile.read(url).header }
}
