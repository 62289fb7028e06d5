import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Short, plain reasons for file-system errors ("no such file", "permission denied") for
/// messages that name the file themselves — never Foundation's raw NSError text ("The
/// operation could not be completed…", "Error Domain=NSCocoaErrorDomain Code=260 …").
public enum SystemErrorText {
    /// The reason `error` happened, in a few words; errors that are not Foundation's or the
    /// system's are described as they describe themselves.
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return posix(Int32(ns.code)) }
        guard ns.domain == NSCocoaErrorDomain else { return "\(error)" }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return posix(Int32(underlying.code))
        }
        if let path = filePath(ns) {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { return "is a folder, not a file" }
        }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileReadInapplicableStringEncoding, .fileReadUnknownStringEncoding: return "not valid text in the expected encoding (UTF-8)"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteVolumeReadOnly: return "the file system is read-only"
        case .fileReadTooLarge: return "too large to read"
        case .fileWriteFileExists: return "a file of that name exists"
        case .fileReadCorruptFile: return "not in the expected format"
        case .fileLocking: return "locked by another process"
        default: return "input/output error (Foundation error \(ns.code))"
        }
    }

    /// "PATH: reason" when `error` names a file, else the reason alone.
    public static func describe(_ error: Error) -> String {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
        return filePath(ns).map { "\($0): \(reason(error))" } ?? reason(error)
    }

    private static func filePath(_ ns: NSError) -> String? {
        (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
    }

    private static func posix(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
