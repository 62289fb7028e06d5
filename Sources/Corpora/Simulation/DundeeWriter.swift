import Foundation
import Numerics

/// Writes simulated eye movements in the Dundee layouts: `txNNwrdp.dat` (14 fields a word) and,
/// per reader and text, both fixation files as the corpus has them:
/// - `sXNNma1p.dat` (header `WORD TEXT LINE OLEN WLEN XPOS WNUM FDUR OBLP WDLP LAUN TXFR`): one
///   row per fixation in temporal order; LAUN the launch distance in characters from the
///   previous fixation (−99 for the first and after a blink); blinks as `*Blink` with WNUM 0;
/// - `sXNNma2p.dat` (header `… FXNO TXFR`): the same fixations in word order (by WNUM, then
///   FXNO), FXNO the temporal index, and a placeholder row `WORD -99 0 0 0 0 WNUM 0 0 0 0 0`
///   for every word the reader never fixated.
/// TEXT is the screen number, as in the corpus. The eye-movement process is the one
/// `SimulationModel` states.
enum DundeeWriter {
    static func write(corpus: Corpus, subjects: Int, model: SimulationModel, time: PlantedTimes, sampler: inout NormalSampler,
                      folder: String, files: inout [String]) throws -> Int {
        var fixationRows = 0
        for (t, text) in corpus.texts.enumerated() {
            let number = t + 1
            let nn = number < 10 ? "0\(number)" : "\(number)"
            // Local frequency: the word's count in this text.
            var local: [String: Int] = [:]
            for w in text.wordIDs { local[FrequencyTable.key(corpus.words[w].form), default: 0] += 1 }
            var xStart: [Int: Int] = [:]
            var lines: [String] = []
            var column = 0
            for w in text.wordIDs {
                let word = corpus.words[w]
                if word.boundaries.contains(.firstInLine) { column = 0 }
                xStart[w] = column
                let stripped = WordForm.stripped(word.form)
                let before = word.form.distance(from: word.form.startIndex, to: stripped.startIndex)
                let after = stripped.isEmpty ? 0 : word.form.distance(from: stripped.endIndex, to: word.form.endIndex)
                let fields: [String] = [word.form, String(number), String(word.screen!), String(word.line!), String(word.positionInLine!),
                                        String(word.positionOnScreen!), String(column + 1 + before), String(word.form.count), String(stripped.count),
                                        before + after > 0 ? "1" : "0", String(before), String(after), String(word.positionInText),
                                        String(local[FrequencyTable.key(word.form)]!)]
                lines.append(fields.joined(separator: " "))
                column += word.form.count + 1
            }
            try save(CorpusFiles.join(folder, "tx\(nn)wrdp.dat"), lines.joined(separator: "\n") + "\n", &files)

            for s in 0..<subjects {
                let letter = Character(UnicodeScalar(UInt8(97 + s)))
                // (WNUM, fields without FXNO/LAUN, x position or nil for a blink), in temporal order.
                var events: [(wnum: Int, fields: [String], x: Int?)] = []
                func fixate(_ w: Int, _ duration: Double) {
                    let word = corpus.words[w]
                    let landing = 1 + Int(sampler.unit() * Double(max(1, word.form.count)))
                    events.append((word.positionInText, [word.form, String(word.screen!), String(word.line!), String(word.form.count),
                                                         String(WordForm.length(word.form)), String(xStart[w]! + landing), String(word.positionInText),
                                                         String(Int(duration)), String(landing), String(landing)], xStart[w]! + landing))
                }
                let ids = Array(text.wordIDs)
                for (i, w) in ids.enumerated() {
                    let len = Double(WordForm.length(corpus.words[w].form))
                    if sampler.chance(1 / (1 + exp(-(model.skipBase - model.skipPerLetter * len)))) { continue }
                    if sampler.chance(model.blinkRate) {
                        events.append((0, ["*Blink", String(corpus.words[w].screen!), String(corpus.words[w].line!), "0", "0", "0", "0",
                                           String(80 + Int(sampler.unit() * 80)), "0", "0"], nil))
                    }
                    let gaze = time.draw(s, w, &sampler)
                    if gaze >= 120 && sampler.chance(model.refixBase + model.refixPerLetter * max(0, len - 5)) {
                        let first = (gaze * (0.4 + 0.2 * sampler.unit())).rounded()
                        fixate(w, first)
                        fixate(w, gaze - first)
                    } else {
                        fixate(w, gaze)
                    }
                    if i >= 1 && sampler.chance(model.regressionRate) {
                        let back = i >= 2 && sampler.chance(0.5) ? 2 : 1
                        fixate(ids[i - back], (60 + 200 * sampler.unit()).rounded())
                    }
                }
                fixationRows += events.count
                let txfr = { (wnum: Int) -> String in wnum > 0 ? String(local[FrequencyTable.key(corpus.words[text.wordIDs.lowerBound + wnum - 1].form)]!) : "0" }
                // ma1p: temporal order with the launch distance.
                var temporal = ["WORD TEXT LINE OLEN WLEN XPOS WNUM FDUR OBLP WDLP LAUN TXFR"]
                var previousX: Int? = nil
                for e in events {
                    let launch = e.x.flatMap { x in previousX.map { x - $0 } } ?? -99
                    temporal.append((e.fields + [String(launch), txfr(e.wnum)]).joined(separator: " "))
                    previousX = e.x
                }
                // ma2p: word order, FXNO = temporal index, placeholders for words never fixated.
                var byWord: [Int: [(fxno: Int, fields: [String])]] = [:]
                for (k, e) in events.enumerated() { byWord[e.wnum, default: []].append((k + 1, e.fields)) }
                var wordOrder = ["WORD TEXT LINE OLEN WLEN XPOS WNUM FDUR OBLP WDLP FXNO TXFR"]
                for (k, f) in byWord[0] ?? [] { wordOrder.append((f + [String(k), "0"]).joined(separator: " ")) }
                for w in ids {
                    let wnum = corpus.words[w].positionInText
                    if let rows = byWord[wnum] {
                        for (k, f) in rows { wordOrder.append((f + [String(k), txfr(wnum)]).joined(separator: " ")) }
                    } else {
                        wordOrder.append("\(corpus.words[w].form) \(DundeeFixationFile.placeholderText) 0 0 0 0 \(wnum) 0 0 0 0 0")
                    }
                }
                try save(CorpusFiles.join(folder, "s\(letter)\(nn)ma1p.dat"), temporal.joined(separator: "\n") + "\n", &files)
                try save(CorpusFiles.join(folder, "s\(letter)\(nn)ma2p.dat"), wordOrder.joined(separator: "\n") + "\n", &files)
            }
        }
        return fixationRows
    }

    private static func save(_ path: String, _ text: String, _ files: inout [String]) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch { throw CorpusError("cannot write: \(SystemErrorText.reason(error))", file: path) }
        files.append(path)
    }
}
