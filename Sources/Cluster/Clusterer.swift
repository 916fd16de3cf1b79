public import Corpus
public import Vectors

/// Groups a corpus into story clusters with duplicate groups inside them.
///
/// 1. Exact copies (same normalized title and text) start in one group: they are duplicates at any
///    threshold, even when the time window kept them from being compared.
/// 2. Average-link clustering (``AverageLinkage``) over the scored pairs forms the stories.
/// 3. `exact_url` duplicates join their original's cluster.
/// 4. Inside each cluster, in canonical-policy order, an article whose best cosine to an earlier
///    original reaches the duplicate threshold becomes that original's near-duplicate; otherwise
///    it is an original itself. `duplicate_of` therefore always names an earlier article that the
///    copy really resembles, never a link in a chain.
public struct Clusterer: Sendable {
    public var options: ClusterOptions
    /// Worker threads for the per-article and per-cluster work; the result does not depend on it.
    public var threads: Int

    public init(options: ClusterOptions, threads: Int = 1) {
        precondition(threads >= 1, "at least one thread")
        self.options = options
        self.threads = threads
    }

    /// Clusters `corpus`, whose articles are the rows of `model.matrix`.
    ///
    /// - Parameter pairs: the engine's pairs at or above ``ClusterOptions/pairFloor``.
    /// - Complexity: O(N + P log P) for N articles and P pairs, plus O(s² · nnz) per cluster of
    ///   s records for the mean cosine over all its pairs.
    public func cluster(_ corpus: Corpus, model: TFIDFModel, pairs: [ScoredPair]) -> Clustering {
        let articles = corpus.articles
        let n = articles.count
        precondition(model.matrix.rowCount == n, "one matrix row per article")

        // What needs nothing else, side by side on the workers: the policy order, the exact-text
        // hashes and the list of records.
        let policy = ResultSlot<[Int]>(), everyRecord = ResultSlot<[Article]>()
        let hashChunk = 512
        let jobs = Chunks(count: 2 + (n + hashChunk - 1) / hashChunk, grain: 1)
        let hashes = [UInt64?](unsafeUninitializedCapacity: n) { buffer, initialized in
            let hashes = Slots(buffer)
            Parallel.run(threads: min(threads, jobs.chunkCount)) { _ in
                var hasher = ExactText.KeyHasher()
                while let job = jobs.next()?.lowerBound {
                    switch job {
                    case 0: policy.set(Self.policyOrder(articles, threads: 1))
                    case 1: everyRecord.set(articles + corpus.urlDuplicates.map(\.article))
                    default:
                        let start = (job - 2) * hashChunk
                        for article in start..<min(start + hashChunk, n) {
                            hashes.initialize(article, to: hasher.hash(title: articles[article].title, text: articles[article].text))
                        }
                    }
                }
            }
            initialized = n
        }
        let order = policy.result, records = everyRecord.result

        // 1. Exact text groups, each led by its first article in policy order.
        let textOriginal = ExactText.originals(articles, order: order, hashes: hashes)

        // 2. Stories.
        let published = articles.map(\.published)
        let options = options
        let density = ClusterOptions.density(published)
        let linkage = options.linkage(density: density)
        var label = linkage.groups(
            nodeCount: n, initial: textOriginal, published: published, edgeCount: pairs.count
        ) { k in
            let pair = pairs[k]
            let a = Int(pair.first), b = Int(pair.second)
            let weight = options.linkWeight(cosine: pair.cosine, published[a], published[b])
            // A pair the decay takes below the floor counts as zero, like one never scored.
            guard weight >= options.pairFloor else { return nil }
            var gap = Float.infinity
            if let p = published[a], let q = published[b] { gap = Float(abs(p - q)) / 3_600 }
            return (a, b, weight, gap)
        }
        if options.attachThreshold > 0 {
            label = Self.attachLoners(label: label, pairs: pairs, threshold: options.attachThreshold)
        }
        // Only pairs inside a story are ever looked up; built once the linkage has freed its
        // memory.
        let cosine = PairIndex(pairs, nodeCount: n) { label[$0] == label[$1] }

        // Members of each story in policy order, stories in order of their label.
        var groupStart = [Int](repeating: 0, count: n + 1)
        var groupOf = [Int](repeating: -1, count: n)
        var groupCount = 0
        for index in 0..<n where label[index] == index {
            groupOf[index] = groupCount
            groupCount += 1
        }
        for index in 0..<n { groupStart[groupOf[label[index]] + 1] += 1 }
        for g in 0..<groupCount { groupStart[g + 1] += groupStart[g] }
        var fill = groupStart
        var grouped = [Int](repeating: 0, count: n)
        for index in order {
            let g = groupOf[label[index]]
            grouped[fill[g]] = index
            fill[g] += 1
        }
        fill = []

        // The matrix row a record is scored with: an exact_url copy uses its original's.
        var vectorRow = Array(0..<n)
        var urlCopies = [[Int]](repeating: [], count: n)
        if !corpus.urlDuplicates.isEmpty {
            let wanted = Set(corpus.urlDuplicates.map(\.originalID))
            var originalIndex: [String: Int] = [:]
            for index in 0..<n where wanted.contains(articles[index].id) { originalIndex[articles[index].id] = index }
            for (offset, duplicate) in corpus.urlDuplicates.enumerated() {
                let original = originalIndex[duplicate.originalID]!
                urlCopies[original].append(n + offset)
                vectorRow.append(original)
            }
        }

        var memberships = [Membership](
            repeating: Membership(cluster: 0, relation: .singleton, duplicateOf: nil, similarity: 0), count: records.count)
        let input = StoryInput(
            articles: articles, matrix: model.matrix, terms: model.terms, cosine: cosine,
            textOriginal: textOriginal, vectorRow: vectorRow, urlCopies: urlCopies,
            duplicateThreshold: options.duplicateThreshold)
        let clusters = [StoryCluster](unsafeUninitializedCapacity: groupCount) { clusterBuffer, initialized in
            memberships.withUnsafeMutableBufferPointer { membershipBuffer in
                let stories = Slots(clusterBuffer), memberships = Slots(membershipBuffer)
                let chunks = Chunks(count: groupCount, grain: 64)
                let (grouped, groupStart) = (grouped, groupStart)
                Parallel.run(threads: min(threads, chunks.chunkCount)) { _ in
                    var scratch = StoryScratch(articleCount: n, columnCount: model.matrix.columnCount)
                    while let range = chunks.next() {
                        for g in range {
                            let story = input.story(
                                Array(grouped[groupStart[g]..<groupStart[g + 1]]), index: g,
                                memberships: memberships, scratch: &scratch)
                            stories.initialize(g, to: story)
                        }
                    }
                }
            }
            initialized = groupCount
        }

        // Largest stories first, then the earliest, then by id, for readers and for stable bytes.
        let firstPublished = clusters.map { cluster in cluster.members.compactMap { records[$0].published }.min() }
        let sortedOrder = clusters.indices.sorted { a, b in
            let x = clusters[a], y = clusters[b]
            if x.members.count != y.members.count { return x.members.count > y.members.count }
            switch (firstPublished[a], firstPublished[b]) {
            case let (p?, q?) where p != q: return p < q
            case (.some, nil): return true
            case (nil, .some): return false
            default: return x.id < y.id
            }
        }
        var newIndex = [Int](repeating: 0, count: clusters.count)
        for (position, old) in sortedOrder.enumerated() { newIndex[old] = position }
        for k in memberships.indices { memberships[k].cluster = newIndex[memberships[k].cluster] }
        return Clustering(
            records: records,
            memberships: memberships,
            clusters: sortedOrder.map { clusters[$0] },
            pairs: pairs.filter { $0.cosine >= options.threshold },
            scoredPairs: pairs,
            density: density,
            linkageThreshold: linkage.threshold,
            priorPairs: linkage.evidence.priorPairs
        )
    }

