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

    /// Two dated pairs whose four cross pairs average 0.4 stay apart at 0.45 unless small groups
    /// get a boost: 0.4 · 1.25 = 0.5. The boost needs both groups within the limit, and dated
    /// links: a single article (0.4 from both members of a pair) and undated pairs stay out.
    @Test func smallDatedGroupsJoinOnLessWithTheBoost() {
        let boost = AverageLinkage.Evidence(smallGroupBoost: 1.25, smallGroupLimit: 2)
        var edges = [Edge(0, 1, 0.9, gap: 0), Edge(2, 3, 0.9, gap: 0)]
        for (a, b) in [(0, 2), (0, 3), (1, 2), (1, 3)] { edges.append(Edge(a, b, 0.4, gap: 1)) }
        #expect(AverageLinkage(threshold: 0.45).groups(nodeCount: 4, edges: edges) == [0, 0, 2, 2])
        #expect(AverageLinkage(threshold: 0.45, evidence: boost).groups(nodeCount: 4, edges: edges) == [0, 0, 0, 0])

        let tooLarge = AverageLinkage.Evidence(smallGroupBoost: 1.25, smallGroupLimit: 1)
        #expect(AverageLinkage(threshold: 0.45, evidence: tooLarge).groups(nodeCount: 4, edges: edges) == [0, 0, 2, 2])
        let undated = edges.map { Edge($0.a, $0.b, $0.weight) }
        #expect(AverageLinkage(threshold: 0.45, evidence: boost).groups(nodeCount: 4, edges: undated) == [0, 0, 2, 2])
        let single = [Edge(0, 1, 0.9, gap: 0), Edge(0, 2, 0.4, gap: 1), Edge(1, 2, 0.4, gap: 1)]
        #expect(AverageLinkage(threshold: 0.45, evidence: boost).groups(nodeCount: 3, edges: single) == [0, 0, 2])
    }

    /// When a single article becomes a small group, its links that the merge did not touch may
    /// be worth more than before and must be weighed again. Articles 0 and 1 start as one group
    /// (exact copies); 2 resembles both at 0.27, 3 resembles only 2. With 10 phantom pairs the
    /// link of {0, 1} to 2 is worth 0.54 / 12 = 0.045, under 0.05; once 2 and 3 have merged
    /// (0.9 / 11 = 0.082) it is 0.54 / 14 · 1.5 = 0.058: the four join.
    @Test func aLinkThatRisesWhenItsArticleBecomesAGroupIsWeighedAgain() {
        let edges = [Edge(0, 2, 0.27, gap: 1), Edge(1, 2, 0.27, gap: 1), Edge(2, 3, 0.9, gap: 0)]
        let initial = [0, 0, 2, 3]
        let plain = AverageLinkage.Evidence(priorPairs: 10)
        #expect(AverageLinkage(threshold: 0.05, evidence: plain).groups(nodeCount: 4, initial: initial, edges: edges) == [0, 0, 2, 2])
        let boost = AverageLinkage.Evidence(priorPairs: 10, smallGroupBoost: 1.5, smallGroupLimit: 4)
        #expect(AverageLinkage(threshold: 0.05, evidence: boost).groups(nodeCount: 4, initial: initial, edges: edges) == [0, 0, 0, 0])
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
