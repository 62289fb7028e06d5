import Foundation
import Numerics

/// A BERT encoder (all-MiniLM-L6-v2 or any checkpoint with the same file layout) running on
/// Float32 BLAS. Thread-safe: the weights are read-only and each call brings its own `Workspace`.
///
/// Forward pass for a sequence of n token ids t₁…tₙ (`[CLS] … [SEP]`), hidden width H, h heads
/// of width d = H/h:
/// - embeddings: x_i = LayerNorm(W_word[t_i] + W_pos[i] + W_type[0]);
/// - each layer (post-LN):
///   Q, K, V = x·W_qᵀ + b_q, x·W_kᵀ + b_k, x·W_vᵀ + b_v (one GEMM for all three);
///   per head: A = softmax(Q_h K_hᵀ / √d) row-wise, C_h = A·V_h;
///   x ← LayerNorm(x + C·W_oᵀ + b_o);
///   x ← LayerNorm(x + GELU(x·W_1ᵀ + b_1)·W_2ᵀ + b_2) with the exact-erf GELU.
///
/// A batch is *packed*: the sequences' tokens lie one after another with no padding, so every
/// linear layer is one GEMM over all tokens of the batch, and attention runs per sequence and
/// head — no padding mask is needed because no sequence ever sees another's tokens.
public final class BertModel: @unchecked Sendable {
    public let config: BertConfig
    public let weights: BertWeights
    /// The weights file (kept open: tensors may point into its mapping).
    public let weightsFile: SafeTensorsFile

    /// Loads `config.json` and `model.safetensors` from a model folder.
    public convenience init(directory: URL) throws {
        let config = try BertConfig.load(directory.appendingPathComponent("config.json"))
        let file = try SafeTensorsFile(url: directory.appendingPathComponent("model.safetensors"))
        try self.init(config: config, weightsFile: file)
    }

    public init(config: BertConfig, weightsFile: SafeTensorsFile) throws {
        self.config = config
        self.weightsFile = weightsFile
        self.weights = try BertWeights(file: weightsFile, config: config)
    }

    /// Scratch memory for one thread's forward passes; grows to the largest batch seen.
    public final class Workspace {
        let x = Scratch<Float>(), qkv = Scratch<Float>(), ctx = Scratch<Float>(), tmp = Scratch<Float>()
        let inter = Scratch<Float>(), scores = Scratch<Float>()
        public init() {}
    }

    /// Checks that every sequence fits the model: ids inside the vocabulary, length ≤ max positions.
    public func validate(_ sequences: [[Int32]]) throws {
        for s in sequences {
            guard s.count <= config.maxPositions else { throw EncoderError.sequenceTooLong(length: s.count, maximum: config.maxPositions) }
            for id in s where id < 0 || Int(id) >= config.vocabularySize {
                throw EncoderError.invalidTokenID(id, vocabularySize: config.vocabularySize)
            }
        }
    }