    /// Lets each article the linkage left alone join the group of its most similar article in a
    /// group of two or more, when that cosine reaches `threshold`.
    ///
    /// Average linkage asks a newcomer to resemble a group on average, which a late follow-up or
    /// a report from another angle of a small story often fails although one member tells the
    /// same thing in the same words (on the synthetic corpora 97% of the pairs at 0.40 or more
    /// are one story). One pass, no chains: an article that joins attracts nobody, and groups
    /// of two or more never move. Ties go to the group with the smaller label, so the result
    /// depends on neither pair order nor threads.
    ///
    /// - Parameter label: a group label per node, as ``AverageLinkage/groups(nodeCount:initial:edges:)`` gives.
    /// - Returns: the labels with every attached article relabelled to its new group.
    static func attachLoners(label: [Int], pairs: [ScoredPair], threshold: Float) -> [Int] {
        var size = [Int32](repeating: 0, count: label.count)
        for group in label { size[group] += 1 }
        // Per article alone: the best cosine to a member of a larger group, and that group.
        var bestCosine = [Float](repeating: 0, count: label.count)
        var bestGroup = [Int](repeating: -1, count: label.count)
        func offer(_ loner: Int, _ other: Int, _ cosine: Float) {
            guard size[label[loner]] == 1 && size[label[other]] > 1 else { return }
            let group = label[other]
            if cosine > bestCosine[loner] || (cosine == bestCosine[loner] && group < bestGroup[loner]) {
                bestCosine[loner] = cosine
                bestGroup[loner] = group
            }
        }
        for pair in pairs where pair.cosine >= threshold {
            offer(Int(pair.first), Int(pair.second), pair.cosine)
            offer(Int(pair.second), Int(pair.first), pair.cosine)
        }
        var result = label
        for node in label.indices where bestGroup[node] >= 0 { result[node] = bestGroup[node] }
        return result
    }

