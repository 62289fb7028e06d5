/// Encoders: safetensors weights, the BERT (all-MiniLM-L6-v2) forward pass, pooling, prefix embeddings and their on-disk cache.
public enum EncodersModule {}
