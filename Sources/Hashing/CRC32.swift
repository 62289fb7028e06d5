import Foundation

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of embedding-cache records.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 of `bytes`, continuing from `crc` (start with 0).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return ~c
    }

    /// CRC-32 of all regions of `data`.
    public static func checksum<D: DataProtocol>(_ data: D) -> UInt32 {
        var c: UInt32 = 0
        for region in data.regions { c = region.withUnsafeBytes { checksum($0, continuing: c) } }
        return c
    }
}
