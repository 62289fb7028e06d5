import Foundation

/// Anything that maps texts to fixed-width sentence embeddings — the MiniLM encoder (module
/// `Encoders`, wired in by the command line) or the built-in `BagOfWordsEmbedder`. The language
/// models never depend on a particular encoder.
public protocol SentenceEmbedder {
    /// Embedding width M.
    var dimension: Int { get }
    /// A stable name that changes whenever the embeddings would (model, pooling, version); used
    /// in cache keys and recorded in model files.
    var identifier: String { get }
    /// One embedding per text, each of `dimension` values. The empty text must be accepted (it
    /// is the prefix before a sentence's first word).
    func embed(_ texts: [String]) throws -> [[Float]]
}

/// A hashed bag-of-words vector (the paper's bag-of-words control): each lowercased word
/// (whitespace-delimited, letters and digits only) adds ±1 to one of `dimension` buckets chosen by
/// an FNV-1a hash (the sign from a second hash, Weinberger et al. 2009); the vector is then
/// L2-normalised. The empty text gives the zero vector. Cheap and deterministic — also the
/// stand-in encoder of the tests.
public struct BagOfWordsEmbedder: SentenceEmbedder, Sendable {
    public let dimension: Int
    public var identifier: String { "bag-of-words-\(dimension)" }

    public init(dimension: Int = 384) { self.dimension = dimension }

    public func embed(_ texts: [String]) throws -> [[Float]] { texts.map(vector) }

    func vector(_ text: String) -> [Float] {
        var v = [Float](repeating: 0, count: dimension)
        for word in text.lowercased().split(whereSeparator: { $0.isWhitespace }) {
            let w = word.filter { $0.isLetter || $0.isNumber }
            guard !w.isEmpty else { continue }
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in w.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            let bucket = Int(h % UInt64(dimension))
            v[bucket] += (h >> 63) == 0 ? 1 : -1
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for i in v.indices { v[i] /= norm } }
        return v
    }
}
