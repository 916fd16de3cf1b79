import Foundation
import Crypto

/// SHA-256 helpers for identifiers and file fingerprints.
///
/// Identifiers derived this way are the same on every machine and every run, which is what makes
/// the output diffable between runs.
public enum StableHash {
    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hex(hasher.finalize())
    }

    /// Lower-case hex SHA-256 of the UTF-8 bytes of `string`.
    public static func sha256Hex(_ string: String) -> String {
        sha256Hex(Array(string.utf8))
    }

    /// `prefix` followed by the first `length` hex characters of SHA-256(`value`).
    ///
    /// Used for article ids (`u` + URL hash, `r` + position hash) and cluster ids.
    public static func id(_ prefix: String, _ value: String, length: Int = 16) -> String {
        prefix + String(sha256Hex(value).prefix(max(0, length)))
    }

    /// Hashes `chunks` incrementally so a large mapped file is never copied whole.
    static func sha256Hex(chunks: some Sequence<some Sequence<UInt8>>) -> String {
        var hasher = SHA256()
        for chunk in chunks { hasher.update(data: Array(chunk)) }
        return hex(hasher.finalize())
    }

    /// 64-bit FNV-1a of `bytes`: a cheap hash that is the same on every machine (shard owners,
    /// telling words apart), never a fingerprint.
    @inlinable
    public static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    /// MurmurHash3's 64-bit finalizer: every bit of `value` reaches every bit of the result.
    /// The step of the word-at-a-time hashes (``StringTable``, the vectorizer's text keys).
    @inlinable @inline(__always)
    public static func mix64(_ value: UInt64) -> UInt64 {
        var h = value &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        return h ^ (h >> 33)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
