import Foundation
import XCTest
@testable import Reports
@testable import Store

final class StoreAndReportTests: XCTestCase {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func provenance(_ stage: String) -> Provenance {
        Provenance(runID: "run1", analysis: "demo", configHash: "cfg", stageKey: stage, rtpipeVersion: "0.1.0", gitRevision: "abc", seed: 1)
    }

    func filledStore(_ dir: URL) throws -> ResultsStore {
        let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
        try store.writeStage("corpus", provenance("k-corpus"), seconds: 0.1, summary: "ok") { w in
            try w.insert("corpora", ["corpus": .text("sim"), "format": .text("naturalstories"), "path": .text("p"), "measure": .text("rt")])
        }
        for (model, fusion, ppl, r, d, cv) in [("lstm", "none", 120.5, 0.21, 30.0, 0.011), ("lstm+concat", "late_concat", 110.25, 0.22, 34.0, 0.013)] {
            try store.writeStage("model", provenance("k-\(model)"), seconds: 1, summary: nil) { w in
                try w.insert("models", ["model": .text(model), "fusion": .text(fusion)])
                try w.insert("perplexities", ["model": .text(model), "split": .text("dev"), "perplexity_per_token": .real(ppl), "bits_per_word": .real(8.1)])
                try w.insert("correlations", ["model": .text(model), "measure": .text("rt"), "n": .integer(900), "pearson_r": .real(r)])
                try w.insert("delta_loglik", ["regression": .text("ols"), "model": .text(model), "fold": .text("in-sample"), "n": .integer(900),
                                              "delta_total": .real(d), "delta_mean": .real(d / 900), "lrt_p": .real(1e-9), "lrt_df": .integer(1)])
                try w.insert("delta_loglik", ["regression": .text("ols"), "model": .text(model), "fold": .text("cv"), "n": .integer(900),
                                              "delta_mean": .real(cv), "delta_se": .real(0.002), "permutation_p": .real(0.001)])
            }
        }
        return store
    }

    func testStageWritesAreAllOrNothing() throws {
        let dir = try tempDir()
        let store = try ResultsStore(path: dir.appendingPathComponent("s.sqlite").path)
        struct Boom: Error {}
        XCTAssertThrowsError(try store.writeStage("x", provenance("k1"), seconds: 0, summary: nil) { w in
            try w.insert("models", ["model": .text("m"), "fusion": .text("none")])
            throw Boom()
        })
        XCTAssertFalse(try store.isFinished(stageKey: "k1"))
        XCTAssertEqual(try store.db.query("SELECT COUNT(*) FROM models").rows[0][0].int, 0)
        try store.writeStage("x", provenance("k1"), seconds: 0, summary: "done") { w in try w.insert("models", ["model": .text("m"), "fusion": .text("none")]) }
        try store.writeStage("x", provenance("k1"), seconds: 0, summary: "done") { w in try w.insert("models", ["model": .text("m"), "fusion": .text("none")]) }
        XCTAssertTrue(try store.isFinished(stageKey: "k1"))
        XCTAssertEqual(try store.db.query("SELECT COUNT(*) FROM models").rows[0][0].int, 1, "rewriting a stage replaces its rows")
        XCTAssertEqual(try store.db.query("PRAGMA journal_mode").rows[0][0].string, "wal")
        let row = try store.db.query("SELECT run_id, analysis, config_hash, stage_key, rtpipe_version, git_revision, seed FROM models").rows[0]
        XCTAssertEqual(row.map(\.description), ["run1", "demo", "cfg", "k1", "0.1.0", "abc", "1"])
    }

    func testTwoConnectionsWriteWithoutCorruption() throws {
        let dir = try tempDir()
        let path = dir.appendingPathComponent("c.sqlite").path
        let a = try ResultsStore(path: path), b = try ResultsStore(path: path)
        let group = DispatchGroup()
        for (k, store) in [a, b].enumerated() {
            group.enter()
            DispatchQueue.global().async {
                for i in 0..<50 {
                    try? store.writeStage("x", Provenance(runID: "r\(k)", analysis: "a", configHash: "c", stageKey: "k\(k)-\(i)", rtpipeVersion: "v", gitRevision: "g", seed: 1), seconds: 0, summary: nil) { w in
                        try w.insert("models", ["model": .text("m\(k)-\(i)"), "fusion": .text("none")])
                    }
                }
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(try a.db.query("SELECT COUNT(*) FROM models").rows[0][0].int, 100)
        XCTAssertEqual(try a.db.query("PRAGMA integrity_check").rows[0][0].string, "ok")
    }

    func testReportsFromStoreAreDeterministic() throws {
        let dir = try tempDir()
        let store = try filledStore(dir)
        let tables = try ComparisonQuery.tables(store)
        XCTAssertEqual(tables.count, 1)
        XCTAssertEqual(tables[0].rows.map(\.model), ["lstm", "lstm+concat"])
        XCTAssertEqual(tables[0].rows[1].perplexity, 110.25)
        XCTAssertEqual(tables[0].rows[0].cvMean, 0.011)
        let out = dir.appendingPathComponent("Reports")
        let files = try ReportWriter.write(tables, to: out)
        XCTAssertEqual(files.count, 5)
        let first = try files.map { try String(contentsOf: $0, encoding: .utf8) }
        try ReportWriter.write(try ComparisonQuery.tables(store), to: out)
        let second = try files.map { try String(contentsOf: $0, encoding: .utf8) }
        XCTAssertEqual(first, second)
        let md = first[0]
        XCTAssertTrue(md.contains("| lstm+concat | late_concat | 110.25 | 0.2200 |"), md)
        XCTAssertTrue(first[1].contains("\\toprule") && first[1].contains("\\bottomrule"))
        XCTAssertTrue(first[3].hasPrefix("<svg") && first[3].contains("lstm+concat"))
        XCTAssertTrue(tables[0].terminalText.contains("0.01300 ± 0.00200"), tables[0].terminalText)
    }
}
