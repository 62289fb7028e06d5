import Foundation

/// The one number syntax of table cells: R's `type.convert` (optional sign, digits with an
/// optional decimal point, optional exponent; `Inf`/`Infinity` in any case), read exactly as
/// Swift's `Double(String)` would round it. Hexadecimal, `nan` and decimal commas are not numbers.
public enum DecimalNumber {
    /// Parses a decimal number as R's `type.convert` would (optional sign, digits with an optional
    /// decimal point, optional exponent; also `Inf`/`-Inf`). Returns nil for anything else
    /// (including hexadecimal and `nan`).
    public static func parse(_ raw: String) -> Double? {
        let s = MissingValue.trimmed(raw)
        let u = s.utf8
        var i = u.startIndex
        guard i != u.endIndex else { return nil }
        var negative = false
        if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            negative = u[i] == UInt8(ascii: "-")
            i = u.index(after: i)
        }
        guard i != u.endIndex else { return nil }
        if u[i] == UInt8(ascii: "i") || u[i] == UInt8(ascii: "I") {
            let word = String(decoding: u[i...], as: UTF8.self).lowercased()
            guard word == "inf" || word == "infinity" else { return nil }
            return negative ? -.infinity : .infinity
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var mantissaDigits = 0
        while i != u.endIndex, isDigit(u[i]) { i = u.index(after: i); mantissaDigits += 1 }
        if i != u.endIndex, u[i] == UInt8(ascii: ".") {
            i = u.index(after: i)
            while i != u.endIndex, isDigit(u[i]) { i = u.index(after: i); mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if i != u.endIndex, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i = u.index(after: i)
            if i != u.endIndex, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i = u.index(after: i) }
            var expDigits = 0
            while i != u.endIndex, isDigit(u[i]) { i = u.index(after: i); expDigits += 1 }
            guard expDigits > 0 else { return nil }
        }
        guard i == u.endIndex else { return nil }
        return Double(s)
    }

    /// `parse` of the UTF-8 text `p[start..<end]`, without making a String when the text is
    /// ASCII. Bit-identical to `parse(String)`: numbers with at most 19 significant digits,
    /// a mantissa of at most 2^53 and a decimal exponent within ±22 are computed exactly (Clinger's
    /// fast path: an exact integer times or divided by an exact power of ten is correctly rounded);
    /// anything else goes to `Double(String)`.
    public static func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var a = start, b = end
        while a < b, p[a] == 32 || p[a] == 9 { a += 1 }
        while b > a, p[b - 1] == 32 || p[b - 1] == 9 { b -= 1 }
        /// The text does not fit the ASCII grammar: only non-ASCII text (Unicode white space,
        /// case mapping) can still be a number, and the String-based rules decide.
        func notASCIINumber() -> Double? {
            let raw = UnsafeBufferPointer(start: p + start, count: end - start)
            guard raw.contains(where: { $0 >= 0x80 }) else { return nil }
            return parse(String(decoding: raw, as: UTF8.self))
        }
        var i = a
        guard i < b else { return notASCIINumber() }
        var negative = false
        if p[i] == 43 || p[i] == 45 {  // + -
            negative = p[i] == 45
            i += 1
        }
        guard i < b else { return notASCIINumber() }
        if p[i] | 0x20 == 105 {  // i I: "inf" or "infinity", any case
            let length = b - i
            guard length == 3 || length == 8 else { return notASCIINumber() }
            for k in 0..<length where p[i + k] | 0x20 != infinityLetters[k] { return notASCIINumber() }
            return negative ? -.infinity : .infinity
        }
        var mantissa: UInt64 = 0
        var significant = 0, digits = 0, exponent = 0
        var exact = true
        while i < b, p[i] &- 48 < 10 {
            let d = UInt64(p[i] &- 48)
            if mantissa != 0 || d != 0 {
                if significant < 19 { mantissa = mantissa &* 10 &+ d; significant += 1 } else { exact = false }
            }
            digits += 1
            i += 1
        }
        if i < b, p[i] == 46 {  // .
            i += 1
            while i < b, p[i] &- 48 < 10 {
                let d = UInt64(p[i] &- 48)
                if mantissa != 0 || d != 0 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ d; significant += 1 } else { exact = false }
                }
                exponent -= 1
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return notASCIINumber() }
        if i < b, p[i] | 0x20 == 101 {  // e E
            i += 1
            var expNegative = false
            if i < b, p[i] == 43 || p[i] == 45 {
                expNegative = p[i] == 45
                i += 1
            }
            var e = 0, expDigits = 0
            while i < b, p[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return notASCIINumber() }
            exponent += expNegative ? -e : e
        }
        guard i == b else { return notASCIINumber() }
        if exact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent < 0 ? m / exactPowersOfTen[-exponent] : m * exactPowersOfTen[exponent]
            return negative ? -v : v
        }
        return Double(String(decoding: UnsafeBufferPointer(start: p + a, count: b - a), as: UTF8.self))
    }

    /// 10^0 … 10^22, all exactly representable as doubles.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
    private static let infinityLetters: [UInt8] = Array("infinity".utf8)
}
