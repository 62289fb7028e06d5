import Foundation

/// Text after BERT normalisation, each scalar remembering the original scalar it came from.
public struct NormalizedText: Sendable {
    /// The normalised Unicode scalars.
    public var scalars: [Unicode.Scalar] = []
    /// For each normalised scalar, the index of the original scalar (in `text.unicodeScalars`) it came from.
    public var origin: [Int] = []
}

/// The BERT normaliser of an uncased model (`BertNormalizer` in `tokenizer.json`), applied to
/// each original Unicode scalar in turn:
/// 1. cleaning: U+0000, U+FFFD and control characters (`BertCharacterClasses.isControl`) are
///    removed; every whitespace scalar becomes a plain space;
/// 2. CJK ideographs get a space on either side (so each becomes its own word);
/// 3. accent stripping (when enabled): canonical decomposition (NFD), then non-spacing marks
///    (category Mn) are removed — "é" → "e" (CJK compatibility ideographs decompose too);
/// 4. lowercasing (when enabled): the full Unicode lowercase mapping ("İ" → "i̇", "Σ" → "σ").
/// Every output scalar keeps the index of the input scalar it came from, which is how token
/// offsets point back into the original text.
public struct BertNormalizer: Sendable {
    public var cleanText = true
    public var handleChineseChars = true
    public var stripAccents = true
    public var lowercase = true

    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool = true, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// Normalises `text`.
    public func normalize(_ text: String) -> NormalizedText {
        var out = NormalizedText()
        out.scalars.reserveCapacity(text.utf8.count + 8)
        out.origin.reserveCapacity(text.utf8.count + 8)
        for (i, c) in text.unicodeScalars.enumerated() {
            if c.value < 0x80 {
                appendASCII(c, origin: i, to: &out)
            } else {
                for d in map(c) {
                    out.scalars.append(d)
                    out.origin.append(i)
                }
            }
        }
        return out
    }

    /// Fast path for ASCII (the same rules, without table look-ups).
    @inline(__always)
    private func appendASCII(_ c: Unicode.Scalar, origin i: Int, to out: inout NormalizedText) {
        var v = c.value
        switch v {
        case 0x09, 0x0A, 0x0D: if cleanText { v = 0x20 }
        case 0..<0x20, 0x7F: if cleanText { return }
        case 0x41...0x5A: if lowercase { v += 0x20 }
        default: break
        }
        out.scalars.append(Unicode.Scalar(v)!)
        out.origin.append(i)
    }

    /// The normalisation of one non-ASCII scalar: zero, one or more scalars.
    public func map(_ c: Unicode.Scalar) -> [Unicode.Scalar] {
        if c.value < 0x80 {
            var tmp = NormalizedText()
            appendASCII(c, origin: 0, to: &tmp)
            return tmp.scalars
        }
        if cleanText {
            if c.value == 0xFFFD || BertCharacterClasses.isControl(c) { return [] }
            if BertCharacterClasses.isWhitespace(c) { return [" "] }
        }
        var scalars = [c]
        if stripAccents && !BertCharacterClasses.isUnassignedInReference(c) {
            scalars = Array(String(c).decomposedStringWithCanonicalMapping.unicodeScalars)
            scalars.removeAll(where: BertCharacterClasses.isNonSpacingMark)
        }
        if handleChineseChars && BertCharacterClasses.isCJK(c) { scalars = [" "] + scalars + [" "] }
        if lowercase {
            scalars = scalars.flatMap { s -> [Unicode.Scalar] in
                if s.value < 0x80 {
                    return (0x41...0x5A).contains(s.value) ? [Unicode.Scalar(s.value + 0x20)!] : [s]
                }
                return Array(s.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return scalars
    }
}
