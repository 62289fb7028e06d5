import Foundation

/// The tensors of a BERT encoder, checked against its `BertConfig`.
///
/// Names follow Hugging Face's `BertModel` (`embeddings.word_embeddings.weight`,
/// `encoder.layer.0.attention.self.query.weight`, …), with or without a `bert.` prefix.
/// Linear weights are `[out, in]` row-major as PyTorch stores them. The word-embedding table is
/// used straight from the memory-mapped file; the query, key and value projections of each layer
/// are copied into one `[3·hidden, hidden]` matrix so that one GEMM computes all three.
public struct BertWeights: Sendable {
    public struct Layer: Sendable {
        /// Fused query/key/value projection `[3H, H]` and its bias `[3H]`.
        public let qkvWeight: FloatTensor, qkvBias: FloatTensor
        public let attentionOutWeight: FloatTensor, attentionOutBias: FloatTensor
        public let attentionNormWeight: FloatTensor, attentionNormBias: FloatTensor
        public let intermediateWeight: FloatTensor, intermediateBias: FloatTensor
        public let outputWeight: FloatTensor, outputBias: FloatTensor
        public let outputNormWeight: FloatTensor, outputNormBias: FloatTensor
    }

    public let wordEmbeddings: FloatTensor
    public let positionEmbeddings: FloatTensor
    public let tokenTypeEmbeddings: FloatTensor
    public let embeddingNormWeight: FloatTensor, embeddingNormBias: FloatTensor
    public let layers: [Layer]

    /// Loads and checks every tensor. Throws `EncoderError.missingTensor` or `.tensorMismatch`.
    public init(file: SafeTensorsFile, config c: BertConfig) throws {
        let prefix = file.tensors["embeddings.word_embeddings.weight"] == nil && file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func t(_ name: String, _ shape: [Int]) throws -> FloatTensor { try file.floats(prefix + name, shape: shape) }
        let h = c.hiddenSize, i = c.intermediateSize
        wordEmbeddings = try t("embeddings.word_embeddings.weight", [c.vocabularySize, h])
        positionEmbeddings = try t("embeddings.position_embeddings.weight", [c.maxPositions, h])
        tokenTypeEmbeddings = try t("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, h])
        embeddingNormWeight = try t("embeddings.LayerNorm.weight", [h])
        embeddingNormBias = try t("embeddings.LayerNorm.bias", [h])
        layers = try (0..<c.layerCount).map { l in
            let p = "encoder.layer.\(l)."
            let q = try t(p + "attention.self.query.weight", [h, h]), k = try t(p + "attention.self.key.weight", [h, h])
            let v = try t(p + "attention.self.value.weight", [h, h])
            let qb = try t(p + "attention.self.query.bias", [h]), kb = try t(p + "attention.self.key.bias", [h])
            let vb = try t(p + "attention.self.value.bias", [h])
            return Layer(
                qkvWeight: FloatTensor(shape: [3 * h, h], values: q.values + k.values + v.values),
                qkvBias: FloatTensor(shape: [3 * h], values: qb.values + kb.values + vb.values),
                attentionOutWeight: try t(p + "attention.output.dense.weight", [h, h]),
                attentionOutBias: try t(p + "attention.output.dense.bias", [h]),
                attentionNormWeight: try t(p + "attention.output.LayerNorm.weight", [h]),
                attentionNormBias: try t(p + "attention.output.LayerNorm.bias", [h]),
                intermediateWeight: try t(p + "intermediate.dense.weight", [i, h]),
                intermediateBias: try t(p + "intermediate.dense.bias", [i]),
                outputWeight: try t(p + "output.dense.weight", [h, i]),
                outputBias: try t(p + "output.dense.bias", [h]),
                outputNormWeight: try t(p + "output.LayerNorm.weight", [h]),
                outputNormBias: try t(p + "output.LayerNorm.bias", [h]))
        }
    }
}
