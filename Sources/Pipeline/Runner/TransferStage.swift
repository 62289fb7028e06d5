import Corpora
import Foundation
import LanguageModels
import Store
import Tokenization

/// What `summary.json` of a finished training run says about how it ended.
struct TrainingRecord {
    let steps: Int
    let bestStep: Int?
    let stoppedEarly: Bool

    /// Reads `summary.json`; nil if it is missing or unreadable.
    init?(summary url: URL) {
        guard let data = try? Data(contentsOf: url),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let steps = obj["steps"] as? Int else { return nil }
        self.steps = steps
        let best = obj["best_step"] as? Int ?? -1
        bestStep = best >= 0 ? best : nil
        stoppedEarly = obj["stopped_early"] as? Bool ?? false
    }
}

extension AnalysisRunner {
    /// Where an evaluation text's file is (`bible-kjv`: the text `scripts/setup` builds).
    func path(of text: EvaluationText) -> String? {
        guard case .file(let p) = text.source else { return nil }
        return p == EvaluationText.bibleName ? options.cacheDirectory.appendingPathComponent("text/bible-kjv.txt").path : resolve(p)
    }

    /// The key of a model's perplexities on the evaluation texts: the model and each text's content.
    func transferKey(_ m: AnalysisSpec.Model) -> StageKey {
        var k = StageKey("transfer", version: options.version)
        k.add("lm", lmKey(m).hex)
        for t in spec.evaluationTexts {
            let content = path(of: t).map { digests.fingerprint(path: $0) } ?? "corpus:\(corpusKey.hex)"
            k.add("text", "\(t.name)|\(content)|\(t.sentences.map(String.init) ?? "all")")
        }
        return k
    }

    /// The sentences of an evaluation text (the first `sentences` of them when given).
    func sentences(of t: EvaluationText, corpus data: CorpusData) throws -> [String] {
        var out: [String]
        if let p = path(of: t) {
            guard FileManager.default.fileExists(atPath: p) else {
                let hint = t.source == .file(EvaluationText.bibleName) ? "; run scripts/setup (it builds the King James Bible text from Debian's bible-kjv-text)" : ""
                throw PipelineError("the evaluation text '\(t.name)' (\(p)) is missing\(hint)")
            }
            out = try TrainingText.read(URL(fileURLWithPath: p)).sentences.map(\.text)
        } else {
            let words = data.corpus.words
            out = data.corpus.texts.flatMap { text in text.sentences.map { words[$0].map(\.form).joined(separator: " ") } }
        }
        if let n = t.sentences { out = Array(out.prefix(n)) }
        guard !out.isEmpty else { throw PipelineError("the evaluation text '\(t.name)' has no sentences") }
        return out
    }

    /// Perplexity of one model on every `[[evaluation_text]]`, stored in `perplexities` with
    /// split `transfer:NAME` (fused models read the same kind of sentence embeddings as in training).
    func transferStage(_ m: AnalysisSpec.Model, _ stage: PlannedStage, modelURL: URL, tokenizerURL: URL, corpus data: CorpusData) throws {
        if stage.cached { return }
        let start = Date()
        let model = try LanguageModel.load(from: modelURL)
        let tokenizer = try BPETokenizer.load(from: tokenizerURL)
        var reports: [(String, PerplexityReport)] = []
        for t in spec.evaluationTexts {
            let lines = try sentences(of: t, corpus: data)
            let text = TrainingText.parse(lines.joined(separator: "\n"), layout: .sentencePerLine, source: t.name)
            var ds = LMDataset(text: text, indices: Array(text.sentences.indices), tokenizer: tokenizer)
            if m.fusion.usesEmbeddings {
                ds.embeddings = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: context(of: m),
                                                           embedder: try sentenceEmbedder(), seed: UInt64(m.seed ?? spec.seed))
            }
            let r = try model.evaluate(ds)
            progress.line(String(format: "transfer %@ on %@: perplexity %.2f per token (base e), %d sentences", m.name, t.name, r.tokenPerplexity, lines.count))
            reports.append((t.name, r))
        }
        try recordStage("transfer", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: nil) { w in
            for (name, r) in reports {
                try w.insert("perplexities", ["model": .text(m.name), "split": .text("transfer:\(name)"), "tokens": .of(r.predictions), "words": .of(r.words),
                                              "nats_per_token": .real(r.natsPerToken), "perplexity_per_token": .real(r.tokenPerplexity),
                                              "perplexity_per_word": .real(r.wordPerplexity), "bits_per_word": .real(r.bitsPerWord), "base": .text("e")])
            }
        }
    }
}
