import Testing
@testable import Vectors

@Suite struct NameFinderTests {
    private func names(_ text: String) -> [String] {
        NameFinder.names(in: text).split(separator: " ").map(String.init)
    }

    @Test(arguments: [
        ("The storm hit Louisiana on Monday.", ["Louisiana", "Monday"]),
        ("Officials said so. Rescuers from Texas arrived", ["Texas"]),
        ("\"Quoted\" words at the start: Not names; Nor here", []),
        ("A list - Second item (Third) and Fourth", ["Third", "Fourth"]),
        ("Reid's rep told People about O'Neill", ["People", "O'Neill"]),
        ("Ask Reid's rep", ["Reid's"]),
        ("He flew an A380 from Zürich", ["Zürich"]),
        ("line one\nNext line starts a sentence", []),
        ("", []),
        ("Curly \u{201C}Quotes\u{201D} and the em dash\u{2014}Starts here, then Élodie", ["Quotes", "Élodie"]),
    ])
    func capitalizedWordsThatDoNotStartASentenceAreNames(text: String, expected: [String]) {
        #expect(names(text) == expected)
    }
}
