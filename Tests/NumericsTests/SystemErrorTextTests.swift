import Foundation
import Numerics
import XCTest

/// Issue 12, item 14: file-system errors are described in a few plain words, never with
/// Foundation's raw NSError text.
final class SystemErrorTextTests: XCTestCase {
    func foundationError(_ body: () throws -> Void) -> Error? {
        do { try body() } catch { return error }
        return nil
    }

    func testFileErrorsHavePlainReasons() throws {
        let missing = try XCTUnwrap(foundationError { _ = try String(contentsOfFile: "/no/such/file.txt", encoding: .utf8) })
        XCTAssertEqual(SystemErrorText.reason(missing), "no such file")
        let folder = try XCTUnwrap(foundationError { _ = try Data(contentsOf: URL(fileURLWithPath: NSTemporaryDirectory())) })
        XCTAssertEqual(SystemErrorText.reason(folder), "is a folder, not a file")
        let noFolder = try XCTUnwrap(foundationError { try Data("x".utf8).write(to: URL(fileURLWithPath: "/no/such/folder/x")) })
        for e in [missing, folder, noFolder] {
            for text in [SystemErrorText.reason(e), SystemErrorText.describe(e)] {
                XCTAssertFalse(text.contains("could not be completed") || text.contains("Domain=") || text.contains("NSCocoaErrorDomain"), text)
                XCTAssertFalse(text.isEmpty)
            }
        }
        struct Own: Error, CustomStringConvertible { var description: String { "own words" } }
        XCTAssertEqual(SystemErrorText.reason(Own()), "own words")
    }
}
