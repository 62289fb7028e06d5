// R-style string order, for factor levels (ModelFrame).

/// String order approximating R's `sort()` in an English locale: compare case-insensitively
/// first; on a tie, at the first differing character lower case sorts before upper case.
func rCollationLess(_ a: String, _ b: String) -> Bool {
    let la = a.lowercased(), lb = b.lowercased()
    if la != lb { return la < lb }
    for (ca, cb) in zip(a, b) where ca != cb {
        if ca.isLowercase != cb.isLowercase { return ca.isLowercase }
        return ca < cb
    }
    return a.count < b.count
}

/// The indices of `strings` in `rCollationLess` order (lower-cased keys computed once).
func rCollationSortedIndices(_ strings: [String]) -> [Int] {
    let lower = strings.map { $0.lowercased() }
    return strings.indices.sorted { a, b in
        if lower[a] != lower[b] { return lower[a] < lower[b] }
        return rCollationLess(strings[a], strings[b])
    }
}
