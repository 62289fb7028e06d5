import Foundation
import Numerics

/// Saving and loading a BPE tokenizer, and its fingerprint.
///
/// The file is JSON: `{"format": "rtpipe-bpe", "version": 1, "lowercase": …, "alphabet":
/// [scalar values], "merges": [[left, right], …]}` — the id layout (`BPEVocabulary`) is fixed,
/// so this is the whole tokenizer.
extension BPETokenizer {
    /// The current file format version.
    public static let fileVersion = 1

    private struct FileForm: Codable {
        var format: String
        var version: Int
        var lowercase: Bool
        var alphabet: [UInt32]
        var merges: [[Int32]]
    }

    /// The tokenizer as JSON bytes (stable: the same tokenizer always gives the same bytes).
    public func serialized() throws -> Data {
        let form = FileForm(format: "rtpipe-bpe", version: Self.fileVersion, lowercase: lowercase,
                            alphabet: vocabulary.alphabet.map(\.value), merges: vocabulary.merges.map { [$0.left, $0.right] })
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return try enc.encode(form)
    }

    /// Reads a tokenizer from bytes made by `serialized()`; `path` names the source in errors.
    public init(serialized data: Data, path: String = "(data)") throws {
        let form: FileForm
        do { form = try JSONDecoder().decode(FileForm.self, from: data) } catch {
            throw BPEError.invalidFile(path: path, reason: "not a rtpipe BPE tokenizer (\(SystemErrorText.reason(error)))")
        }
        guard form.format == "rtpipe-bpe" else { throw BPEError.invalidFile(path: path, reason: "format is \(form.format), not rtpipe-bpe") }
        guard form.version == Self.fileVersion else {
            throw BPEError.invalidFile(path: path, reason: "format version \(form.version); this rtpipe reads version \(Self.fileVersion)")
        }
        var alphabet: [Unicode.Scalar] = []
        for v in form.alphabet {
            guard let s = Unicode.Scalar(v) else { throw BPEError.invalidFile(path: path, reason: "alphabet entry \(v) is not a Unicode scalar") }
            alphabet.append(s)
        }
        guard form.merges.allSatisfy({ $0.count == 2 }) else { throw BPEError.invalidFile(path: path, reason: "a merge is not a pair") }
        do {
            let vocab = try BPEVocabulary(alphabet: alphabet, merges: form.merges.map { ($0[0], $0[1]) })
            self.init(vocabulary: vocab, lowercase: form.lowercase)
        } catch BPEError.invalidFile(_, let reason) {
            throw BPEError.invalidFile(path: path, reason: reason)
        }
    }

    /// Writes the tokenizer to `url` (through a temporary file, renamed into place).
    public func save(to url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try serialized().write(to: tmp)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: tmp, to: url)
    }

    /// Reads a tokenizer written by `save(to:)`.
    public static func load(from url: URL) throws -> BPETokenizer {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BPEError.invalidFile(path: url.path, reason: "cannot read it (\(SystemErrorText.reason(error)))")
        }
        return try BPETokenizer(serialized: data, path: url.path)
    }

    /// A 64-bit FNV-1a hash of the serialized tokenizer, as 16 hex digits: checkpoints record it
    /// so a model is never used with a different tokenizer.
    public var fingerprint: String {
        let data = (try? serialized()) ?? Data()
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in data { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