    /// Article indices in canonical-policy order, each article's text measured on the workers.
    static func policyOrder(_ articles: [Article], threads: Int) -> [Int] {
        let keys = Parallel.map(articles.count, threads: threads) { CanonicalPolicy.Key(articles[$0]) }
        return articles.indices.sorted { CanonicalPolicy.precedes(keys[$0], keys[$1]) }
    }
}

/// What every story's work reads, shared by the worker threads.
private struct StoryInput {
    let articles: [Article]
    let matrix: SparseMatrix
    let terms: [String]
    let cosine: PairIndex
    let textOriginal: [Int]
    let vectorRow: [Int]
    let urlCopies: [[Int]]
    let duplicateThreshold: Float

    /// Builds the story of `ordered` (article indices in policy order), writing the membership
    /// of each of its records.
    func story(
        _ ordered: [Int], index clusterIndex: Int, memberships: Slots<Membership>,
        scratch: inout StoryScratch
    ) -> StoryCluster {
        let canonical = ordered[0]
        var members: [Int] = []
        members.reserveCapacity(ordered.count)
        var originals = 0
        if ordered.count > 1 { scratch.scatter(row: canonical, of: matrix) }
        for article in ordered {
            let similarity = article == canonical ? 1 : scratch.dot(row: article, of: matrix)
            let relation: Relation
            var duplicateOf: Int?
            if article == canonical {
                relation = ordered.count == 1 && urlCopies[article].isEmpty ? .singleton : .canonical
                scratch.markOriginal(article, position: originals)
                originals += 1
            } else if textOriginal[article] != article {
                relation = .exactText
                duplicateOf = textOriginal[article]
            } else if let leader = bestOriginal(for: article, scratch: scratch) {
                relation = .nearDuplicate
                duplicateOf = leader
            } else {
                relation = .sameStory
                scratch.markOriginal(article, position: originals)
                originals += 1
            }
            memberships.assign(article, Membership(cluster: clusterIndex, relation: relation, duplicateOf: duplicateOf, similarity: similarity))
            members.append(article)
            for copy in urlCopies[article] {
                memberships.assign(copy, Membership(cluster: clusterIndex, relation: .exactURL, duplicateOf: article, similarity: similarity))
                members.append(copy)
            }
        }
        if ordered.count > 1 { scratch.unscatter(row: canonical, of: matrix) }
        scratch.clearOriginals(ordered)
        let cohesion = cohesion(members, scratch: &scratch)
        return StoryCluster(
            id: StableHash.id("c", articles[canonical].id, length: 12),
            canonical: canonical,
            members: members,
            minSimilarity: cohesion.min,
            meanSimilarity: cohesion.mean,
            topTerms: topTerms(ordered, count: 5, scratch: &scratch)
        )
    }

    /// The earlier original with the highest cosine at or above the duplicate threshold, ties to
    /// the earlier one.
    func bestOriginal(for article: Int, scratch: StoryScratch) -> Int? {
        var best: Int?
        var bestCosine = duplicateThreshold
        var bestPosition = Int32.max
        for k in cosine.row(article) {
            let value = cosine.cosine[k]
            guard value >= bestCosine else { continue }
            let other = Int(cosine.neighbour[k])
            let position = scratch.originalPosition[other]
            guard position >= 0 else { continue }
            if best == nil || value > bestCosine || position < bestPosition {
                best = other
                bestCosine = value
                bestPosition = position
            }
        }
        return best
    }

