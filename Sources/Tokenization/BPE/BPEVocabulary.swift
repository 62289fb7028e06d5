/// The token inventory of a BPE tokenizer and the ids it assigns.
///
/// Layout of the ids (fixed, so a vocabulary is fully described by its alphabet and merges):
///
/// | ids | tokens |
/// |---|---|
/// | 0, 1 | `<s>` (beginning of sentence, model input only), `</s>` (end of sentence, predicted) |
/// | 2 | `</w>`: a bare word end, used only after a byte-fallback piece ends a word |
/// | 3 … 258 | the 256 bytes `<0x00>` … `<0xFF>`: the fallback for characters outside the alphabet |
/// | 259 + 2k, 259 + 2k + 1 | alphabet character k, inside a word and at its end (`c`, `c</w>`) |
/// | then | one token per merge, in merge order (the merge's rank) |
///
/// A token "ends a word" when its last piece carries the word-end mark; it is shown with a
/// trailing `</w>`. Every string can be tokenised: a character outside the alphabet becomes its
/// UTF-8 bytes (and, at a word end, the bare `</w>`), so unseen characters never fail.
public struct BPEVocabulary: Sendable, Equatable {
    public static let beginOfSentence: Int32 = 0
    public static let endOfSentence: Int32 = 1
    public static let bareWordEnd: Int32 = 2
    public static let firstByte: Int32 = 3
    public static let firstAlphabet: Int32 = 259
    /// The display suffix of word-ending tokens.
    public static let wordEndMark = "</w>"

    /// Characters with their own tokens, in ascending scalar order.
    public let alphabet: [Unicode.Scalar]
    /// Merged pairs in rank order; merge r creates token `firstMerge + r`.
    public let merges: [(left: Int32, right: Int32)]
    /// The id of the first merged token.
    public let firstMerge: Int32
    /// Per token: its UTF-8 bytes (the bytes it stands for; empty for specials and `</w>`).
    public let bytes: [[UInt8]]
    /// Per token: whether it ends a word.
    public let endsWord: [Bool]
    /// Per token: a readable form (`the</w>`, `<0xE2>`, `<s>`).
    public let tokens: [String]
    let alphabetIDs: [UInt32: Int32]
    let mergeIDs: [UInt64: Int32]

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// Builds the inventory from an alphabet (deduplicated and sorted here) and merges.
    /// Merges must refer to earlier tokens; `BPEError.invalidFile` otherwise.
    public init(alphabet: [Unicode.Scalar], merges: [(left: Int32, right: Int32)]) throws {
        let sorted = Array(Set(alphabet.map(\.value))).sorted().compactMap(Unicode.Scalar.init)
        self.alphabet = sorted
        self.merges = merges
        firstMerge = Self.firstAlphabet + Int32(2 * sorted.count)
        var bytes: [[UInt8]] = [[], [], []]
        var ends: [Bool] = [false, true, true]
        var names = ["<s>", "</s>", Self.wordEndMark]
        for b in 0..<256 {
            bytes.append([UInt8(b)]); ends.append(false)
            names.append("<0x" + String(b, radix: 16, uppercase: true).leftPadded(2) + ">")
        }
        var alphabetIDs: [UInt32: Int32] = [:]
        for s in sorted {
            alphabetIDs[s.value] = Int32(bytes.count)
            let utf8 = Array(String(s).utf8)
            bytes.append(utf8); ends.append(false); names.append(String(s))
            bytes.append(utf8); ends.append(true); names.append(String(s) + Self.wordEndMark)
        }
        var mergeIDs: [UInt64: Int32] = [:]
        for (r, m) in merges.enumerated() {
            let id = firstMerge + Int32(r)
            guard m.left >= Self.bareWordEnd, m.right >= Self.bareWordEnd, m.left < id, m.right < id, !ends[Int(m.left)] else {
                throw BPEError.invalidFile(path: "(vocabulary)", reason: "merge \(r) (\(m.left), \(m.right)) does not join two earlier tokens")
            }
            mergeIDs[Self.key(m.left, m.right)] = id
            bytes.append(bytes[Int(m.left)] + bytes[Int(m.right)])
            ends.append(ends[Int(m.right)])
            let leftName = names[Int(m.left)]
            names.append(leftName + names[Int(m.right)])
        }
        self.bytes = bytes
        self.endsWord = ends
        self.tokens = names
        self.alphabetIDs = alphabetIDs
        self.mergeIDs = mergeIDs
    }

    public static func == (a: BPEVocabulary, b: BPEVocabulary) -> Bool {
        a.alphabet == b.alphabet && a.merges.elementsEqual(b.merges, by: { $0.left == $1.left && $0.right == $1.right })
    }

    @inline(__always) static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    /// The token of an alphabet character (inside a word or at its end), if it has one.
    @inline(__always) func characterID(_ s: Unicode.Scalar, endsWord: Bool) -> Int32? {
        guard let id = alphabetIDs[s.value] else { return nil }
        return endsWord ? id + 1 : id
    }

    /// The token a merge of `a` and `b` makes, if that merge exists.
    @inline(__always) func merged(_ a: Int32, _ b: Int32) -> Int32? { mergeIDs[Self.key(a, b)] }

    /// Initial symbols of a pre-token: alphabet characters, or UTF-8 bytes for the rest; a
    /// word-ending pre-token ends in a word-ending character or, after bytes, the bare `</w>`.
    /// `sources[i]` is the index (within `scalars`) of the scalar symbol i came from.
    func initialSymbols(_ scalars: ArraySlice<Unicode.Scalar>, endsWord: Bool) -> (ids: [Int32], sources: [Int]) {
        var ids: [Int32] = []
        var sources: [Int] = []
        ids.reserveCapacity(scalars.count + 1)
        let last = scalars.endIndex - 1
        for i in scalars.indices {
            let s = scalars[i]
            let atEnd = endsWord && i == last
            if let id = characterID(s, endsWord: atEnd) {
                ids.append(id); sources.append(i)
            } else {
                for b in String(s).utf8 { ids.append(Self.firstByte + Int32(b)); sources.append(i) }
                if atEnd { ids.append(Self.bareWordEnd); sources.append(i) }
            }
        }
        return (ids, sources)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
