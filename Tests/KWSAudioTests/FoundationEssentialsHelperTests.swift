import Foundation
@testable import KWSAudio
import KWSCore
import XCTest

/// The library modules import FoundationEssentials only (a small install: README "Using kws from C"); the
/// helpers that replace Foundation's `String(format:)`, `trimmingCharacters` and `NumberFormatter` must give
/// Foundation's text exactly, which the tests (which import Foundation) compare with.
final class FoundationEssentialsHelperTests: XCTestCase {
    func testCFormatMatchesFoundationStringFormat() {
        let values: [Double] = [0, -0.0, 0.5, 0.0005, 0.0015, 0.0025, 1.0005, 2.675, 0.125, 12.345, 99.995, 100, 1e-7,
                                123_456_789.125, -3.14159, 1e21, .infinity, -.infinity, .nan, 0.9999996, 42]
        let formats = ["%.3f", "%.2f", "%.1f", "%.0f", "%g", "%.6g", "%.4g", "%.3g", "%.2g", "%6.2f", "%+.1f", "%+5.1f%%",
                       "%.2f%%", "%.2f×", "%.2f–%.2f s"]
        for format in formats {
            for value in values {
                let arguments: [CVarArg] = format.contains("–") ? [value, value * 2] : [value]
                XCTAssertEqual(String(cFormat: format, arguments), String(format: format, arguments: arguments),
                               "\(format) with \(value)")
            }
        }
        for value in [0, 7, -1, 1024, Int(Int32.max), 65_536_000] {
            XCTAssertEqual(String(cFormat: "recall %.1f%% (%d of %d events)", 50.0, value, value),
                           String(format: "recall %.1f%% (%d of %d events)", 50.0, value, value))
        }
        for scalar: UInt32 in [0, 0x1F, 0x0A] {
            XCTAssertEqual(String(cFormat: "\\u%04x", scalar), String(format: "\\u%04x", scalar))
        }
        let long = String(repeating: "x", count: 1000)
        XCTAssertEqual(String(cFormat: long + "%.1f", 1.25), long + "1.2", "longer than the first buffer")
    }

    func testTrimmingMatchesFoundation() {
        let texts = ["", " ", "\t x \t", "\u{00A0}x\u{3000}", " a b ", "\n x \r\n", "\u{2028}x\u{85}", "x", "\u{0B}x\u{0C}"]
        for text in texts {
            XCTAssertEqual(text.trimmingWhitespace(), text.trimmingCharacters(in: .whitespaces), text.debugDescription)
            XCTAssertEqual(text.trimmingWhitespaceAndNewlines(), text.trimmingCharacters(in: .whitespacesAndNewlines),
                           text.debugDescription)
        }
    }

    func testGroupingThousands() {
        for value in [0, 7, 999, 1000, 39_888, 123_456, 1_234_567, -1024, -999] {
            let expected = NumberFormatter.localizedString(from: NSNumber(value: value), number: .decimal)
            XCTAssertEqual(String.groupingThousands(value), expected, "\(value)")
        }
    }
}
