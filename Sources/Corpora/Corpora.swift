/// Corpora: reading-time corpora in their published formats, reading measures, exclusions, aggregation, predictors, alignment and simulated readers.
public enum CorporaModule {}
