import XCTest
@testable import Pipeline

/// Analysis-file problems that used to pass silently: a repeated [[regression]] name (the second
/// was skipped) and CRLF line ends (a leading comment swallowed the whole file).
final class AnalysisFileChecksTests: XCTestCase {
    let file = """
        # a demo analysis
        [analysis]
        name = "crlf"
        seed = 3

        [corpus]
        format = "simulated"
        measure = "rt"

        [[model]]
        name = "lstm"

        [[regression]]
        name = "ols"
        baseline = "rt ~ length"
        folds = 5
        """

    func testDuplicateRegressionNamesAreRejected() throws {
        let text = file + "\n\n[[regression]]\nname = \"ols\"\nbaseline = \"rt ~ length + log_freq\"\n"
        XCTAssertThrowsError(try AnalysisSpec.parse(text, file: "dup.toml")) { error in
            guard let e = error as? AnalysisFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.problems.count, 1, e.description)
            XCTAssertEqual(e.problems.first?.line, 19, e.description)
            XCTAssertTrue(e.description.contains("'ols' is used twice"), e.description)
        }
    }

    func testCRLFFileReadsLikeLFFile() throws {
        let lf = try AnalysisSpec.parse(file, file: "lf.toml")
        let crlf = try AnalysisSpec.parse(file.replacingOccurrences(of: "\n", with: "\r\n"), file: "crlf.toml")
        XCTAssertEqual(crlf, lf)
        XCTAssertEqual(crlf.regressions.first?.folds, 5)
    }

    func testCRLFErrorsNameTheirLine() throws {
        let bad = file.replacingOccurrences(of: "folds = 5", with: "folds = 5 x").replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertThrowsError(try AnalysisSpec.parse(bad, file: "crlf.toml")) { error in
            XCTAssertTrue("\(error)".contains("crlf.toml:16:"), "\(error)")
        }
    }
}
