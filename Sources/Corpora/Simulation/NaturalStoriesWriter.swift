import Foundation
import Numerics

/// Writes a simulated self-paced-reading corpus in the Natural Stories layout: `all_stories.tok`,
/// `processed_RTs.tsv` (as the corpus's process_RTs.R writes it: rows that pass 100 < RT < 3000
/// and correct > 4, joined with the per-word summary) and `processed_wordinfo.tsv` (per-word n,
/// mean, sd, geometric mean and sd, sorted by word, zone, item).
enum NaturalStoriesWriter {
    static func write(corpus: Corpus, subjects: Int, time: PlantedTimes, sampler: inout NormalSampler,
                      folder: String, files: inout [String]) throws -> Int {
        var tok = "word\tzone\titem\n"
        for w in corpus.words { tok += "\(w.form)\t\(w.positionInText)\t\(corpus.texts[w.text].id)\n" }

        struct Row { let worker: String; let workTime: Int; let correct: Int; let word: Int; let rt: Double }
        var rows: [Row] = []
        for s in 0..<subjects {
            let worker = String(format: "SIM%03d", s + 1)
            let workTime = 1200 + Int(sampler.unit() * 1800)
            for text in corpus.texts {
                let correct = sampler.chance(0.6) ? 6 : 5
                for w in text.wordIDs {
                    let rt = time.draw(s, w, &sampler)
                    if rt > 100 && rt < 3000 { rows.append(Row(worker: worker, workTime: workTime, correct: correct, word: w, rt: rt)) }
                }
            }
        }
        // Per-word summaries (R: n(), mean, sd, exp(mean(log)), exp(sd(log))).
        var byWord: [Int: [Double]] = [:]
        for r in rows { byWord[r.word, default: []].append(r.rt) }
        func summary(_ x: [Double]) -> [String] {
            let n = Double(x.count), mean = x.reduce(0, +) / n
            let logs = x.map { Foundation.log($0) }, lmean = logs.reduce(0, +) / n
            let sd = x.count > 1 ? (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : Double.nan
            let lsd = x.count > 1 ? (logs.reduce(0) { $0 + ($1 - lmean) * ($1 - lmean) } / (n - 1)).squareRoot() : Double.nan
            return [String(x.count), "\(mean)", sd.isNaN ? "NA" : "\(sd)", "\(exp(lmean))", lsd.isNaN ? "NA" : "\(exp(lsd))"]
        }
        var summaries: [Int: [String]] = [:]
        for (w, x) in byWord { summaries[w] = summary(x) }
        let infoOrder = byWord.keys.sorted { a, b in
            let wa = corpus.words[a], wb = corpus.words[b]
            if wa.form != wb.form { return Array(wa.form.utf8).lexicographicallyPrecedes(Array(wb.form.utf8)) }
            if wa.positionInText != wb.positionInText { return wa.positionInText < wb.positionInText }
            return wa.text < wb.text
        }
        var info = "word\tzone\titem\tnItem\tmeanItemRT\tsdItemRT\tgmeanItemRT\tgsdItemRT\n"
        for w in infoOrder {
            let word = corpus.words[w]
            info += ([word.form, String(word.positionInText), corpus.texts[word.text].id] + summaries[w]!).joined(separator: "\t") + "\n"
        }
        var processed = "WorkerId\tWorkTimeInSeconds\tcorrect\titem\tzone\tRT\tword\tnItem\tmeanItemRT\tsdItemRT\tgmeanItemRT\tgsdItemRT\n"
        for r in rows.sorted(by: { $0.word < $1.word }) {
            let word = corpus.words[r.word]
            processed += ([r.worker, String(r.workTime), String(r.correct), corpus.texts[word.text].id, String(word.positionInText),
                           String(Int(r.rt)), word.form] + summaries[r.word]!).joined(separator: "\t") + "\n"
        }
        for (name, text) in [("all_stories.tok", tok), ("processed_RTs.tsv", processed), ("processed_wordinfo.tsv", info)] {
            let path = CorpusFiles.join(folder, name)
            do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch { throw CorpusError("cannot write: \(SystemErrorText.reason(error))", file: path) }
            files.append(path)
        }
        return rows.count
    }
}
