import Foundation
import XCTest

/// Locates `../shared/lmm-reference` beside the checkout and reads lme4's reference fits.
enum ReferenceData {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var directory: URL { packageRoot.deletingLastPathComponent().appendingPathComponent("shared/lmm-reference") }

    /// The folder, or an XCTSkip saying why the golden test cannot run.
    static func requireDirectory() throws -> URL {
        let dir = directory
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("reference.json").path) else {
            throw XCTSkip("lme4 reference data not found at \(dir.path) (the ../shared folder beside the checkout); golden test skipped")
        }
        return dir
    }

    static func models() throws -> [String: [String: Any]] {
        let dir = try requireDirectory()
        let data = try Data(contentsOf: dir.appendingPathComponent("reference.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(root["models"] as? [String: [String: Any]])
    }
}
