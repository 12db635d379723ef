import Foundation
import KWSTestSupport
import XCTest

/// The committed split lists (Training/splits) keep every speaker on one side: no decision made on
/// train or validation speakers (including the cross-validation folds, drawn from those two lists) can
/// have seen a test speaker.
final class TrainingSplitTests: XCTestCase {
    private func entries(_ split: String) throws -> [String] {
        try String(contentsOf: TestPaths.file("Training/splits/\(split).txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The 8 hex digits before `_nohash_`; noise clips (`_silence_/…`) have no speaker.
    private func speaker(_ entry: String) -> String? {
        guard !entry.hasPrefix("_silence_/"), let range = entry.range(of: "_nohash_") else { return nil }
        return String(entry[entry.index(range.lowerBound, offsetBy: -8)..<range.lowerBound])
    }

    func testSplitsAreSpeakerDisjointAndHoldEachClipOnce() throws {
        let splits = try ["train", "validation", "test"].map { ($0, try entries($0)) }
        var seen = Set<String>()
        for (name, list) in splits {
            XCTAssertGreaterThan(list.count, 300, name)
            for entry in list { XCTAssertTrue(seen.insert(entry).inserted, "\(entry) listed twice") }
            XCTAssertTrue(list.allSatisfy { $0.hasPrefix("_silence_/") || speaker($0) != nil }, "\(name): an entry without a speaker id")
        }
        for i in splits.indices {
            for j in splits.indices where i < j {
                let a = Set(splits[i].1.compactMap(speaker)), b = Set(splits[j].1.compactMap(speaker))
                XCTAssertTrue(a.isDisjoint(with: b), "speakers in both \(splits[i].0) and \(splits[j].0): \(a.intersection(b).sorted().prefix(5))")
            }
        }
    }

    func testTheSpeakerRuleFindsTheIdOfAnEntry() {
        XCTAssertEqual(speaker("yes/0bac8a71_nohash_0.wav"), "0bac8a71")
        XCTAssertNil(speaker("_silence_/noise_001.wav"))
    }
}
