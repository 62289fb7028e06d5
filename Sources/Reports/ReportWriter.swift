import Foundation
import Store

/// Regenerates `Reports/` from the store alone: per analysis a folder with, per regression,
/// `comparison[-REG].md|.tex|.csv` and the figures `delta_loglik[-REG].svg`,
/// `perplexity_vs_delta[-REG].svg`; for a grid with seeds also `study[-REG].md|.tex|.csv` and the
/// study figures (`StudyTable.figures`). Files are written atomically and only when their content
/// changed, so regenerating twice gives identical files (and identical timestamps).
public enum ReportWriter {
    @discardableResult
    public static func write(_ tables: [ComparisonTable], studies: [StudyTable] = [], to root: URL) throws -> [URL] {
        var written: [URL] = []
        let fm = FileManager.default
        for t in tables {
            let dir = root.appendingPathComponent(safe(t.analysis))
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            let suffix = t.regression.isEmpty ? "" : "-" + safe(t.regression)
            let files: [(String, String)] = [
                ("comparison\(suffix).md", t.markdown), ("comparison\(suffix).tex", t.latex), ("comparison\(suffix).csv", t.csv),
                ("delta_loglik\(suffix).svg", t.deltaFigure), ("perplexity_vs_delta\(suffix).svg", t.perplexityFigure),
            ]
            var all = files
            for s in studies where s.analysis == t.analysis && s.regression == t.regression {
                all += [("study\(suffix).md", s.markdown), ("study\(suffix).tex", s.latex), ("study\(suffix).csv", s.csv)]
                all += s.figures.map { ("\($0.0.dropLast(4))\(suffix).svg", $0.1) }
            }
            for (name, content) in all {
                let url = dir.appendingPathComponent(name)
                if let old = try? String(contentsOf: url, encoding: .utf8), old == content { written.append(url); continue }
                try content.write(to: url, atomically: true, encoding: .utf8)
                written.append(url)
            }
        }
        return written
    }

    /// A file-name-safe version of a name.
    static func safe(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