    /// The weakest link of the maximum spanning tree and the mean cosine over all member pairs.
    ///
    /// An `exact_url` copy counts as its original's vector; exact text copies link at cosine 1.
    func cohesion(_ members: [Int], scratch: inout StoryScratch) -> (min: Float?, mean: Float?) {
        guard members.count > 1 else { return (nil, nil) }
        let vectorRow = members.map { self.vectorRow[$0] }
        var sum: Double = 0
        var edges: [(Float, Int, Int)] = []
        for x in 0..<members.count {
            let a = vectorRow[x]
            var scattered = false
            for y in (x + 1)..<members.count {
                let b = vectorRow[y]
                let value: Float
                if a == b || textOriginal[a] == textOriginal[b] {
                    value = 1
                } else {
                    if !scattered {
                        scratch.scatter(row: a, of: matrix)
                        scattered = true
                    }
                    value = scratch.dot(row: b, of: matrix)
                }
                sum += Double(value)
                if a == b || textOriginal[a] == textOriginal[b] || cosine.contains(a, b) {
                    edges.append((value, x, y))
                }
            }
            if scattered { scratch.unscatter(row: a, of: matrix) }
        }
        let mean = Float(sum / Double(members.count * (members.count - 1) / 2))
        // Kruskal on the strongest edges first; the last edge that joins two parts is the weakest link.
        edges.sort { $0.0 != $1.0 ? $0.0 > $1.0 : ($0.1, $0.2) < ($1.1, $1.2) }
        var parent = Array(0..<members.count)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var weakest: Float = 1
        var joined = 0
        for (value, x, y) in edges where joined < members.count - 1 {
            let rx = root(x), ry = root(y)
            guard rx != ry else { continue }
            parent[rx] = ry
            weakest = min(weakest, value)
            joined += 1
        }
        return (weakest, mean)
    }

    /// The `count` heaviest terms of the articles' summed TF-IDF vectors.
    func topTerms(_ articles: [Int], count: Int, scratch: inout StoryScratch) -> [String] {
        for article in articles { scratch.add(row: article, of: matrix) }
        return scratch.takeHeaviest(count).map { terms[Int($0)] }
    }
}

/// One worker thread's scratch space for building stories; every use leaves it clean.
private struct StoryScratch {
    /// One matrix row spread out by column, zero elsewhere.
    var dense: [Float]
    /// Summed weights per column for the top terms, zero elsewhere.
    var weight: [Float]
    /// Columns with a weight, each once.
    var touched: [Int32] = []
    private var isTouched: [Bool]
    /// Each original's position among its story's originals so far, -1 for other articles.
    private(set) var originalPosition: [Int32]

    init(articleCount: Int, columnCount: Int) {
        dense = [Float](repeating: 0, count: columnCount)
        weight = [Float](repeating: 0, count: columnCount)
        isTouched = [Bool](repeating: false, count: columnCount)
        originalPosition = [Int32](repeating: -1, count: articleCount)
    }

    mutating func scatter(row: Int, of matrix: SparseMatrix) {
        for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] { dense[Int(matrix.columns[k])] = matrix.values[k] }
    }

    mutating func unscatter(row: Int, of matrix: SparseMatrix) {
        for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] { dense[Int(matrix.columns[k])] = 0 }
    }

    /// The dot product of `row` with the scattered row: ``SparseMatrix/dot(_:_:)`` bit for bit,
    /// as the shared columns' products are added in the same (column) order.
    func dot(row: Int, of matrix: SparseMatrix) -> Float {
        matrix.columns.withUnsafeBufferPointer { columns in
            matrix.values.withUnsafeBufferPointer { values in
                dense.withUnsafeBufferPointer { dense in
                    var sum: Float = 0
                    for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                        let other = dense[Int(columns[k])]
                        if other != 0 { sum += values[k] * other }
                    }
                    return sum
                }
            }
        }
    }

    /// Adds `row` to the summed weights. Each column's weights are added in the order of the
    /// calls, as the dictionary this replaces summed them.
    mutating func add(row: Int, of matrix: SparseMatrix) {
        for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
            let column = Int(matrix.columns[k])
            if !isTouched[column] {
                isTouched[column] = true
                touched.append(Int32(column))
            }
            weight[column] += matrix.values[k]
        }
    }

    /// The `count` columns of highest summed weight, ties to the lower column, heaviest first;
    /// clears the sums.
    mutating func takeHeaviest(_ count: Int) -> [Int32] {
        func heavier(_ x: (column: Int32, weight: Float), _ y: (column: Int32, weight: Float)) -> Bool {
            x.weight != y.weight ? x.weight > y.weight : x.column < y.column
        }
        var top: [(column: Int32, weight: Float)] = []
        top.reserveCapacity(count + 1)
        for column in touched {
            let entry = (column: column, weight: weight[Int(column)])
            weight[Int(column)] = 0
            isTouched[Int(column)] = false
            if top.count == count, let last = top.last, !heavier(entry, last) { continue }
            var at = top.count
            while at > 0 && heavier(entry, top[at - 1]) { at -= 1 }
            top.insert(entry, at: at)
            if top.count > count { top.removeLast() }
        }
        touched.removeAll(keepingCapacity: true)
        return top.map(\.column)
    }

    mutating func markOriginal(_ article: Int, position: Int) {
        originalPosition[article] = Int32(position)
    }

    mutating func clearOriginals(_ articles: [Int]) {
        for article in articles { originalPosition[article] = -1 }
    }
}

