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

    @Test func theResultDoesNotDependOnEdgeOrder() {
        let edges = [Edge(0, 1, 0.7), Edge(1, 2, 0.7), Edge(2, 3, 0.9), Edge(0, 3, 0.5), Edge(4, 2, 0.6), Edge(4, 0, 0.55)]
        let forward = AverageLinkage(threshold: 0.45).groups(nodeCount: 5, edges: edges)
        let backward = AverageLinkage(threshold: 0.45).groups(nodeCount: 5, edges: edges.reversed())
        #expect(forward == backward)
    }
}
