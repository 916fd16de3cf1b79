public import Corpus
public import Vectors
import Synchronization

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
    /// - Parameters:
    ///   - pairs: the engine's pairs at or above ``ClusterOptions/pairFloor``; inside a group of
    ///     exact copies they may be only a star (the linkage starts from the groups and never
    ///     reads the pairs inside one).
    ///   - copyGroups: ``exactCopies(_:threads:)`` of the articles when the caller has them.
    ///   - swarms: the search that gave `pairs`, when it capped rows (near-copy swarms, whose
    ///     pairs were thinned): each swarm starts as one group
    ///     (``startingGroups(textOriginal:pairs:swarms:threshold:)``).
    ///   - linkScores: per pair, the score the linkage uses instead of its cosine
    ///     (``AdaptiveThreshold/linkScores(pairs:terms:dense:)``); the attachment, duplicates and
    ///     reports keep the cosine.
    ///   - partition: the stories to build instead of linking (`export` of a state): for each
    ///     article, the index of the first article of its story.
    ///   - seed: groups the linkage starts from besides the exact copies (`update`'s stored
    ///     stories): for each article, the index of the first article of its group. Groups only
    ///     merge, and the pairs inside one are never read by the linkage.
    /// - Complexity: O(N + P log P) for N articles and P pairs, plus O(u² · nnz) per cluster of
    ///   u distinct vectors for the mean cosine over all its pairs.
    public func cluster(
        _ corpus: Corpus, model: TFIDFModel, pairs: [ScoredPair], copyGroups: [Int]? = nil, swarms: PairSearch? = nil,
        partition: [Int]? = nil, seed: [Int]? = nil, linkScores: [Float]? = nil
    ) -> Clustering {
        let articles = corpus.articles
        let n = articles.count
        precondition(model.matrix.rowCount == n, "one matrix row per article")
        precondition(copyGroups.map { $0.count == n } ?? true, "one copy group per article")
        precondition(linkScores.map { $0.count == pairs.count } ?? true, "one link score per pair")

        // The linkage is one thread's work. What it does not need (the policy order, the list of
        // records) is computed beside it on another thread. (Not the reported pairs: a month's
        // would add a tenth to the linkage's peak memory.)
        let urlDuplicates = corpus.urlDuplicates
        let beside = Background(threads: threads) {
            (order: Self.policyOrder(articles, threads: 1), records: articles + urlDuplicates.map(\.article))
        }

        // 1. Exact text groups, each led by its first article in policy order.
        let textOriginal = copyGroups ?? ExactText.originals(articles, order: beside.value.order, threads: threads)

        // 2. Stories.
        let published = articles.map(\.published)
        let options = options
        let density = ClusterOptions.density(published)
        let linkage = options.linkage(density: density)
        var initial = Self.startingGroups(textOriginal: textOriginal, pairs: pairs, swarms: swarms, threshold: options.threshold)
        if let seed {
            precondition(seed.count == n, "one seed group per article")
            initial = Self.joined(initial, seed)
        }
        var label = partition ?? linkage.groups(
            nodeCount: n, initial: initial, published: published, edgeCount: pairs.count
        ) { k in
            let pair = pairs[k]
            let a = Int(pair.first), b = Int(pair.second)
            let weight = options.linkWeight(cosine: linkScores?[k] ?? pair.cosine, published[a], published[b])
            // A pair the decay takes below the floor counts as zero, like one never scored.
            guard weight >= options.pairFloor else { return nil }
            var gap = Float.infinity
            if let p = published[a], let q = published[b] { gap = Float(abs(p - q)) / 3_600 }
            return (a, b, weight, gap)
        }
        let (order, records) = beside.value
        if options.attachThreshold > 0 && partition == nil {
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
        let denseWork = Mutex(DenseWork())
        let clusters = [StoryCluster](unsafeUninitializedCapacity: groupCount) { clusterBuffer, initialized in
            memberships.withUnsafeMutableBufferPointer { membershipBuffer in
                let stories = Slots(clusterBuffer), memberships = Slots(membershipBuffer)
                let chunks = Chunks(count: groupCount, grain: 64)
                let (grouped, groupStart) = (grouped, groupStart)
                // Each story's cosines are one BLAS call on the worker building it.
                BLAS.singleThreaded {
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
                        denseWork.withLock { $0 = $0 + scratch.work }
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
            pairs: Self.reportedPairs(pairs, threshold: options.threshold, articles: articles, perArticle: options.reportedPairsPerArticle),
            scoredPairs: pairs,
            density: density,
            linkageThreshold: linkage.threshold,
            priorPairs: linkage.evidence.priorPairs,
            denseWork: denseWork.withLock { $0 }
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

    /// For each article, the first article in canonical-policy order with the same normalized
    /// title and text (itself when none): the groups of exact copies that the linkage starts from
    /// and ``SimilarityEngine/pairs(_:published:copyGroups:progress:)`` scores once.
    public static func exactCopies(_ articles: [Article], threads: Int) -> [Int] {
        ExactText.originals(articles, order: policyOrder(articles, threads: threads), threads: threads)
    }

    /// ``exactCopies(_:threads:)`` from the articles' ``TextKeyHash`` hashes, which the
    /// vectorizer found while tokenizing (``TFIDFModel/textKeys``): no second tokenization.
    public static func exactCopies(_ articles: [Article], keys: [UInt64?], threads: Int) -> [Int] {
        precondition(keys.count == articles.count, "one key per article")
        return ExactText.originals(articles, order: policyOrder(articles, threads: threads), hashes: keys)
    }

    /// Article indices in canonical-policy order, each article's text measured on the workers.
    static func policyOrder(_ articles: [Article], threads: Int) -> [Int] {
        let keys = Parallel.map(articles.count, threads: threads) { CanonicalPolicy.Key(articles[$0]) }
        return articles.indices.sorted { CanonicalPolicy.precedes(keys[$0], keys[$1]) }
    }
}
