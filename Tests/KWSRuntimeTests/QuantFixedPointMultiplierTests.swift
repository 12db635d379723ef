import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// ``FixedPointMultiplier`` against exact rational arithmetic and against double math.
final class QuantFixedPointMultiplierTests: XCTestCase {
    func testRepresentationIsWithinHalfAStepOfTheReal() throws {
        var generator = SplitMix64(seed: 0x5B)
        for _ in 0..<20_000 {
            let real = Double.random(in: -30...12, using: &generator)
            let value = pow(2, real)
            let fixed = try XCTUnwrap(FixedPointMultiplier(real: value), "\(value)")
            XCTAssertTrue(FixedPointMultiplier.shiftRange.contains(fixed.shift))
            XCTAssertTrue(fixed.multiplier >= 1 << 30 && fixed.multiplier < Int32.max || fixed.shift == 62, "\(value) → \(fixed)")
            // |m·2^-n − r| ≤ 2^-(n+1): the mantissa is rounded to the nearest integer.
            XCTAssertLessThanOrEqual(abs(fixed.realValue - value), pow(2, -Double(fixed.shift) - 1) * 1.000001, "\(value)")
        }
    }

    func testApplyIsExactRoundHalfUpOfTheRepresentedProduct() throws {
        var generator = SplitMix64(seed: 0x5C)
        for _ in 0..<20_000 {
            let fixed = try XCTUnwrap(FixedPointMultiplier(real: Double.random(in: 1e-6...300, using: &generator)))
            let value = Int64(Int32.random(in: Int32.min / 2...Int32.max / 2, using: &generator))
            // Exact: floor((v·m + 2^(n−1)) / 2^n) with a 128-bit product.
            let product = Int64(fixed.multiplier).multipliedFullWidth(by: value)
            let wide = (Int128(product.high) << 64) | Int128(product.low)
            let expected = (wide + (Int128(1) << Int128(fixed.shift - 1))) >> Int128(fixed.shift)
            XCTAssertEqual(Int128(fixed.apply(value)), expected, "\(value) × \(fixed)")
            // And within one unit of the double-precision product, rounded.
            let real = Double(value) * fixed.realValue
            XCTAssertLessThanOrEqual(abs(Double(fixed.apply(value)) - real), 0.5 + abs(real) * 1e-15 + 1e-9)
        }
    }

    func testHalfwayRoundsUpAndNegativeValuesFloor() throws {
        let half = try XCTUnwrap(FixedPointMultiplier(real: 0.5))
        XCTAssertEqual(half.apply(3), 2)   // 1.5 → 2
        XCTAssertEqual(half.apply(-3), -1) // −1.5 → −1 (half up)
        XCTAssertEqual(half.apply(-4), -2)
        XCTAssertEqual(try XCTUnwrap(FixedPointMultiplier(real: 1)).apply(-7), -7)
    }

    func testRejectsUnrepresentableMultipliers() {
        XCTAssertNil(FixedPointMultiplier(real: -1))
        XCTAssertNil(FixedPointMultiplier(real: .nan))
        XCTAssertNil(FixedPointMultiplier(real: .infinity))
        XCTAssertNil(FixedPointMultiplier(real: 0x1p30))
        XCTAssertNil(FixedPointMultiplier(multiplier: 5, shift: 0))
        XCTAssertNil(FixedPointMultiplier(multiplier: 5, shift: 63))
        XCTAssertNil(FixedPointMultiplier(multiplier: -1, shift: 10))
        XCTAssertEqual(FixedPointMultiplier(real: 0)?.apply(123_456), 0)
        XCTAssertNotNil(FixedPointMultiplier(real: 1e-30))
    }
}
