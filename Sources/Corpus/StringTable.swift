/// A map from strings to `Int32` for per-token and per-record lookups (the vectorizer, the reader).
///
/// `Dictionary<String, _>` hashes with a randomly seeded SipHash, whose set-up alone was a
/// tenth of the vectorizer's time on a big day of news: tokens are short, and every one is
/// looked up. This table hashes the UTF-8 bytes a word at a time with a fixed mix (MurmurHash3's
/// finalizer), probes linearly, and compares the strings only when the full hashes match. What
/// it stores does not depend on the order of the probes, so results are the same on every run.
package struct StringTable {
    /// Per slot: the entry stored there, or -1.
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    package private(set) var keys: [String] = []
    private var values: [Int32] = []

    /// An empty table with room for about `capacity` keys before it grows.
    package init(capacity: Int = 512) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = Array(repeating: -1, count: size)
    }

    package var count: Int { keys.count }

    /// The value stored for `key`, or `nil`.
    package subscript(key: String) -> Int32? {
        let hash = Self.hash(key)
        let entry = find(key, hash: hash).entry
        return entry < 0 ? nil : values[Int(entry)]
    }

    /// The value stored for `key`; when there is none, stores `value` and returns it.
    /// - Returns: the value, and whether it was inserted now.
    package mutating func value(for key: String, inserting value: Int32) -> (value: Int32, inserted: Bool) {
        let hash = Self.hash(key)
        let (entry, slot) = find(key, hash: hash)
        if entry >= 0 { return (values[Int(entry)], false) }
        slots[slot] = Int32(keys.count)
        hashes.append(hash)
        keys.append(key)
        values.append(value)
        if 2 * keys.count > slots.count { grow() }
        return (value, true)
    }

    /// Stores `value` for `key`, which must not be in the table yet.
    package mutating func insert(_ key: String, value: Int32) {
        let inserted = self.value(for: key, inserting: value).inserted
        precondition(inserted, "the key is new")
    }

    /// The entry holding `key` (or -1) and the slot where the probe for it ended.
    private func find(_ key: String, hash: UInt64) -> (entry: Int32, slot: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return (-1, slot) }
            if hashes[Int(entry)] == hash && keys[Int(entry)] == key { return (entry, slot) }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: 2 * slots.count)
        let mask = slots.count - 1
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    /// A 64-bit hash of the string's UTF-8 bytes, eight at a time.
    package static func hash(_ key: String) -> UInt64 {
        var key = key
        // `withUTF8` is mutating because it may make a bridged string contiguous; the
        // tokenizer's strings are native, so the copy shares storage and costs nothing.
        return key.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            var hash: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(raw.count)
            var offset = 0
            while offset + 8 <= raw.count {
                hash = StableHash.mix64(hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                offset += 8
            }
            var tail: UInt64 = 0
            for k in offset..<raw.count { tail |= UInt64(raw[k]) << (8 * UInt64(k - offset)) }
            return StableHash.mix64(hash ^ tail)
        }
    }
}
