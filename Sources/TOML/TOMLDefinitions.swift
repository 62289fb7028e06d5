/// How each table path of a TOML document was defined, so that the parser can enforce TOML's
/// rules: a table is defined once (by a `[header]` or by dotted keys, not both); an inline table
/// or an array value is closed (no header or dotted key may add to it); `[[name]]` only appends
/// to an array of tables. Paths are key lists joined by U+0000 (keys may contain dots).
struct Definitions {
    enum Kind { case header, arrayOfTables, dotted, closed }
    private var kinds: [String: Kind] = [:]

    private static func path(_ keys: ArraySlice<String>) -> String { keys.joined(separator: "\u{0}") }
    private static func spelled(_ keys: ArraySlice<String>) -> String { keys.joined(separator: ".") }

    /// The problem with a `[keys]` or `[[keys]]` header, if any; records it otherwise.
    mutating func header(_ keys: [String], isArray: Bool) -> String? {
        if let problem = closedPrefix(keys[...], upTo: keys.count - 1) { return problem }
        let p = Self.path(keys[...]), name = Self.spelled(keys[...])
        switch (kinds[p], isArray) {
        case (nil, _):
            kinds[p] = isArray ? .arrayOfTables : .header
        case (.arrayOfTables?, true):
            // A new element: the tables defined inside the previous element start afresh.
            let inside = p + "\u{0}"
            kinds = kinds.filter { !$0.key.hasPrefix(inside) }
        case (.header?, false): return "table [\(name)] is defined twice"
        case (.header?, true): return "[[\(name)]] cannot add to the table [\(name)] (it is not an array of tables)"
        case (.arrayOfTables?, false): return "[\(name)] cannot redefine the array of tables [[\(name)]]"
        case (.dotted?, _): return "table '\(name)' is already defined by dotted keys; it cannot get a \(isArray ? "[[\(name)]]" : "[\(name)]") header"
        case (.closed?, _): return "'\(name)' is an inline table or array value; it cannot be extended by a header"
        }
        return nil
    }

    /// The problem with `keys = value` in the table at `table`, if any; records it otherwise.
    mutating func keyValue(_ table: [String], _ keys: [String], value: TOMLValue) -> String? {
        let full = table + keys
        if let problem = closedPrefix(full[...], upTo: full.count - 1) { return problem }
        for n in (table.count + 1)..<full.count {
            let p = Self.path(full[..<n]), name = Self.spelled(full[..<n])
            switch kinds[p] {
            case nil: kinds[p] = .dotted
            case .dotted?: break
            case .header?: return "the table [\(name)] has a header; dotted keys cannot add to it from outside"
            case .arrayOfTables?: return "'\(name)' is an array of tables; dotted keys cannot add to it"
            case .closed?: return "'\(name)' is an inline table or array value; it cannot be extended"
            }
        }
        switch value {
        case .table, .array: kinds[Self.path(full[...])] = .closed
        default: break
        }
        return nil
    }

    /// The problem when one of the first `count` prefixes of `keys` is a closed value.
    private func closedPrefix(_ keys: ArraySlice<String>, upTo count: Int) -> String? {
        guard count > 0 else { return nil }
        for n in 1...count where kinds[Self.path(keys.prefix(n))] == .closed {
            return "'\(Self.spelled(keys.prefix(n)))' is an inline table or array value; it cannot be extended"
        }
        return nil
    }
}
