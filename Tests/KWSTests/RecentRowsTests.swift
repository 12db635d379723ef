@testable import KWS
import XCTest

/// The detector's fixed ring of recent score rows: newest at age 0, the oldest overwritten in place.
final class RecentRowsTests: XCTestCase {
    func testRowsAreReadBackByAgeAndTheOldestIsDropped() {
        var rows = RecentRows(capacity: 3, width: 2)
        XCTAssertEqual(rows.count, 0)
        for k in 0..<5 { rows.push([Float(k), Float(10 * k)], start: 100 * k) }
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual((0..<3).map { rows.start(age: $0) }, [400, 300, 200])
        XCTAssertEqual((0..<3).map { rows.value(age: $0, 0) }, [4, 3, 2])
        XCTAssertEqual((0..<3).map { rows.value(age: $0, 1) }, [40, 30, 20])
    }

    func testRemoveAllStartsOver() {
        var rows = RecentRows(capacity: 2, width: 1)
        rows.push([1], start: 1)
        rows.push([2], start: 2)
        rows.removeAll()
        XCTAssertEqual(rows.count, 0)
        rows.push([3], start: 3)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.value(age: 0, 0), 3)
        XCTAssertEqual(rows.start(age: 0), 3)
    }

    func testAPushedRowIsCopiedNotShared() {
        var rows = RecentRows(capacity: 2, width: 2)
        var source: [Float] = [1, 2]
        rows.push(source)
        source[0] = 9
        XCTAssertEqual(rows.value(age: 0, 0), 1)
    }
}
