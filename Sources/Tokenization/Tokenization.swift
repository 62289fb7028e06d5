/// Tokenization: WordPiece for the sentence encoder, BPE for the LSTM language models, and word↔token alignment by character offsets.
public enum TokenizationModule {}
