/// MixedModels: lme4-style formulas, model matrices, ordinary least squares, linear mixed
/// models (ML and REML, profiled deviance as in Bates et al. 2015), and model comparison
/// (ΔLogLik in-sample and cross-validated).
public enum MixedModelsModule {}
