import Testing
@testable import StoryState

/// The id rule on small hand-made clusterings: survive, merge, split, born, ids never reused.
@Suite struct StoryMatcherTests {
    @Test func aStoryThatSurvivesKeepsItsIDAndGrows() {
        let matcher = StoryMatcher(previous: ["a": 1, "b": 1, "c": 2], nextID: 3)
        let outcome = matcher.match([["a", "b", "n1"], ["c"]])
        #expect(outcome.ids == [1, 2])
        #expect(outcome.changes == [StoryChange(story: 1, kind: .grew, articlesAdded: 1, size: 3)])
        #expect(outcome.nextID == 3)
    }

    @Test func twoStoriesMergeIntoTheOlder() {
        let matcher = StoryMatcher(previous: ["a": 4, "b": 4, "c": 7, "d": 7], outside: [4: 2, 7: 1], nextID: 8)
        let outcome = matcher.match([["d", "c", "b", "a"]])
        #expect(outcome.ids == [4])
        #expect(outcome.changes == [
            StoryChange(story: 4, kind: .grew, articlesAdded: 2, size: 7),
            StoryChange(story: 7, kind: .mergedInto, other: 4, articlesAdded: 0, size: 0),
        ])
    }

    @Test func aSplitLeavesTheIDWithTheLargestPart() {
        let matcher = StoryMatcher(previous: ["a": 3, "b": 3, "c": 3, "d": 3, "e": 3], nextID: 10)
        let outcome = matcher.match([["d", "e"], ["a", "b", "c"]])
        #expect(outcome.ids == [10, 3])
        #expect(outcome.changes == [StoryChange(story: 10, kind: .splitFrom, other: 3, articlesAdded: 2, size: 2)])
        #expect(outcome.nextID == 11)
    }

    @Test func anEvenSplitGoesToTheClusterWithTheSmallestArticleID() {
        let matcher = StoryMatcher(previous: ["a": 1, "b": 1, "c": 1, "d": 1], nextID: 2)
        let forward = matcher.match([["c", "d"], ["a", "b"]])
        let backward = matcher.match([["b", "a"], ["d", "c"]])
        #expect(forward.ids == [2, 1])
        #expect(backward.ids == [1, 2])
    }

    @Test func newClustersAreBornWithFreshIDsInOrder() {
        let matcher = StoryMatcher(previous: ["a": 5], nextID: 9)
        let outcome = matcher.match([["x", "y"], ["a"], ["z"]])
        #expect(outcome.ids == [9, 5, 10])
        #expect(outcome.changes.map(\.kind) == [.born, .born])
        #expect(outcome.changes.map(\.story) == [9, 10])
        #expect(outcome.nextID == 11)
    }

    @Test func retiredIDsAreNeverHandedOutAgain() {
        // Story 2 merges into 1 and is gone; the next new story takes nextID, not 2.
        let first = StoryMatcher(previous: ["a": 1, "b": 2], nextID: 3).match([["a", "b"]])
        #expect(first.changes.contains(StoryChange(story: 2, kind: .mergedInto, other: 1, articlesAdded: 0, size: 0)))
        let second = StoryMatcher(previous: ["a": 1, "b": 1], nextID: first.nextID).match([["a"], ["b"], ["c"]])
        #expect(second.ids == [1, 3, 4])
        #expect(!second.ids.contains(2))
    }

    @Test func theSameClusteringAgainChangesNothing() {
        let matcher = StoryMatcher(previous: ["a": 1, "b": 1, "c": 2], nextID: 3)
        let outcome = matcher.match([["a", "b"], ["c"]])
        #expect(outcome.ids == [1, 2])
        #expect(outcome.changes.isEmpty)
    }

    @Test func aSplitPartTakesTheOlderParentOnATie() {
        // The new cluster holds one article of story 2 and one of story 6: both went elsewhere.
        let matcher = StoryMatcher(previous: ["a": 2, "b": 2, "c": 2, "d": 6, "e": 6, "f": 6], nextID: 7)
        let outcome = matcher.match([["a", "b"], ["d", "e"], ["c", "f"]])
        #expect(outcome.ids == [2, 6, 7])
        #expect(outcome.changes == [StoryChange(story: 7, kind: .splitFrom, other: 2, articlesAdded: 2, size: 2)])
    }

    @Test func changesCSVHasTheColumnsAndOneRowPerChange() {
        let text = String(decoding: StoryChange.csv([
            StoryChange(story: 7, kind: .splitFrom, other: 2, articlesAdded: 2, size: 2),
            StoryChange(story: 9, kind: .born, articlesAdded: 1, size: 1),
        ]), as: UTF8.self)
        #expect(text == "story_id,change,other_story_id,articles_added,size\ns7,split_from,s2,2,2\ns9,born,,1,1\n")
    }
}
