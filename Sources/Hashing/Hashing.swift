/// Hashing: the content digests and checksums rtpipe's caches key and verify their files with.
///
/// - `SHA256`: streaming SHA-256 (FIPS 180-4) — model fingerprints, stage keys, file digests.
/// - `CRC32`: CRC-32 (IEEE 802.3) — per-record checksums of the embedding cache.
///
/// No dependencies, so every module that needs a digest can use it without pulling in another.
