/// One weight matrix or bias vector inside the flat parameter buffer (column-major, `rows × cols`).
struct TensorSlot: Equatable {
    let name: String
    let offset: Int
    let rows: Int
    let cols: Int
    var count: Int { rows * cols }
}

/// Where every parameter lives in one flat buffer, so Adam, gradient clipping and checkpoints
/// treat the model as a single vector. Gate order inside the LSTM's 4H rows: input i, forget f,
/// candidate g, output o.
struct ParameterLayout: Equatable {
    /// Token embeddings, E × V (column v is token v's vector).
    let embedding: TensorSlot
    /// Per layer: W_x (4H × input width), W_h (4H × H), bias b (4H × 1).
    let lstm: [(wx: TensorSlot, wh: TensorSlot, b: TensorSlot)]
    /// Sentence-embedding projection P (H × M) and bias (H × 1), when the widths differ.
    let projection: (w: TensorSlot, b: TensorSlot)?
    /// Dense layer W_d (D × dense input width) and bias (D × 1).
    let dense: (w: TensorSlot, b: TensorSlot)
    /// Output layer W_o (V × D) and bias (V × 1).
    let output: (w: TensorSlot, b: TensorSlot)
    /// Total number of parameters.
    let count: Int
    /// Every slot in buffer order.
    let slots: [TensorSlot]

    init(_ c: LMConfig) {
        var slots: [TensorSlot] = []
        var offset = 0
        func slot(_ name: String, _ rows: Int, _ cols: Int) -> TensorSlot {
            let s = TensorSlot(name: name, offset: offset, rows: rows, cols: cols)
            offset += rows * cols
            slots.append(s)
            return s
        }
        let h = c.hiddenSize
        embedding = slot("embedding", c.embeddingSize, c.vocabularySize)
        var lstm: [(TensorSlot, TensorSlot, TensorSlot)] = []
        for l in 0..<c.layers {
            let input = l == 0 ? c.embeddingSize : h
            lstm.append((slot("lstm\(l).wx", 4 * h, input), slot("lstm\(l).wh", 4 * h, h), slot("lstm\(l).b", 4 * h, 1)))
        }
        self.lstm = lstm
        projection = c.hasProjection ? (slot("projection.w", h, c.fusionWidth), slot("projection.b", h, 1)) : nil
        dense = (slot("dense.w", c.denseSize, c.denseInputSize), slot("dense.b", c.denseSize, 1))
        output = (slot("output.w", c.vocabularySize, c.denseSize), slot("output.b", c.vocabularySize, 1))
        count = offset
        self.slots = slots
    }

    static func == (a: ParameterLayout, b: ParameterLayout) -> Bool { a.slots == b.slots }
}
