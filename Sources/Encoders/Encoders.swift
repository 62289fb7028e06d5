/// Encoders: safetensors weights, the BERT (all-MiniLM-L6-v2) forward pass, pooling, prefix embeddings and their on-disk cache.
///
/// Map of the module:
/// - `SafeTensorsFile` (+ `MappedFile`, `FloatTensor`): memory-mapped, validated weights files.
/// - `BertConfig`, `BertWeights`, `BertModel`: sizes from `config.json`, the tensors, the forward pass
///   (`Kernels` holds its element-wise loops, on Numerics' `FastMath`).
/// - `Pooling`, `SentenceEncoder`: tokenise (module Tokenization) → forward → pool, batched and threaded.
/// - `PrefixEmbedder`, `PrefixStrategy`: the embedding before every word, exact or approximated.
/// - `EmbeddingCache`, `ModelFingerprint`: the persistent cache (digests from module Hashing).
public enum EncodersModule {}
