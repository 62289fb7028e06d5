/// How a sequence's last hidden states become one vector.
public enum Pooling: String, Sendable, CaseIterable, Codable {
    /// Mean over all tokens ([CLS] and [SEP] included; padding never enters), then divided by its
    /// Euclidean norm: v = m/‖m‖₂ with m = (1/n) Σᵢ hᵢ. all-MiniLM-L6-v2's own pooling
    /// (`1_Pooling/config.json`: mean tokens, then the model's Normalize module).
    case mean
    /// The last hidden state of the first token, [CLS], as is.
    case cls
    /// The mean m = (1/n) Σᵢ hᵢ without normalisation.
    case meanRaw = "mean-raw"

    /// Pools `count` rows of width `width` starting at `rows` into `out`.
    func pool(_ rows: UnsafePointer<Float>, count: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case .cls:
            out.update(from: rows, count: width)
        case .mean, .meanRaw:
            out.update(repeating: 0, count: width)
            for r in 0..<count {
                let p = rows + r * width
                for j in 0..<width { out[j] += p[j] }
            }
            let inv = 1 / Float(max(count, 1))
            for j in 0..<width { out[j] *= inv }
            if self == .mean {
                var ss: Double = 0
                for j in 0..<width { ss += Double(out[j]) * Double(out[j]) }
                // Same guard as the reference: divide by max(‖m‖, 1e-12).
                let scale = Float(1 / max(ss.squareRoot(), 1e-12))
                for j in 0..<width { out[j] *= scale }
            }
        }
    }
}
