/// LanguageModels: LSTM language models with sentence-embedding fusion (Zouhar, Mosbach &
/// Klakow 2022) — training text, BPE-tokenised data, the model and its backward pass on BLAS,
/// Adam training with resumable checkpoints, perplexity, and word surprisal.
///
/// Where to start reading:
/// - `TrainingText` (Data/): plain text → normalised sentences → train/dev/test splits.
/// - `LMConfig`, `FusionMode` (Model/): the architecture and the paper's fusion modes.
/// - `LanguageModel` (Model/): the trainable model; `LSTMCore` holds the maths.
/// - `FusionEmbeddings`, `EmbeddingSource` (Fusion/): per-word-position sentence embeddings.
/// - `LMTrainer` (Training/): Adam, clipping, schedule, early stopping, checkpoints.
/// - `PerplexityReport`, `SurprisalScorer` (Evaluation/): perplexity with stated bases, word surprisal.
/// - `LMRun`, `LMRunSpec` (Training/): one whole run on disk (text → splits → tokenizer →
///   embeddings → training → summary), what the command line and the pipeline call.
public enum LanguageModelsModule {}
