/// A rule-based English sentence splitter for running prose.
///
/// A sentence ends after `.`, `!` or `?` (a run of them, e.g. `?!` or `...`), optionally followed
/// by closing quotes or brackets, when whitespace follows and the next word starts with an
/// uppercase letter, a digit, or an opening quote/bracket. A period does **not** end a sentence
/// after a known abbreviation (`Mr.`, `Mrs.`, `Dr.`, `St.`, `e.g.`, …) or a single capital letter
/// (an initial, "J. Smith"). Exclamations and questions followed by a lowercase word ("Oh! how
/// kind") do not end a sentence either. This is the usual heuristic (it is what NLTK's Punkt
/// learns for most English text); it is deterministic and needs no model.
public enum SentenceSplitter {
    /// Abbreviations (lowercase, without the final period) after which a period is not a boundary.
    public static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "messrs", "dr", "st", "jr", "sr", "prof", "rev", "col", "gen", "capt", "lt", "sgt", "maj",
        "mt", "vs", "etc", "e.g", "i.e", "cf", "no", "vol", "ch", "fig", "p", "pp", "ed", "esq", "hon", "gov", "sen",
        "rep", "co", "corp", "inc", "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]

    static let closers: Set<Character> = ["\"", "'", "”", "’", ")", "]", "»"]
    static let openers: Set<Character> = ["\"", "'", "“", "‘", "(", "[", "«"]

    /// Splits one paragraph (whitespace already collapsed to single spaces) into sentences.
    public static func split(_ paragraph: String) -> [String] {
        let chars = Array(paragraph)
        var sentences: [String] = []
        var start = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "." || c == "!" || c == "?" else { i += 1; continue }
            var j = i
            while j < chars.count, chars[j] == "." || chars[j] == "!" || chars[j] == "?" { j += 1 }
            while j < chars.count, closers.contains(chars[j]) { j += 1 }
            guard j < chars.count, chars[j] == " " else { i = j; continue }
            var k = j
            while k < chars.count, chars[k] == " " { k += 1 }
            guard k < chars.count else { i = j; continue }
            var next = chars[k]
            var m = k
            while m < chars.count, openers.contains(chars[m]) { m += 1 }
            if m < chars.count { next = chars[m] }
            let startsSentence = next.isUppercase || next.isNumber || openers.contains(chars[k])
            if startsSentence && !(c == "." && isAbbreviation(chars, periodAt: i, sentenceStart: start)) {
                let s = String(chars[start..<j]).trimmingSpaces
                if !s.isEmpty { sentences.append(s) }
                start = k
            }
            i = j
        }
        let rest = String(chars[start...]).trimmingSpaces
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }

    /// Whether the word before the period at `p` is an abbreviation or an initial.
    static func isAbbreviation(_ chars: [Character], periodAt p: Int, sentenceStart: Int) -> Bool {
        // Only a single period can follow an abbreviation ("etc..." still ends a sentence).
        if p + 1 < chars.count, chars[p + 1] == "." { return false }
        var b = p
        while b > sentenceStart, chars[b - 1] != " ", !openers.contains(chars[b - 1]) { b -= 1 }
        let word = String(chars[b..<p])
        if word.count == 1, let ch = word.first, ch.isUppercase { return true }
        return abbreviations.contains(word.lowercased())
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
