public import Cluster
public import Vectors
import Corpus

/// How the scored pairs spread over the cosine scale, with a few pairs of each band to read:
/// what `calibration.csv` holds, so that an editor can see what a cosine of 0.2 looks like in
/// this corpus before trusting (or moving) the threshold.
///
/// Bands are 0.05 wide, from the band holding the pair floor up to 1 (the last band includes 1).
/// A pair falls in the band of its cosine as written in the reports (six decimals), so a sample
/// printed as `0.150000` is never listed under 0.10–0.15. The samples of a band are the pairs
/// with the smallest ``pairHash(_:_:)`` of their two ids: spread over the band like a random
/// draw, but the same pairs on every run, for any input order and thread count.
public struct Calibration: Sendable {
    /// One band of the histogram: `low ≤ cosine < low + 0.05` (≤ 1 for the last).
    public struct Band: Sendable, Hashable {
        /// The lower edge in millionths (100000 is 0.10).
        public var lowMicros: Int
        /// Scored pairs whose cosine falls in the band.
        public var pairs: Int
        /// Of those, the pairs the clustering put in one cluster.
        public var sameCluster: Int
        /// Up to ``Calibration/samplesPerBand`` of its pairs, by cosine then id order.
        public var samples: [ScoredPair]

        /// The upper edge in millionths.
        public var highMicros: Int { lowMicros + Calibration.bandMicros }
    }

    /// Band width in millionths of a cosine: 0.05.
    public static let bandMicros = 50_000
    /// Sample pairs listed per band.
    public static let samplesPerBand = 5

    /// The bands from the pair floor's up to the one ending at 1, empty ones included.
    public let bands: [Band]

    /// Sorts the clustering's scored pairs into bands and picks each band's samples.
    ///
    /// - Parameters:
    ///   - clustering: the run; its ``Clustering/scoredPairs`` are the population.
    ///   - pairFloor: the lowest cosine the engine reported, where the first band starts.
    /// - Complexity: O(P) for P scored pairs (samples are kept in a bounded list per band).
    public init(clustering: Clustering, pairFloor: Float) {
        self.init(clustering: clustering, pairFloor: pairFloor, order: ReportOrder(clustering))
    }

    /// The same, with each sample turned to have the smaller id first and ties in hash or
    /// cosine going to the smaller ids, so that nothing depends on the order of the records.
    init(clustering: Clustering, pairFloor: Float, order: ReportOrder) {
        let pairs = clustering.scoredPairs
        let lastBand = 1_000_000 / Self.bandMicros - 1
        var firstBand = Self.band(of: pairFloor)
        for pair in pairs { firstBand = min(firstBand, Self.band(of: pair.cosine)) }

        let idHashes = clustering.records.map { Self.fnv1a($0.id) }
        var counts = [Int](repeating: 0, count: lastBand + 1)
        var together = [Int](repeating: 0, count: lastBand + 1)
        // Per band: the smallest hashes so far, ascending.
        var kept = [[(hash: UInt64, pair: ScoredPair)]](repeating: [], count: lastBand + 1)
        for scored in pairs {
            let pair = order.oriented(scored)
            let band = Self.band(of: pair.cosine)
            counts[band] += 1
            if clustering.memberships[Int(pair.first)].cluster == clustering.memberships[Int(pair.second)].cluster {
                together[band] += 1
            }
            let hash = Self.mix(idHashes[Int(pair.first)], idHashes[Int(pair.second)])
            if kept[band].count == Self.samplesPerBand {
                guard let largest = kept[band].last, Self.precedes((hash, pair), largest, order) else { continue }
                kept[band].removeLast()
            }
            let position = kept[band].firstIndex { Self.precedes((hash, pair), $0, order) } ?? kept[band].count
            kept[band].insert((hash, pair), at: position)
        }
        bands = (firstBand...lastBand).map { band in
            let samples = kept[band].map(\.pair).sorted { x, y in
                x.cosine != y.cosine ? x.cosine < y.cosine : order.precedes(x, y)
            }
            return Band(lowMicros: band * Self.bandMicros, pairs: counts[band], sameCluster: together[band], samples: samples)
        }
    }

    /// The band of a cosine rounded to six decimals, as the reports print it; 1 and anything
    /// rounding above it go to the last band.
    static func band(of cosine: Float) -> Int {
        let micros = Int((Double(cosine) * 1e6).rounded())
        return min(max(micros, 0), 1_000_000 - 1) / bandMicros
    }

    /// Smaller hash first; equal hashes (different ids can collide) by ids.
    private static func precedes(
        _ a: (hash: UInt64, pair: ScoredPair), _ b: (hash: UInt64, pair: ScoredPair), _ order: ReportOrder
    ) -> Bool {
        a.hash != b.hash ? a.hash < b.hash : order.precedes(a.pair, b.pair)
    }

    /// The sampling order of a pair: a fixed hash of its two ids, not a random draw.
    ///
    /// FNV-1a of each id, combined and finished with the SplitMix64 mixer: cheap enough for
    /// millions of pairs, and well spread over the ids.
    public static func pairHash(_ idA: String, _ idB: String) -> UInt64 {
        mix(fnv1a(idA), fnv1a(idB))
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Symmetric in its arguments, so that a pair draws the same hash whichever article comes first.
    static func mix(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let (a, b) = x < y ? (x, y) : (y, x)
        var z = (a ^ (b << 32 | b >> 32)) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
