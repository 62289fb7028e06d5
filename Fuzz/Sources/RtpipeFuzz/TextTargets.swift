import Corpora
import Foundation
import MixedModels
import Pipeline
import TOML

/// Targets whose input is text parsed in memory: analysis files (TOML), formulas and tables.
enum TextTargets {
    static let all: [FuzzTarget] = [toml, analysis, formula, delimited, dataTable]

    /// Bytes as the readers see them: invalid UTF-8 is repaired, as `String(decoding:)` does.
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The TOML parser alone.
    static let toml = FuzzTarget("toml", "analysis-file syntax (TOMLParser)", seeds: [
        ("basic.toml", utf8("""
            # comment
            title = "x" # trailing
            [a]
            n = 1_000
            f = 2.5e-3
            b = true
            s = 'lit\\eral'
            arr = [1, 2,
              3]
            inline = { k = "v", n = [[1], [2.0]] }
            "quoted key" = "\\u00e9\\t"
            ml = \"\"\"
            two
            lines\"\"\"
            [[model]]
            name = "m"
            [[model]]
            name = "n"
            [a.x.y]
            d = 0x1F
            """)),
        ("crlf.toml", utf8("# leading comment\r\n[analysis]\r\nname = \"crlf\"\r\n")),
    ]) { bytes in
        _ = try TOMLParser.parse(text(bytes), file: "fuzz.toml")
    }

    /// The whole analysis-file check: TOML, then every section, key, formula and value.
    static let analysis = FuzzTarget("analysis", "analysis files (TOML + AnalysisSpec checks)", seeds: [
        ("small.toml", utf8("""
            [analysis]
            name = "fuzz"
            seed = 1

            [corpus]
            format = "naturalstories"
            path = "corpus"
            measure = "rt"
            exclude = ["outside:100..3000"]
            aggregate = "mean"

            [training_text]
            source = "default"
            sentences = 400
            vocab_size = 500

            [encoder]
            model = "all-MiniLM-L6-v2"
            pooling = "mean"
            context = "stride:4"

            [[model]]
            name = "lstm"
            fusion = "none"
            steps = 10

            [[model]]
            name = "late"
            fusion = "late_concat"

            [predictors]
            frequency = "training-text"
            spillover = 2

            [[regression]]
            name = "lmm"
            baseline = "rt ~ length + log_freq + prev1_length + (1 | subject)"
            add = ["surprisal", "prev1_surprisal"]
            folds = 5
            """)),
    ]) { bytes in
        _ = try AnalysisSpec.parse(text(bytes), file: "fuzz.toml")
    }

    /// A small table every parsed formula is built against (numeric y, x, z, x2, `word len`;
    /// factors g, h, w).
    static let formulaTable: DataTable? = try? DataTable(text: """
        y,x,z,x2,g,h,w,word len
        1.5,1,0.5,3,a,p,u,3
        2.5,2,0.25,1,a,q,v,5
        3.0,3,1.5,4,b,p,u,2
        0.5,4,2.0,1,b,q,v,7
        4.5,5,0.75,9,c,p,u,4
        """, sourceName: "formula-table.csv")

    /// Formulas: parsing, then the model frame (fixed and random-effect matrices) on a fixed table.
    static let formula = FuzzTarget("formula", "model formulas (FormulaParser + ModelFrame)", seeds: [
        ("slopes.txt", utf8("y ~ x + (x|g)")),
        ("all.txt", utf8("y ~ x + z*x2 + x:z + log(x) + scale(x) + I(x^2) + (1|g) + (1 + x|g) + (0 + x|g) + (x||g) + (1|g/h) + (1|g:h)")),
        ("functions.txt", utf8("log(y) ~ log(x) + log2(x) + log10(x) + exp(z) + sqrt(abs(z)) + scale(x) + I(x^2) + I(x * 2) + I(x/2) + I((x + 1)^-1) + I(-x)")),
        ("quoted.txt", utf8("y ~ `word len` + log(`word len`) + (1|`g`)")),
        ("frame.txt", utf8("y ~ x * z + x2 + (1 + x|g) + (0 + z||h) + (1|g/h) + (1|g:w)")),
        ("nested.txt", utf8("y ~ (x||g/h)")),
    ]) { bytes in
        let f = try Formula.parse(text(bytes))
        guard let table = formulaTable else { return }
        _ = try ModelFrame.build(formula: f, table: table, factors: ["w"])
    }

    /// The corpus readers' delimited-text reader: separator guessing, quoting, row widths, cells.
    static let delimited = FuzzTarget("delimited", "CSV/TSV reading for corpora (DelimitedFile, TextDecoding)", seeds: [
        ("quoted.csv", utf8("\"\",\"a\",\"b c\",n\n\"1\",\"x, y\",\"say \"\"hi\"\"\",3.5\n2,,NA,-1e3\n")),
        ("tabs.tsv", utf8("WorkerId\titem\tzone\tword\tRT\nA\tx\t1\tHello\t300\nA\tx\t2\tthere.\tNA\n")),
        ("semicolon.csv", utf8("a;b;c\r\n1;2,5;3\r\n")),
        ("cp1252.csv", latin1("w,n\ncaf\u{E9},1\n") + [0x93, 0x2C, 0x32, 0x0A]),
    ]) { bytes in
        let decoded = try TextDecoding.decode(Data(bytes), file: "fuzz.csv")
        let file = try DelimitedFile(file: "fuzz.csv", text: decoded.text, encoding: decoded.encoding)
        try file.forEachRow(expectedFields: nil) { row in
            for c in row.fields.indices {
                _ = row.location(c); _ = row.name(c)
                _ = try? row.double(c); _ = try? row.int(c)
            }
        }
    }

    /// The regression commands' table reader (`rtpipe fit`): CSV/TSV into typed columns.
    static let dataTable = FuzzTarget("datatable", "regression tables (DataTable)", seeds: [
        ("sleep.csv", utf8("Reaction,Days,Subject\n249.56,0,308\n258.70,1,308\n250.80,0,309\n")),
        ("tabs.tsv", utf8("y\tx\tg\n1\t2\ta\n2\tNA\tb\n3\t\"4\"\tc\n")),
        ("mixed.csv", utf8("\"y\",x,f\n1,abc,\"q, r\"\n2,3.5e2,s\n")),
    ]) { bytes in
        let table = try DataTable(text: text(bytes), sourceName: "fuzz.csv")
        for name in table.columnNames {
            _ = table.isNumeric(name)
            _ = try? table.numericColumn(name)
            _ = try? table.textColumn(name)
        }
    }
}
