import Foundation
import Numerics

/// A WordPiece vocabulary: one token per line of `vocab.txt`, the token's id being its
/// zero-based line number (the format of every BERT checkpoint).
public struct WordPieceVocabulary: Sendable {
    /// Tokens by id.
    public let tokens: [String]
    private let ids: [String: Int32]

    /// Builds a vocabulary from tokens in id order. Duplicate tokens keep their first id.
    public init(tokens: [String]) {
        self.tokens = tokens
        var ids = [String: Int32](minimumCapacity: tokens.count)
        for (i, t) in tokens.enumerated() where ids[t] == nil { ids[t] = Int32(i) }
        self.ids = ids
    }

    /// Reads `vocab.txt` (UTF-8, one token per line; a trailing newline is optional, `\r\n` is accepted).
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizationError.unreadableFile(path: url.path, reason: SystemErrorText.reason(error))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenizationError.invalidVocabulary(path: url.path, reason: "not UTF-8 text")
        }
        // Split on the "\n" scalar: split on Characters, "\r\n" is one grapheme and never matches "\n".
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            String(Substring(line.last == "\r" ? line.dropLast() : line))
        }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw TokenizationError.invalidVocabulary(path: url.path, reason: "the file is empty") }
        self.init(tokens: lines)
    }

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// The id of `token`, or nil when it is not in the vocabulary.
    public func id(of token: String) -> Int32? { ids[token] }

    /// The token with id `id`, or nil when out of range.
    public func token(of id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }
}
