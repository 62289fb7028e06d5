import Foundation
import Numerics

/// Plain English text turned into sentences for language-model training.
///
/// **Reading.** The file must be UTF-8 (a byte-order mark is skipped). A file that is empty, has
/// NUL bytes or is more than 1 % other control characters is rejected as binary; invalid UTF-8 is
/// rejected with the byte offset.
///
/// **Layout** (`Layout`): in `.paragraphs` (the default) paragraphs are separated by blank lines,
/// the lines of a paragraph are joined with spaces (hard-wrapped prose), and paragraphs are split
/// into sentences by `SentenceSplitter`; a line that has letters but no lowercase letter
/// ("CHAPTER IV", "VOLUME II") is a heading and dropped. In `.sentencePerLine` every non-empty
/// line is one sentence. In both, a line starting with `## ` starts a new document (its title).
///
/// **Normalisation** (`normalize`): Unicode NFC; typographic quotes to ASCII (‘ ’ → ', “ ” → ");
/// underscores (italics in Project-Gutenberg-style text) removed; control characters and every
/// run of whitespace become one space; leading and trailing spaces trimmed. Case is kept (the
/// tokenizer lowercases if asked).
public struct TrainingText: Sendable {
    /// One sentence with its place in the text.
    public struct Sentence: Sendable, Equatable {
        public var text: String
        /// Document number (0-based; `## ` lines start a new one).
        public var document: Int
        /// Paragraph number in the whole text (0-based).
        public var paragraph: Int
    }

    public enum Layout: String, Sendable, CaseIterable {
        case paragraphs, sentencePerLine = "sentence-per-line"
    }

    /// All sentences in text order.
    public var sentences: [Sentence]
    /// Document titles (from `## ` lines; "" for text before the first one).
    public var documentTitles: [String]
    /// Where the text came from.
    public var source: String

    /// Reads and splits a file (see the type's documentation).
    public static func read(_ url: URL, layout: Layout = .paragraphs) throws -> TrainingText {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw LMError.invalidTrainingText(path: url.path, reason: "cannot read it (\(SystemErrorText.reason(error)))")
        }
        return try parse(data: data, layout: layout, source: url.path)
    }

    /// Decodes, checks and splits text bytes.
    public static func parse(data: Data, layout: Layout = .paragraphs, source: String = "(text)") throws -> TrainingText {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard !bytes.isEmpty else { throw LMError.invalidTrainingText(path: source, reason: "the file is empty") }
        var controls = 0
        for (i, b) in bytes.enumerated() {
            if b == 0 { throw LMError.invalidTrainingText(path: source, reason: "it looks binary (a NUL byte at offset \(i)); give a plain UTF-8 text file") }
            if b < 0x20 && b != 0x0A && b != 0x0D && b != 0x09 && b != 0x0C { controls += 1 }
        }
        if controls * 100 > bytes.count {
            throw LMError.invalidTrainingText(path: source, reason: "it looks binary (\(controls) control bytes in \(bytes.count)); give a plain UTF-8 text file")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8(bytes)
            throw LMError.invalidTrainingText(path: source, reason: "it is not valid UTF-8 (first bad byte at offset \(offset)); convert it, e.g. with iconv")
        }
        let result = parse(text, layout: layout, source: source)
        guard !result.sentences.isEmpty else {
            throw LMError.invalidTrainingText(path: source, reason: "it contains no sentences (only whitespace or headings)")
        }
        return result
    }

    /// Splits already-decoded text into sentences (no binary checks; may return no sentences).
    public static func parse(_ text: String, layout: Layout = .paragraphs, source: String = "(text)") -> TrainingText {
        var out = TrainingText(sentences: [], documentTitles: [""], source: source)
        var document = 0
        var paragraph = 0
        var pending: [String] = []
        var sawTextInDocument = false
        func flush() {
            guard !pending.isEmpty else { return }
            let joined = normalize(pending.joined(separator: " "))
            pending = []
            guard !joined.isEmpty else { return }
            let parts = layout == .paragraphs ? SentenceSplitter.split(joined) : [joined]
            for s in parts { out.sentences.append(Sentence(text: s, document: document, paragraph: paragraph)) }
            paragraph += 1
            sawTextInDocument = true
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.hasPrefix("## ") {
                flush()
                if sawTextInDocument { document += 1; out.documentTitles.append("") }
                out.documentTitles[document] = normalize(String(line.dropFirst(3)))
                sawTextInDocument = false
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            switch layout {
            case .sentencePerLine:
                if !trimmed.isEmpty { pending = [trimmed]; flush() }
            case .paragraphs:
                if trimmed.isEmpty { flush(); continue }
                if isHeading(trimmed) { flush(); continue }
                pending.append(trimmed)
            }
        }
        flush()
        return out
    }

    /// The normalisation described on the type.
    public static func normalize(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var lastSpace = true
        for u in s.precomposedStringWithCanonicalMapping.unicodeScalars {
            var c = u
            switch u.value {
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032: c = "'"
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033: c = "\""
            case 0x5F: continue                                        // "_" (italics markup)
            default: break
            }
            if c.properties.isWhitespace || c.properties.generalCategory == .control || c.properties.generalCategory == .format {
                if !lastSpace { out.append(" "); lastSpace = true }
                continue
            }
            out.append(c)
            lastSpace = false
        }
        while out.last == " " { out.removeLast() }
        return String(out)
    }

    /// A line with letters but no lowercase letter, of at most eight words: a heading.
    static func isHeading(_ line: String) -> Bool {
        var letters = 0
        for ch in line where ch.isLetter {
            if ch.isLowercase { return false }
            letters += 1
        }
        return letters > 0 && line.split(separator: " ").count <= 8
    }

    /// Byte offset where the first invalid UTF-8 sequence starts.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while case let .scalarValue(s) = decoder.decode(&it) { offset += String(s).utf8.count }
        return offset
    }
}
