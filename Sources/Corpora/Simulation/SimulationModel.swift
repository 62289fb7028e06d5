import Foundation
import Numerics

/// The generative model of simulated reading times, with its planted effects.
///
/// For subject s and word w, the planted reading time (SPR: the RT; eye tracking: the gaze
/// duration of a word read in first pass) is
///
///     t = intercept + length·len(w) + logFrequency·logfreq(w) + surprisal·surp(w) + u[s] + v[w] + ε
///
/// with u[s] ~ N(0, subjectSD²), v[w] ~ N(0, wordSD²), ε ~ N(0, residualSD²), rounded to whole
/// ms and floored at `floor`. `len` is `WordForm.length`, `logfreq` is
/// `FrequencyTable.logFrequency` of the frequency source (by default the simulated text's own
/// word counts), `surp` is the given or synthetic surprisal.
///
/// Eye tracking also draws: first-pass skipping with probability 1/(1 + e^−(skipBase −
/// skipPerLetter·len)); a refixation with probability refixBase + refixPerLetter·max(0, len − 5),
/// splitting the gaze duration into two fixations; after a word, a regression to one of the two
/// previous words with probability `regressionRate` (a 60–260 ms fixation there, then reading
/// goes on); a blink before a word with probability `blinkRate` (a `*Blink` event).
public struct SimulationModel: Sendable, Equatable {
    public var intercept = 300.0
    public var length = 6.0
    public var logFrequency = -12.0
    public var surprisal = 8.0
    public var subjectSD = 40.0
    public var wordSD = 15.0
    public var residualSD = 50.0
    public var floor = 60.0
    public var skipBase = 1.2
    public var skipPerLetter = 0.45
    public var refixBase = 0.15
    public var refixPerLetter = 0.03
    public var regressionRate = 0.08
    public var blinkRate = 0.03

    public init() {}

    /// Sets coefficients from `name=value,…` (names as the properties: `length=6,surprisal=10`).
    public mutating func apply(_ spec: String) throws {
        for part in spec.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let v = Double(kv[1]) else { throw CorpusError("model setting '\(part)' is not name=number") }
            switch kv[0] {
            case "intercept": intercept = v
            case "length": length = v
            case "log_freq", "logFrequency", "frequency": logFrequency = v
            case "surprisal": surprisal = v
            case "subject_sd", "subjectSD": subjectSD = v
            case "word_sd", "wordSD": wordSD = v
            case "residual_sd", "residualSD", "sigma": residualSD = v
            case "floor": floor = v
            case "skip_base": skipBase = v
            case "skip_per_letter": skipPerLetter = v
            case "refix_base": refixBase = v
            case "refix_per_letter": refixPerLetter = v
            case "regression_rate": regressionRate = v
            case "blink_rate": blinkRate = v
            default: throw CorpusError("unknown model setting '\(kv[0])' (intercept, length, log_freq, surprisal, subject_sd, word_sd, residual_sd, floor, skip_base, skip_per_letter, refix_base, refix_per_letter, regression_rate, blink_rate)")
            }
        }
    }

    /// The model written out with its numbers.
    public var statement: String {
        """
        t = \(intercept) + \(length)·length + \(logFrequency)·log_freq + \(surprisal)·surprisal + u[subject] + v[word] + ε
        u ~ N(0, \(subjectSD)²), v ~ N(0, \(wordSD)²), ε ~ N(0, \(residualSD)²); rounded to ms, floored at \(floor) ms
        SPR: t is the RT. Eye tracking: t is the gaze duration of a word read in first pass;
        P(skip) = 1/(1+exp(-(\(skipBase) - \(skipPerLetter)·length))), P(refixation) = \(refixBase) + \(refixPerLetter)·max(0, length-5),
        P(regression after a word) = \(regressionRate), P(blink before a word) = \(blinkRate)
        """
    }
}

/// Normal draws from a seeded generator (Box–Muller).
struct NormalSampler {
    var rng: SeededGenerator
    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }
    mutating func normal() -> Double {
        let u1 = max(rng.nextUnit(), 1e-300), u2 = rng.nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
    mutating func unit() -> Double { rng.nextUnit() }
    mutating func chance(_ p: Double) -> Bool { rng.nextUnit() < p }
}
