import Corpus
import Vectors

/// What every story's work reads, shared by the worker threads.
struct StoryInput {
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
        if members.count > Self.memberByMemberLimit { return cohesionByVector(members, scratch: &scratch) }
        let rows = members.map { vectorRow[$0] }
        return cohesion(rows: rows, scratch: &scratch) { cosine.contains(rows[$0], rows[$1]) }
    }

    /// The cohesion of records with vector rows `rows`: pairs of one row or one text group count
    /// 1, the others the cosine of their rows, with an edge where `isLinked(x, y)` (`x < y`) or
    /// inside a text group.
    ///
    /// The cosines are the story's Gram matrix: its distinct rows gathered over the story's own
    /// terms into a dense block and multiplied by BLAS (``Gram``), one call per story, instead
    /// of a sparse merge per pair. They differ from ``SparseMatrix/dot(_:_:)`` in their last
    /// bits (another summation order), not beyond.
    private func cohesion(rows: [Int], scratch: inout StoryScratch, isLinked: (Int, Int) -> Bool) -> (min: Float, mean: Float) {
        // Each record's place among the distinct rows, in order of first appearance.
        var distinct: [Int] = []
        var place: [Int32] = []
        place.reserveCapacity(rows.count)
        for row in rows {
            if scratch.gramPlace[row] < 0 {
                scratch.gramPlace[row] = Int32(distinct.count)
                distinct.append(row)
            }
            place.append(scratch.gramPlace[row])
        }
        for row in distinct { scratch.gramPlace[row] = -1 }
        let gram = distinct.count > 1 ? Gram(rows: distinct, of: matrix, scratch: &scratch.gram) : nil
        if let gram { scratch.work = scratch.work + gram.work }

        var sum: Double = 0
        var edges: [(Float, Int32, Int32)] = []
        for x in 0..<rows.count {
            let a = rows[x]
            for y in (x + 1)..<rows.count {
                let b = rows[y]
                let sameText = a == b || textOriginal[a] == textOriginal[b]
                let value = sameText ? 1 : gram![Int(place[x]), Int(place[y])]
                sum += Double(value)
                if sameText || isLinked(x, y) {
                    edges.append((value, Int32(x), Int32(y)))
                }
            }
        }
        let mean = Float(sum / Double(rows.count * (rows.count - 1) / 2))
        return (Self.weakestLink(&edges, nodeCount: rows.count), mean)
    }

    /// The weakest edge of a maximum spanning forest of `nodeCount` nodes (1 without edges):
    /// Kruskal on the strongest edges first, the last edge that joins two parts is the weakest.
    static func weakestLink(_ edges: inout [(Float, Int32, Int32)], nodeCount: Int) -> Float {
        edges.sort { $0.0 != $1.0 ? $0.0 > $1.0 : ($0.1, $0.2) < ($1.1, $1.2) }
        var parent = Array(0..<nodeCount)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var weakest: Float = 1
        var joined = 0
        for (value, x, y) in edges where joined < nodeCount - 1 {
            let rx = root(Int(x)), ry = root(Int(y))
            guard rx != ry else { continue }
            parent[rx] = ry
            weakest = min(weakest, value)
            joined += 1
        }
        return weakest
    }

    /// Stories of more records than this measure their cohesion over distinct vectors
    /// (``cohesionByVector(_:scratch:)``), which visits each pair of vectors once instead of each
    /// pair of records.
    static let memberByMemberLimit = 1_000

    /// The `count` heaviest terms of the articles' summed TF-IDF vectors.
    func topTerms(_ articles: [Int], count: Int, scratch: inout StoryScratch) -> [String] {
        for article in articles { scratch.add(row: article, of: matrix) }
        return scratch.takeHeaviest(count).map { terms[Int($0)] }
    }
}

/// One worker thread's scratch space for building stories; every use leaves it clean.
struct StoryScratch {
    /// One matrix row spread out by column, zero elsewhere.
    var dense: [Float]
    /// Summed weights per column for the top terms, zero elsewhere.
    var weight: [Float]
    /// Columns with a weight, each once.
    var touched: [Int32] = []
    private var isTouched: [Bool]
    /// Each original's position among its story's originals so far, -1 for other articles.
    private(set) var originalPosition: [Int32]
    /// Per matrix row, its place in the Gram matrix being built, -1 between stories.
    var gramPlace: [Int32]
    /// Buffers of the stories' Gram matrices.
    var gram: GramScratch
    /// The BLAS work of the stories built with this scratch.
    var work = DenseWork()

    init(articleCount: Int, columnCount: Int) {
        dense = [Float](repeating: 0, count: columnCount)
        weight = [Float](repeating: 0, count: columnCount)
        isTouched = [Bool](repeating: false, count: columnCount)
        originalPosition = [Int32](repeating: -1, count: articleCount)
        gramPlace = [Int32](repeating: -1, count: articleCount)
        gram = GramScratch(columnCount: columnCount)
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