/// The scored pairs as a symmetric sparse adjacency: each article's partners in ascending order
/// with their cosines.
struct PairIndex {
    /// `start[i]..<start[i + 1]` is article `i`'s range in `neighbour` and `cosine`.
    let start: [Int]
    let neighbour: [Int32]
    let cosine: [Float]

    /// Indexes the pairs for which `keep` holds; when one pair is listed twice, the later cosine
    /// counts.
    init(_ pairs: [ScoredPair], nodeCount n: Int, keep: (Int, Int) -> Bool = { _, _ in true }) {
        var pairs = pairs
        if !Self.isStrictlySorted(pairs) {
            // Not the engine's sorted output: order by (low, high) and keep each pair's last entry.
            let normalized = pairs.map { ScoredPair(first: min($0.first, $0.second), second: max($0.first, $0.second), cosine: $0.cosine) }
            let sorted = normalized.indices.sorted {
                let x = normalized[$0], y = normalized[$1]
                return (x.first, x.second, $0) < (y.first, y.second, $1)
            }
            pairs = []
            for (k, index) in sorted.enumerated() {
                let next = k + 1 < sorted.count ? normalized[sorted[k + 1]] : nil
                let pair = normalized[index]
                if let next, next.first == pair.first && next.second == pair.second { continue }
                pairs.append(pair)
            }
        }
        var start = [Int](repeating: 0, count: n + 1)
        for pair in pairs where keep(Int(pair.first), Int(pair.second)) {
            start[Int(pair.first) + 1] += 1
            start[Int(pair.second) + 1] += 1
        }
        for i in 0..<n { start[i + 1] += start[i] }
        var fill = start
        var neighbour = [Int32](repeating: 0, count: start[n])
        var cosine = [Float](repeating: 0, count: start[n])
        // Sorted by (first, second), each row fills in ascending partner order: first the
        // partners below it (as `second` of earlier firsts), then those above it.
        for pair in pairs where keep(Int(pair.first), Int(pair.second)) {
            let a = Int(pair.first), b = Int(pair.second)
            neighbour[fill[a]] = pair.second
            cosine[fill[a]] = pair.cosine
            fill[a] += 1
            neighbour[fill[b]] = pair.first
            cosine[fill[b]] = pair.cosine
            fill[b] += 1
        }
        self.start = start
        self.neighbour = neighbour
        self.cosine = cosine
    }

    private static func isStrictlySorted(_ pairs: [ScoredPair]) -> Bool {
        var previous: (Int32, Int32) = (-1, -1)
        for pair in pairs {
            guard pair.first < pair.second, (pair.first, pair.second) > previous else { return false }
            previous = (pair.first, pair.second)
        }
        return true
    }

    func row(_ article: Int) -> Range<Int> { start[article]..<start[article + 1] }

