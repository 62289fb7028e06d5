/// A declarative exclusion rule, with the spelling used in analysis files and on the command
/// line. Rules remove measurement rows (subject × word); every removal is counted.
///
/// | spelling | removes rows … |
/// |---|---|
/// | `outside:LO..HI` | whose value is not strictly between LO and HI (keeps LO < v < HI, the Natural Stories rule for `outside:100..3000`) |
/// | `zscore:K:subject` / `zscore:K:global` | whose value lies more than K standard deviations from the mean of its subject's values (or of all values); add `:log` to use log values (`zscore:3:subject:log`) |
/// | `first_or_last_in_line` / `_in_screen` / `_in_sentence` / `_in_text` | on the first or last word of a line, screen, sentence or text |
/// | `attached_punctuation` | on words with punctuation or symbols at either end ("house," "'Ah"); inner apostrophes and hyphens ("don't", "well-known") do not count |
/// | `digits` | on words containing a digit |
/// | `skipped` | where the word was skipped in first pass (`skip` = 1) |
/// | `zero` | whose value is 0 |
/// | `drop_readers:a,b` | of the named subjects |
///
/// Rows whose value of the analysed measure is missing are always removed last, and counted
/// separately as "missing value".
public enum ExclusionRule: Sendable, Equatable, CustomStringConvertible {
    /// Keep only LO < value < HI.
    case outside(low: Double, high: Double)
    /// |z| > limit, per subject or global, optionally on log values.
    case zScore(limit: Double, scope: Scope, log: Bool)
    /// First or last word of a unit.
    case firstOrLast(Unit)
    /// Punctuation or symbols at either end of the word.
    case attachedPunctuation
    /// A digit in the word.
    case digits
    /// Skipped in first pass.
    case skipped
    /// Value equal to 0.
    case zero
    /// Named readers.
    case dropReaders([String])

    /// Over which rows z-scores are computed.
    public enum Scope: String, Sendable { case subject, global }
    /// A unit whose edges `firstOrLast` excludes.
    public enum Unit: String, Sendable, CaseIterable { case line, screen, sentence, text }

    /// Parses a rule's spelling (see the type's documentation).
    public static func parse(_ spelling: String) throws -> ExclusionRule {
        let s = spelling.trimmingCharacters(in: .whitespaces)
        let parts = s.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts[0] {
        case "outside":
            let bounds = parts.count == 2 ? parts[1].components(separatedBy: "..") : []
            guard bounds.count == 2, let lo = Double(bounds[0]), let hi = Double(bounds[1]), lo < hi else {
                throw CorpusError("exclusion '\(s)': expected outside:LOW..HIGH with LOW < HIGH, e.g. outside:100..3000")
            }
            return .outside(low: lo, high: hi)
        case "zscore", "sd":
            guard parts.count >= 2, parts.count <= 4, let k = Double(parts[1]), k > 0 else {
                throw CorpusError("exclusion '\(s)': expected zscore:K[:subject|global][:log], e.g. zscore:3:subject")
            }
            var scope = Scope.global, log = false
            for p in parts.dropFirst(2) {
                if let sc = Scope(rawValue: p) { scope = sc } else if p == "log" { log = true } else {
                    throw CorpusError("exclusion '\(s)': '\(p)' is not subject, global or log")
                }
            }
            return .zScore(limit: k, scope: scope, log: log)
        case "attached_punctuation", "punctuation": return .attachedPunctuation
        case "digits": return .digits
        case "skipped": return .skipped
        case "zero", "zeros": return .zero
        case "drop_readers", "drop_subjects":
            let names = parts.dropFirst().joined(separator: ":").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw CorpusError("exclusion '\(s)': expected drop_readers:NAME[,NAME…], e.g. drop_readers:sg") }
            return .dropReaders(names)
        default:
            if parts.count == 1, s.hasPrefix("first_or_last_in_"), let unit = Unit(rawValue: String(s.dropFirst("first_or_last_in_".count))) {
                return .firstOrLast(unit)
            }
            throw CorpusError("unknown exclusion rule '\(s)'; known: outside:LO..HI, zscore:K:subject|global[:log], first_or_last_in_line|screen|sentence|text, attached_punctuation, digits, skipped, zero, drop_readers:NAMES")
        }
    }

    /// The rule's spelling (parses back to the same rule).
    public var description: String {
        switch self {
        case let .outside(lo, hi): return "outside:\(Self.number(lo))..\(Self.number(hi))"
        case let .zScore(k, scope, log): return "zscore:\(Self.number(k)):\(scope.rawValue)" + (log ? ":log" : "")
        case let .firstOrLast(unit): return "first_or_last_in_\(unit.rawValue)"
        case .attachedPunctuation: return "attached_punctuation"
        case .digits: return "digits"
        case .skipped: return "skipped"
        case .zero: return "zero"
        case let .dropReaders(names): return "drop_readers:" + names.joined(separator: ",")
        }
    }

    private static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}

/// Word-form tests used by the exclusion rules and the predictors.
public enum WordForm {
    /// Whether a character is part of a word (a letter or a digit).
    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    /// The form without leading and trailing punctuation or symbols ("'Ah," → "Ah").
    public static func stripped(_ form: String) -> Substring {
        let s = Substring(form)
        guard let start = s.firstIndex(where: isWordCharacter), let end = s.lastIndex(where: isWordCharacter) else { return "" }
        return s[start...end]
    }

    /// Whether punctuation or a symbol is attached at either end.
    public static func hasAttachedPunctuation(_ form: String) -> Bool {
        guard let first = form.first, let last = form.last else { return false }
        return !isWordCharacter(first) || !isWordCharacter(last)
    }

    /// Whether the form contains a digit.
    public static func hasDigit(_ form: String) -> Bool { form.contains { $0.isNumber } }

    /// Word length: characters of the stripped form, not counting white space ("owners." → 6,
    /// "don't" → 5, "N. Y." → 3).
    public static func length(_ form: String) -> Int { stripped(form).reduce(0) { $0 + ($1.isWhitespace ? 0 : 1) } }
}