    /// Runs the encoder on `sequences` and calls `body` with the last hidden states: a row-major
    /// `(Σ lengths) × hidden` buffer, sequence after sequence, valid only during the call.
    public func withHiddenStates<R>(_ sequences: [[Int32]], workspace ws: Workspace,
                                    _ body: (UnsafePointer<Float>) throws -> R) throws -> R {
        try validate(sequences)
        let H = config.hiddenSize, I = config.intermediateSize, d = config.headSize
        let tokens = sequences.reduce(0) { $0 + $1.count }
        let longest = sequences.map(\.count).max() ?? 0
        let x = ws.x.get(tokens * H), qkv = ws.qkv.get(tokens * 3 * H), ctx = ws.ctx.get(tokens * H)
        let tmp = ws.tmp.get(tokens * H), inter = ws.inter.get(tokens * I), scores = ws.scores.get(longest * longest)
        let w = weights

        // Embeddings.
        var row = 0
        for s in sequences {
            for (pos, id) in s.enumerated() {
                let dst = x + row * H
                let word = w.wordEmbeddings.pointer + Int(id) * H, position = w.positionEmbeddings.pointer + pos * H
                let type = w.tokenTypeEmbeddings.pointer
                for j in 0..<H { dst[j] = word[j] + position[j] + type[j] }
                row += 1
            }
        }
        Kernels.addLayerNorm(x, residual: nil, rows: tokens, width: H, gamma: w.embeddingNormWeight.pointer,
                             beta: w.embeddingNormBias.pointer, epsilon: config.layerNormEpsilon)

        let scale = 1 / Float(d).squareRoot()
        for layer in w.layers {
            // Q, K, V for all tokens: qkv = x·W_qkvᵀ + b_qkv  (tokens × 3H).
            Kernels.fillRows(qkv, rows: tokens, n: 3 * H, ldc: 3 * H, bias: layer.qkvBias.pointer)
            linear(x, rows: tokens, inWidth: H, layer.qkvWeight, outWidth: 3 * H, into: qkv, accumulate: true)
            // Attention per sequence and head.
            var start = 0
            for s in sequences {
                let n = s.count
                for h in 0..<config.headCount {
                    let q = qkv + start * 3 * H + h * d
                    RawBLAS.gemmRowMajor(.none, .transpose, m: n, n: n, k: d, alpha: scale, q, lda: 3 * H, q + H, ldb: 3 * H,
                                         scores, ldc: n)
                    Kernels.softmaxRows(scores, rows: n, width: n, ld: n)
                    RawBLAS.gemmRowMajor(.none, .none, m: n, n: d, k: n, scores, lda: n, q + 2 * H, ldb: 3 * H,
                                         ctx + start * H + h * d, ldc: H)
                }
                start += n
            }
            // x ← LayerNorm(x + ctx·W_oᵀ + b_o).
            linear(ctx, rows: tokens, inWidth: H, layer.attentionOutWeight, outWidth: H, into: tmp)
            Kernels.addLayerNorm(x, residual: tmp, bias: layer.attentionOutBias.pointer, rows: tokens, width: H,
                                 gamma: layer.attentionNormWeight.pointer, beta: layer.attentionNormBias.pointer,
                                 epsilon: config.layerNormEpsilon)
            // Feed-forward: x ← LayerNorm(x + act(x·W_1ᵀ + b_1)·W_2ᵀ + b_2).
            linear(x, rows: tokens, inWidth: H, layer.intermediateWeight, outWidth: I, into: inter)
            switch config.activation {
            case .gelu:
                Kernels.biasGELU(inter, rows: tokens, width: I, bias: layer.intermediateBias.pointer)
            case .geluTanh:
                Kernels.addBias(inter, rows: tokens, width: I, bias: layer.intermediateBias.pointer)
                Kernels.geluTanh(inter, count: tokens * I)
            case .relu:
                Kernels.addBias(inter, rows: tokens, width: I, bias: layer.intermediateBias.pointer)
                Kernels.relu(inter, count: tokens * I)
            }
            linear(inter, rows: tokens, inWidth: I, layer.outputWeight, outWidth: H, into: tmp)
            Kernels.addLayerNorm(x, residual: tmp, bias: layer.outputBias.pointer, rows: tokens, width: H,
                                 gamma: layer.outputNormWeight.pointer, beta: layer.outputNormBias.pointer,
                                 epsilon: config.layerNormEpsilon)
        }
        return try body(UnsafePointer(x))
    }

    /// y = x·Wᵀ (or y += x·Wᵀ when `accumulate`) for a `[out, in]` weight W: one GEMM over all
    /// tokens. Biases are added by the kernel that reads y next.
    @inline(__always)
    private func linear(_ x: UnsafePointer<Float>, rows: Int, inWidth: Int, _ weight: FloatTensor,
                        outWidth: Int, into y: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        RawBLAS.gemmRowMajor(.none, .transpose, m: rows, n: outWidth, k: inWidth, x, lda: inWidth, weight.pointer, ldb: inWidth,
                             beta: accumulate ? 1 : 0, y, ldc: outWidth)
    }

    /// Convenience: the last hidden states of one sequence as `n` rows of `hidden` floats.
    public func hiddenStates(_ ids: [Int32]) throws -> [[Float]] {
        let H = config.hiddenSize
        return try withHiddenStates([ids], workspace: Workspace()) { p in
            (0..<ids.count).map { Array(UnsafeBufferPointer(start: p + $0 * H, count: H)) }
        }
    }
}
