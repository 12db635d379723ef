import KWS
import XCTest

/// Issue 19: what `kws train` accepts as a keyword, and the label it gets.
final class KeywordPhraseTests: XCTestCase {
    func testLabelsAreLowerCaseWordsJoinedByUnderscores() throws {
        XCTAssertEqual(try KeywordPhrase("Hey  Kiwi").label, "hey_kiwi")
        XCTAssertEqual(try KeywordPhrase("hey_kiwi").text, "hey kiwi")
        XCTAssertEqual(try KeywordPhrase("don't").label, "don't")
        XCTAssertEqual(try KeywordPhrase.parse(["stop", "lights on"]).map(\.label), ["stop", "lights_on"])
    }

    func testEachMistakeIsNamed() {
        func reason(_ phrases: [String]) -> String {
            do { _ = try KeywordPhrase.parse(phrases); return "accepted" } catch { return String(describing: error) }
        }
        XCTAssertEqual(reason([]), "no word given: name at least one keyword")
        XCTAssertEqual(reason([" "]), "keyword ' ' is empty")
        XCTAssertTrue(reason(["123"]).hasPrefix("keyword '123' has no phonemes"), reason(["123"]))
        XCTAssertTrue(reason(["lights 2"]).contains("'2' has no phonemes"), reason(["lights 2"]))
        XCTAssertTrue(reason(["wi-fi!"]).contains("cannot say"), reason(["wi-fi!"]))
        XCTAssertTrue(reason(["go", "GO"]).contains("given twice"))
        XCTAssertTrue(reason(["a b c d e"]).contains("at most 4"))
        XCTAssertTrue(reason([String(repeating: "a", count: 25)]).contains("longer than 24"))
    }
}
