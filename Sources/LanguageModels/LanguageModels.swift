/// LanguageModels: LSTM language models with sentence-embedding fusion (Zouhar et al. 2022): training, perplexity, surprisal.
public enum LanguageModelsModule {}
