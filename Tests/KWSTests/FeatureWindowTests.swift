@testable import KWS
import XCTest

final class FeatureWindowTests: XCTestCase {
    func testCopiesTheLastFramesOldestFirst() {
        var window = FeatureWindow(frames: 3, coefficients: 2)
        var out = [Float]()
        for frame in 0..<7 {
            window.append([Float(frame), Float(frame) + 0.5])
            if window.isFull {
                window.copy(into: &out)
                XCTAssertEqual(out, [Float(frame - 2), Float(frame - 2) + 0.5, Float(frame - 1), Float(frame - 1) + 0.5, Float(frame), Float(frame) + 0.5])
            }
        }
        XCTAssertEqual(window.count, 7)
    }
}
