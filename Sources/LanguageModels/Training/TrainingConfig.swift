import Foundation

/// How a model is trained. Every field is recorded in checkpoints; a run only resumes from a
/// checkpoint made with the same settings.
public struct TrainingConfig: Codable, Equatable, Sendable {
    /// Seeds initial weights, data order, dropout masks and the splits' control derangement.
    public var seed: UInt64 = 1
    /// Sentences per step (sentence context) or parallel streams (document context).
    public var batchSize = 32
    /// Sentence or document context (`LMContext`).
    public var context: LMContext = .sentence
    /// Document context: positions per truncated-BPTT chunk.
    public var bpttSteps = 35
    /// Total optimiser steps; nil means `epochs` passes over the training data.
    public var steps: Int? = nil
    public var epochs = 10
    /// Adam (Kingma & Ba 2015) step size and moment decay rates.
    public var learningRate = 2e-3
    public var adamBeta1 = 0.9
    public var adamBeta2 = 0.999
    public var adamEpsilon = 1e-8
    /// Learning-rate schedule after the linear warm-up (`LearningRateSchedule`).
    public var warmupSteps = 100
    public var decay: LearningRateSchedule.Decay = .linear
    /// Clip the global L2 norm of the gradient to this (0: no clipping; Pascanu et al. 2013).
    public var clipNorm = 1.0
    /// Inverted-dropout rate on embeddings and layer outputs (0: none).
    public var dropout = 0.1
    /// Evaluate dev perplexity (and log a learning-curve row) every this many steps.
    public var evalEvery = 500
    /// Stop after this many evaluations without a better dev perplexity (0: never stop early).
    public var patience = 5
    /// Write a resumable checkpoint every this many steps (and at every evaluation and the end).
    public var checkpointEvery = 500
    /// Early fusion: at most this many positions (rows × steps) per forward pass.
    public var maxPositionsPerMicroBatch = 16384

    public init() {}

    /// The authors' setting (METHODS §1): Adam 1e-5, one sentence per step, no dropout, no
    /// clipping, constant rate, 100 epochs, best dev value kept (no early stopping).
    public static var paper: TrainingConfig {
        var c = TrainingConfig()
        c.batchSize = 1; c.learningRate = 1e-5; c.dropout = 0; c.clipNorm = 0; c.decay = .constant
        c.warmupSteps = 0; c.epochs = 100; c.patience = 0
        return c
    }

    public func validate() throws {
        func need(_ ok: Bool, _ why: String) throws { if !ok { throw LMError.invalidConfiguration(why) } }
        try need(batchSize >= 1, "batch size must be at least 1")
        try need(bpttSteps >= 1, "BPTT steps must be at least 1")
        try need((steps ?? 1) >= 1 && epochs >= 1, "steps and epochs must be at least 1")
        try need(learningRate > 0 && learningRate.isFinite, "the learning rate must be positive")
        try need(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)")
        try need(clipNorm >= 0, "the clipping norm must be ≥ 0")
        try need(evalEvery >= 1 && checkpointEvery >= 1, "evaluation and checkpoint intervals must be ≥ 1")
        try need(patience >= 0 && warmupSteps >= 0, "patience and warm-up must be ≥ 0")
        try need(adamBeta1 >= 0 && adamBeta1 < 1 && adamBeta2 >= 0 && adamBeta2 < 1 && adamEpsilon > 0, "Adam's β must be in [0, 1) and ε > 0")
    }
}

/// The step size at each step: a linear warm-up from 0 to the base rate over `warmupSteps`, then
///   constant: base;   linear: base·(1 − p);   cosine: base·½(1 + cos πp),
/// where p ∈ [0, 1] is the fraction of the post-warm-up steps done.
public struct LearningRateSchedule: Sendable {
    public enum Decay: String, Codable, Sendable, CaseIterable { case constant, linear, cosine }
    public var base: Double
    public var warmupSteps: Int
    public var decay: Decay
    public var totalSteps: Int

    /// Rate for the update made at `step` (0-based).
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return base * Double(step + 1) / Double(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let p = min(1, Double(step - warmupSteps) / Double(span))
        switch decay {
        case .constant: return base
        case .linear: return base * (1 - p)
        case .cosine: return base * 0.5 * (1 + cos(Double.pi * p))
        }
    }
}