    /// Whether `a` and `b` were scored.
    func contains(_ a: Int, _ b: Int) -> Bool {
        var low = start[a], high = start[a + 1]
        let target = Int32(b)
        while low < high {
            let middle = (low + high) / 2
            if neighbour[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low < start[a + 1] && neighbour[low] == target
    }
}

/// The key two articles share when their normalized title and text are the same: title and text
/// as their tokens (case, accents, punctuation and spacing folded, stop words kept), one space
/// between tokens and a line break between title and text. An article with no tokens has no key
/// and is never called a copy of anything.
enum ExactText {
    /// For each article, the first article in `order` with the same key (itself when none).
    ///
    /// Keys are compared through a 64-bit hash of the tokens, computed on the worker threads;
    /// articles whose hashes match are compared by their full keys, so a collision cannot join
    /// two texts.
    ///
    /// - Parameter hashMask: keeps only these bits of each hash; tests narrow it to make every
    ///   text collide.
    static func originals(_ articles: [Article], order: [Int], threads: Int, hashMask: UInt64 = .max) -> [Int] {
        let hashes = Parallel.map(articles.count, threads: threads, grain: 512) { index -> UInt64? in
            var hasher = KeyHasher()
            return hasher.hash(title: articles[index].title, text: articles[index].text).map { $0 & hashMask }
        }
        return originals(articles, order: order, hashes: hashes)
    }

    /// For each article, the first article in `order` with the same key, from the articles'
    /// ``KeyHasher`` hashes.
    static func originals(_ articles: [Article], order: [Int], hashes: [UInt64?]) -> [Int] {
        var original = Array(articles.indices)
        var firstWithHash: [UInt64: Int] = [:]
        // Texts whose hash an earlier, different text already had; almost always empty.
        var collided: [UInt64: [Int]] = [:]
        var keys: [Int: [UInt8]] = [:]
        func key(_ index: Int) -> [UInt8] {
            if let known = keys[index] { return known }
            let key = Self.key(articles[index])
            keys[index] = key
            return key
        }
        for index in order {
            guard let hash = hashes[index] else { continue }
            guard let first = firstWithHash[hash] else {
                firstWithHash[hash] = index
                continue
            }
            let mine = key(index)
            if key(first) == mine {
                original[index] = first
            } else if let match = collided[hash]?.first(where: { key($0) == mine }) {
                original[index] = match
            } else {
                collided[hash, default: []].append(index)
            }
        }
        return original
    }

    /// The key of `article` as UTF-8 bytes; empty when it has no tokens.
    static func key(_ article: Article) -> [UInt8] {
        let tokenizer = Tokenizer(stopWords: .none)
        let title = tokenizer.tokens(article.title), text = tokenizer.tokens(article.text)
        if title.isEmpty && text.isEmpty { return [] }
        return Array((title.joined(separator: " ") + "\n" + text.joined(separator: " ")).utf8)
    }

    /// Hashes keys token by token, reusing its buffers from one article to the next.
    struct KeyHasher {
        private let tokenizer = Tokenizer(stopWords: .none)
        private var title: [String] = []
        private var text: [String] = []

        /// A hash of the key of an article with this title and text (equal keys, equal hashes),
        /// `nil` when it has none.
        mutating func hash(title articleTitle: String, text articleText: String) -> UInt64? {
            title.removeAll(keepingCapacity: true)
            text.removeAll(keepingCapacity: true)
            tokenizer.tokenize(articleTitle, into: &title)
            tokenizer.tokenize(articleText, into: &text)
            if title.isEmpty && text.isEmpty { return nil }
            // Tokens hold no spaces or line breaks, so the token lists and their boundaries
            // determine the key, and the key determines them.
            var hash: UInt64 = 0x243f_6a88_85a3_08d3
            for token in title { hash = Self.mix(hash, token) }
            hash = Self.mix(hash, 0x0A)
            for token in text { hash = Self.mix(hash, token) }
            return hash
        }

        @inline(__always)
        private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
            // The 64-bit finalizer of MurmurHash3 over the running state.
            var h = (hash ^ word) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 33
            h = h &* 0xc4ce_b9fe_1a85_ec53
            return h ^ (h >> 33)
        }

        private static func mix(_ hash: UInt64, _ token: String) -> UInt64 {
            var hash = hash
            // `withUTF8` is mutating because it may make a bridged string contiguous; the
            // tokenizer's strings are native, so the copy shares storage and costs nothing.
            var token = token
            token.withUTF8 { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                var offset = 0
                while offset + 8 <= raw.count {
                    hash = mix(hash, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                    offset += 8
                }
                var tail: UInt64 = 0
                for k in offset..<raw.count { tail |= UInt64(raw[k]) << (8 * UInt64(k - offset)) }
                // The length closes the token, so that "ab" "c" and "a" "bc" differ.
                hash = mix(hash, tail ^ UInt64(raw.count) << 56)
            }
            return hash
        }
    }
}
