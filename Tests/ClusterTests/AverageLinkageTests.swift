import Testing
@testable import Cluster

@Suite struct AverageLinkageTests {
    typealias Edge = AverageLinkage.Edge

    @Test func tightGroupsStayTogetherAndApart() {
        // Two triangles of strong links, no link between them.
        let edges = [Edge(0, 1, 0.9), Edge(1, 2, 0.8), Edge(0, 2, 0.85), Edge(3, 4, 0.7), Edge(4, 5, 0.75), Edge(3, 5, 0.7)]
        let label = AverageLinkage(threshold: 0.5).groups(nodeCount: 6, edges: edges)
        #expect(label == [0, 0, 0, 3, 3, 3])
    }

    /// A chain a-b-c-d-e where each neighbour pair is similar but the ends share nothing: connected
    /// components would glue all five together; average link must not.
    @Test func aChainOfWeakLinksDoesNotGlueStoriesTogether() {
        let edges = [Edge(0, 1, 0.6), Edge(1, 2, 0.6), Edge(2, 3, 0.6), Edge(3, 4, 0.6)]
        let label = AverageLinkage(threshold: 0.5).groups(nodeCount: 5, edges: edges)
        #expect(Set(label).count >= 3, "got \(label)")
        // No group holds both ends of the chain.
        #expect(label[0] != label[4])
    }

    /// Two stories bridged by one article that resembles both: it joins one, the stories stay apart.
    @Test func aBridgeArticleJoinsOneStoryOnly() {
        var edges = [Edge(0, 1, 0.8), Edge(0, 2, 0.8), Edge(1, 2, 0.8)]   // story A
        edges += [Edge(3, 4, 0.8), Edge(3, 5, 0.8), Edge(4, 5, 0.8)]      // story B
        edges += [Edge(6, 0, 0.7), Edge(6, 1, 0.7), Edge(6, 2, 0.6), Edge(6, 3, 0.6), Edge(6, 4, 0.6)]
        let label = AverageLinkage(threshold: 0.4).groups(nodeCount: 7, edges: edges)
        #expect(label[0] == label[1] && label[1] == label[2])
        #expect(label[3] == label[4] && label[4] == label[5])
        #expect(label[0] != label[3])
        #expect(label[6] == label[0])
    }

    @Test func mergesNeedTheMeanOverAllCrossPairs() {
        // {0,1} and {2}: cross pairs 0-2 = 0.9 and 1-2 missing (0): mean 0.45.
        let edges = [Edge(0, 1, 0.9), Edge(0, 2, 0.9)]
        #expect(AverageLinkage(threshold: 0.5).groups(nodeCount: 3, edges: edges) == [0, 0, 2])
        #expect(AverageLinkage(threshold: 0.4).groups(nodeCount: 3, edges: edges) == [0, 0, 0])
    }

    @Test func startingGroupsAreKeptWithoutAnyEdge() {
        let label = AverageLinkage(threshold: 0.5).groups(nodeCount: 4, initial: [0, 1, 0, 3], edges: [])
        #expect(label == [0, 1, 0, 3])
    }

    /// Two pairs {0,1} and {2,3}, every cross pair 0.5: they merge at 0.45 when their closest
    /// cross pair is an hour apart, not when it is half a day apart.
    @Test func groupsThatOnlyMeetAcrossALongSilenceStayApart() {
        func label(gap: Float) -> [Int] {
            var edges = [Edge(0, 1, 0.9, gap: 0), Edge(2, 3, 0.9, gap: 0)]
            edges += [Edge(0, 2, 0.5, gap: gap), Edge(0, 3, 0.5, gap: gap + 1), Edge(1, 2, 0.5, gap: gap + 2), Edge(1, 3, 0.5, gap: gap + 3)]
            let evidence = AverageLinkage.Evidence(gapDecay: 0.3, gapHours: 12)
            return AverageLinkage(threshold: 0.45, evidence: evidence).groups(nodeCount: 4, edges: edges)
        }
        #expect(label(gap: 1) == [0, 0, 0, 0])       // 0.5 · (1 - 0.3/12) = 0.4875
        #expect(label(gap: 12) == [0, 0, 2, 2])      // 0.5 · 0.7 = 0.35
    }

    /// Without times, two groups of six with a cross mean of 0.5 stay apart at 0.45
    /// (0.5 / (1 + 0.2 ln 2) = 0.439), while a single article joins a group on a mean of 0.4
    /// (0.4 / (1 + 0.2 ln(1/3)) = 0.51). With dated pairs the factor does not apply.
    @Test func undatedLargeGroupsMustAgreeMoreAndSingleArticlesLess() {
        let evidence = AverageLinkage.Evidence(undatedSizeCaution: 0.2, undatedSizePivot: 3)
        var edges: [Edge] = []
        for a in 0..<12 {
            for b in (a + 1)..<12 { edges.append(Edge(a, b, (a < 6) == (b < 6) ? 0.9 : 0.5)) }
        }
        let two = AverageLinkage(threshold: 0.45, evidence: evidence).groups(nodeCount: 12, edges: edges)
        #expect(Set(two).count == 2, "got \(two)")
        #expect(AverageLinkage(threshold: 0.45).groups(nodeCount: 12, edges: edges) == [Int](repeating: 0, count: 12))

        let join = [Edge(0, 1, 0.9), Edge(0, 2, 0.4), Edge(1, 2, 0.4)]
        #expect(AverageLinkage(threshold: 0.45, evidence: evidence).groups(nodeCount: 3, edges: join) == [0, 0, 0])
        let dated = join.map { Edge($0.a, $0.b, $0.weight, gap: 0) }
        #expect(AverageLinkage(threshold: 0.45, evidence: evidence).groups(nodeCount: 3, edges: dated) == [0, 0, 2])
    }

    /// One pair at 0.5 is thin evidence: with a quarter of a phantom zero pair its value is 0.4
    /// and it stays apart at 0.45, while two groups of three whose nine cross pairs are all 0.5
    /// (4.5 / 9.25 = 0.486) merge.
    @Test func phantomPairsHoldBackThinEvidence() {
        let evidence = AverageLinkage.Evidence(priorPairs: 0.25)
        #expect(AverageLinkage(threshold: 0.45, evidence: evidence).groups(nodeCount: 2, edges: [Edge(0, 1, 0.5)]) == [0, 1])
        var edges: [Edge] = []
        for a in 0..<6 {
            for b in (a + 1)..<6 { edges.append(Edge(a, b, (a < 3) == (b < 3) ? 0.95 : 0.5)) }
        }
        #expect(AverageLinkage(threshold: 0.45, evidence: evidence).groups(nodeCount: 6, edges: edges) == [0, 0, 0, 0, 0, 0])
    }

    @Test func theResultDoesNotDependOnEdgeOrder() {
        let edges = [Edge(0, 1, 0.7), Edge(1, 2, 0.7), Edge(2, 3, 0.9), Edge(0, 3, 0.5), Edge(4, 2, 0.6), Edge(4, 0, 0.55)]
        let forward = AverageLinkage(threshold: 0.45).groups(nodeCount: 5, edges: edges)
        let backward = AverageLinkage(threshold: 0.45).groups(nodeCount: 5, edges: edges.reversed())
        #expect(forward == backward)
    }
}
