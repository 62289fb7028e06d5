import Foundation

/// How many rows one exclusion step removed.
public struct ExclusionCount: Sendable, Equatable {
    /// The rule's spelling, or "missing value" for the final step.
    public let rule: String
    /// Rows removed by this step (from the rows the earlier steps left).
    public let removed: Int
}

/// The outcome of applying exclusions: the rows kept and what each rule removed.
public struct ExclusionReport: Sendable, Equatable {
    /// Rows before any rule.
    public let rowsBefore: Int
    /// One entry per rule, in order, then "missing value".
    public let steps: [ExclusionCount]
    /// Rows kept.
    public var rowsAfter: Int { rowsBefore - steps.reduce(0) { $0 + $1.removed } }

    /// One line per step.
    public var lines: [String] {
        ["rows before exclusions: \(rowsBefore)"] + steps.map { "  \($0.rule): removed \($0.removed)" } + ["rows kept: \(rowsAfter)"]
    }
}

/// Applies exclusion rules to a corpus's measurements for one measure.
public enum Exclusions {
    /// Applies `rules` in order, then removes rows whose `measure` value is missing. Each step
    /// counts the rows it removed from those the earlier steps kept. Rules that test values
    /// (`outside`, `zscore`, `zero`) leave rows with a missing value for the last step.
    ///
    /// Throws when a rule cannot apply to this corpus (line rules on a corpus without lines,
    /// `skipped` without a skip measure, a reader name that does not exist).
    public static func apply(_ rules: [ExclusionRule], measure: Measure, to data: CorpusData) throws -> (Measurements, ExclusionReport) {
        var m = data.measurements
        guard let valuesIndex = m.measures.firstIndex(of: measure) else {
            throw CorpusError("the corpus has no measure '\(measure.rawValue)'; it has \(m.measures.map(\.rawValue).joined(separator: ", "))")
        }
        let before = m.count
        var steps: [ExclusionCount] = []
        let words = data.corpus.words
        for rule in rules {
            let values = m.columns[valuesIndex]
            var keep = Array(repeating: true, count: m.count)
            switch rule {
            case let .outside(lo, hi):
                for i in 0..<m.count { if let v = values[i], !(v > lo && v < hi) { keep[i] = false } }
            case let .zScore(limit, scope, useLog):
                if useLog, values.contains(where: { ($0 ?? 1) <= 0 }) {
                    throw CorpusError("exclusion '\(rule)': log z-scores need positive values, but '\(measure.rawValue)' has zeros or negatives (exclude them first, e.g. with 'zero' or 'skipped')")
                }
                let x = values.map { $0.map { useLog ? Foundation.log($0) : $0 } }
                var groups: [Int: [Int]] = [:]
                for i in 0..<m.count where x[i] != nil { groups[scope == .subject ? m.subject[i] : 0, default: []].append(i) }
                for rows in groups.values where rows.count >= 2 {
                    let n = Double(rows.count)
                    let mean = rows.reduce(0) { $0 + x[$1]! } / n
                    let sd = (rows.reduce(0) { $0 + (x[$1]! - mean) * (x[$1]! - mean) } / (n - 1)).squareRoot()
                    guard sd > 0 else { continue }
                    for i in rows where abs(x[i]! - mean) / sd > limit { keep[i] = false }
                }
            case let .firstOrLast(unit):
                let flags: WordBoundaries
                switch unit {
                case .line:
                    guard data.corpus.hasLines else { throw CorpusError("exclusion 'first_or_last_in_line': this corpus (\(data.format.rawValue)) records no lines") }
                    flags = [.firstInLine, .lastInLine]
                case .screen:
                    guard data.corpus.hasScreens else { throw CorpusError("exclusion 'first_or_last_in_screen': this corpus (\(data.format.rawValue)) records no screens") }
                    flags = [.firstOnScreen, .lastOnScreen]
                case .sentence: flags = [.firstInSentence, .lastInSentence]
                case .text: flags = [.firstInText, .lastInText]
                }
                for i in 0..<m.count where !words[m.word[i]].boundaries.isDisjoint(with: flags) { keep[i] = false }
            case .attachedPunctuation:
                for i in 0..<m.count where WordForm.hasAttachedPunctuation(words[m.word[i]].form) { keep[i] = false }
            case .digits:
                for i in 0..<m.count where WordForm.hasDigit(words[m.word[i]].form) { keep[i] = false }
            case .skipped:
                guard let skip = m.values(.skip) else { throw CorpusError("exclusion 'skipped': this corpus has no skip measure (use 'zero' for zero durations)") }
                for i in 0..<m.count where skip[i] == 1 { keep[i] = false }
            case .zero:
                for i in 0..<m.count where values[i] == 0 { keep[i] = false }
            case let .dropReaders(names):
                let known = Set(data.measurements.subjects)
                let unknown = names.filter { !known.contains($0) }
                guard unknown.isEmpty else {
                    throw CorpusError("exclusion '\(rule)': no reader named \(unknown.joined(separator: ", ")); readers are \(data.measurements.subjects.prefix(20).joined(separator: ", "))\(known.count > 20 ? ", …" : "")")
                }
                let drop = Set(names.compactMap { data.measurements.subjects.firstIndex(of: $0) })
                for i in 0..<m.count where drop.contains(m.subject[i]) { keep[i] = false }
            }
            let removed = keep.reduce(0) { $0 + ($1 ? 0 : 1) }
            steps.append(ExclusionCount(rule: rule.description, removed: removed))
            if removed > 0 { m = m.filtered { keep[$0] } }
        }
        let values = m.columns[valuesIndex]
        let missing = values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        steps.append(ExclusionCount(rule: "missing value", removed: missing))
        if missing > 0 { m = m.filtered { values[$0] != nil } }
        return (m, ExclusionReport(rowsBefore: before, steps: steps))
    }
}
