import Foundation
import Store

/// Regenerates `Reports/` from the store alone: per analysis a folder with, per regression,
/// `comparison[-REG].md|.tex|.csv` and the figures `delta_loglik[-REG].svg`,
/// `perplexity_vs_delta[-REG].svg`. Files are written atomically and only when their content
/// changed, so regenerating twice gives identical files (and identical timestamps).
public enum ReportWriter {
    @discardableResult
    public static func write(_ tables: [ComparisonTable], to root: URL) throws -> [URL] {
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
            for (name, content) in files {
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
