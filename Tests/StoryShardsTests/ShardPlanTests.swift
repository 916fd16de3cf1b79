import Testing
@testable import StoryShards

@Suite struct ShardPlanTests {
    @Test func placeholder() { #expect(ShardPlan.undatedOwner("a", count: 1) == 0) }
}
