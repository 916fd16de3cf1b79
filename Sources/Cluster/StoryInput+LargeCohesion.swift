import Vectors

extension StoryInput {
    /// ``cohesion(_:scratch:)`` of a story too large to visit pair by pair (over
    /// ``memberByMemberLimit`` records): its records gathered in units of one text group and one
    /// vector (an exact text group, with its `exact_url` copies), in time linear in the story
    /// and its scored pairs.
    ///
    /// - The mean over all record pairs: pairs inside a unit or a text group count 1, the others
    ///   the cosine of their vectors. The cosines of all unit pairs at once come from the summed
    ///   vector, `‖Σ s·v‖² = Σ s²‖v‖² + 2 Σ s·s'·cos`; the pairs of units in one text group are
    ///   then moved from their cosine to 1 one by one. It differs from the pair-by-pair sum in
    ///   its last bits (another summation order), not beyond.
    /// - The weakest link of the maximum spanning forest over the unit pairs with a scored pair
    ///   and those in one text group (at 1): the same as record by record, since units join at
    ///   1 and a spanning forest's weakest link does not depend on which forest.
    ///
    /// A swarm of 20,000 near copies is 20,000 units: 200 million unit pairs, which the mean
    /// no longer visits.
    func cohesionByVector(_ members: [Int], scratch: inout StoryScratch) -> (min: Float, mean: Float) {
        // Units: the first row of each (text group, vector), with its record count.
        var unitRows: [Int] = [], unitSize: [Int] = []
        var unitOfRow: [Int: Int] = [:]
        var unitsOfGroup: [Int: [Int]] = [:]
        for member in members {
            let row = vectorRow[member]
            if let unit = unitOfRow[row] {
                unitSize[unit] += 1
                continue
            }
            let group = textOriginal[row]
            let unit = unitsOfGroup[group, default: []].first { matrix.row(unitRows[$0]).elementsEqual(matrix.row(row)) { $0.column == $1.column && $0.value == $1.value } }
                ?? unitRows.count
            if unit == unitRows.count {
                unitRows.append(row)
                unitSize.append(0)
                unitsOfGroup[group, default: []].append(unit)
            }
            unitOfRow[row] = unit
            unitSize[unit] += 1
        }
        let units = unitRows.count

        // The mean.
        var sum: Double = 0
        var total = [Double](repeating: 0, count: matrix.columnCount)
        var ownSquares: Double = 0
        for x in 0..<units {
            let size = Double(unitSize[x])
            sum += size * (size - 1) / 2
            for entry in matrix.row(unitRows[x]) {
                let value = Double(entry.value)
                total[Int(entry.column)] += size * value
                ownSquares += size * size * value * value
            }
        }
        var square: Double = 0
        for value in total where value != 0 { square += value * value }
        total = []
        sum += (square - ownSquares) / 2

        // Unit pairs to link: those with a scored pair between their records, and those of one
        // text group (which also count 1 in the mean instead of their cosine).
        var rowsOfUnit = [[Int]](repeating: [], count: units)
        for (row, unit) in unitOfRow { rowsOfUnit[unit].append(row) }
        var edges: [(Float, Int32, Int32)] = []
        var seen = [Int32](repeating: -1, count: units)
        var partners: [Int] = []
        for x in 0..<units {
            let group = textOriginal[unitRows[x]]
            partners.removeAll(keepingCapacity: true)
            for row in rowsOfUnit[x] {
                for k in cosine.row(row) {
                    guard let y = unitOfRow[Int(cosine.neighbour[k])], y > x, seen[y] != Int32(x) else { continue }
                    seen[y] = Int32(x)
                    partners.append(y)
                }
            }
            for y in unitsOfGroup[group]! where y > x && seen[y] != Int32(x) {
                seen[y] = Int32(x)
                partners.append(y)
            }
            guard !partners.isEmpty else { continue }
            scratch.scatter(row: unitRows[x], of: matrix)
            for y in partners {
                let cosine = scratch.dot(row: unitRows[y], of: matrix)
                if textOriginal[unitRows[y]] == group {
                    sum += Double(unitSize[x] * unitSize[y]) * (1 - Double(cosine))
                    edges.append((1, Int32(x), Int32(y)))
                } else {
                    edges.append((cosine, Int32(x), Int32(y)))
                }
            }
            scratch.unscatter(row: unitRows[x], of: matrix)
        }
        let recordCount = members.count
        let mean = Float(min(1, sum / Double(recordCount * (recordCount - 1) / 2)))
        return (Self.weakestLink(&edges, nodeCount: units), mean)
    }
}
