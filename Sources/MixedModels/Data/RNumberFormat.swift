import Foundation

// R-style number text, shared by Formula, FormulaParser and ModelFrame.

/// Formats a number as R's `as.character` does: up to 15 significant digits, fixed notation
/// unless scientific is shorter (`100000` → `1e+05`, `2.5` → `2.5`, `308` → `308`).
func rNumberString(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x < 0 ? "-Inf" : "Inf" }
    if x == 0 { return "0" }
    if x == x.rounded(), abs(x) < 1e15 {
        // Integers (the usual factor codes) without formatting: fixed notation unless R's
        // scientific form is shorter (trailing zeros: 100000 → "1e+05").
        let digits = String(Int(abs(x)))
        let trailingZeros = digits.reversed().prefix { $0 == "0" }.count
        let significant = digits.count - trailingZeros, exponent = digits.count - 1
        let sciWidth = significant + (significant > 1 ? 1 : 0) + (exponent >= 100 ? 5 : 4)
        if digits.count <= sciWidth { return (x < 0 ? "-" : "") + digits }
    }
    let sci = String(format: "%.14e", x)               // "-1.23450000000000e+05"
    guard let ePos = sci.firstIndex(where: { $0 == "e" || $0 == "E" }),
          let exponent = Int(sci[sci.index(after: ePos)...]) else { return "\(x)" }
    var digits = sci[..<ePos].filter { $0.isNumber }
    while digits.count > 1, digits.last == "0" { digits.removeLast() }
    let negative = x < 0
    let nsig = digits.count
    let sciWidth = (negative ? 1 : 0) + nsig + (nsig > 1 ? 1 : 0) + (abs(exponent) >= 100 ? 5 : 4)
    let decimals = max(0, nsig - 1 - exponent)
    let intDigits = exponent >= 0 ? exponent + 1 : 1
    let fixedWidth = (negative ? 1 : 0) + intDigits + (decimals > 0 ? decimals + 1 : 0)
    if fixedWidth <= sciWidth {
        return String(format: "%.\(decimals)f", x)
    }
    var mantissa = String(digits.first!)
    if nsig > 1 { mantissa += "." + digits.dropFirst() }
    let expAbs = abs(exponent)
    return (negative ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + (expAbs < 10 ? "0" : "") + String(expAbs)
}
