/// The character classes of the BERT normaliser and pre-tokenizer, as the reference
/// implementation (Hugging Face `tokenizers`, which `tokenizer.json` targets) defines them.
///
/// Unicode general categories come from the Swift runtime's Unicode tables. The reference takes
/// its categories from older tables, in which characters added to Unicode later are still
/// *unassigned* (category Cn) — and therefore removed as "control" characters. We reproduce that
/// with each scalar's Unicode age: a scalar newer than `referenceUnicodeVersion` counts as
/// unassigned. (Checked exhaustively against the reference over all code points; see
/// `benchmarks/encoder/unicode_table.py` and `UnicodeTableTests`.) The reference's
/// decomposition tables are of the same age: scalars newer than that do not decompose.
public enum BertCharacterClasses {
    /// The Unicode version of the reference's category tables.
    public static let referenceUnicodeVersion = (major: 8, minor: 0)

    /// Whitespace: tab, newline, carriage return and every scalar with the White_Space property.
    @inlinable
    public static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20, 0x09...0x0D: return true
        case 0..<0x80: return false
        default: return c.properties.isWhitespace
        }
    }

    /// Whether the scalar is unassigned in the reference's Unicode tables.
    public static func isUnassignedInReference(_ c: Unicode.Scalar) -> Bool {
        guard let age = c.properties.age else { return true }
        return (age.major, age.minor) > referenceUnicodeVersion
    }

    /// "Control" in the BERT sense, removed by text cleaning: categories Cc, Cf, Cn, Co, Cs
    /// (all of Unicode's "Other" group), except tab, newline and carriage return, which count
    /// as whitespace.
    public static func isControl(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x20..<0x7F: return false
        case 0..<0x20, 0x7F: return true
        default: break
        }
        switch category(c) {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// Punctuation for the pre-tokenizer: ASCII punctuation (which includes symbols such as
    /// `$ + < = > ^ ` | ~`) and every scalar of a Unicode punctuation category (Pc Pd Ps Pe Pi Pf Po).
    @inlinable
    public static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 {
            return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7E).contains(v)
        }
        switch category(c) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// A CJK ideograph — the blocks BERT splits into single characters: CJK Unified Ideographs
    /// and Extensions A–E, CJK Compatibility Ideographs and their Supplement.
    @inlinable
    public static func isCJK(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// A non-spacing mark (category Mn) — what accent stripping removes after NFD.
    public static func isNonSpacingMark(_ c: Unicode.Scalar) -> Bool {
        c.value >= 0x300 && category(c) == .nonspacingMark
    }

    /// The general category in the reference's (older) Unicode tables: scalars assigned after
    /// `referenceUnicodeVersion` are unassigned there.
    /// Unicode has also re-categorised a few older scalars since then; `changedSinceReference`
    /// lists their categories as the reference has them.
    public static func category(_ c: Unicode.Scalar) -> Unicode.GeneralCategory {
        if let old = changedSinceReference[c.value] { return old }
        return isUnassignedInReference(c) ? .unassigned : c.properties.generalCategory
    }

    /// Scalars whose general category changed after Unicode 8.0, with their 8.0 category
    /// (from the Unicode Character Database's change history; confirmed against the reference).
    public static let changedSinceReference: [UInt32: Unicode.GeneralCategory] = [
        0x166D: .otherPunctuation,  // CANADIAN SYLLABICS CHI SIGN: Po → So in 12.0
        0x1734: .nonspacingMark,    // HANUNOO SIGN PAMUDPOD: Mn → Mc in 14.0
        0x1885: .otherLetter,       // MONGOLIAN LETTER ALI GALI BALUDA: Lo → Mn in 9.0
        0x1886: .otherLetter,       // MONGOLIAN LETTER ALI GALI THREE BALUDA: Lo → Mn in 9.0
        0xA9BD: .spacingMark,       // JAVANESE CONSONANT SIGN KERET: Mc → Mn in 12.0
        0x111C9: .otherPunctuation, // SHARADA SANDHI MARK: Po → Mn in 13.0
        0x1171E: .nonspacingMark,   // AHOM CONSONANT SIGN MEDIAL RA: Mn → Mc in 14.0
    ]
}
