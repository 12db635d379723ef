import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// Every u8s8 kernel variant against the scalar reference and against a Swift loop over the documented
/// semantics, on random shapes: channels that are not multiples of 4/16/64, inputs shorter than the kernel,
/// stride 2 with odd lengths, with and without a residual.
final class Int8KernelTests: XCTestCase {
    struct Case {
        let conv: QuantizedConv
        let input: [UInt8]
        let residual: [UInt8]?
    }

    static func randomCase(_ generator: inout some RandomNumberGenerator, residual: Bool) -> Case {
        let taps = [1, 3, 9, 2, 5].randomElement(using: &generator) ?? 9
        let stride = Int.random(in: 1...2, using: &generator)
        let length = Int.random(in: 1...40, using: &generator)
        let shape = TemporalConvShape(inputLength: length, inputChannels: Int.random(in: 1...75, using: &generator),
                                      outputChannels: Int.random(in: 1...90, using: &generator), kernelSize: taps, stride: stride)
        let weights = (0..<shape.weightCount).map { _ in Int8.random(in: -127...127, using: &generator) }
        let bias = (0..<shape.outputChannels).map { _ in Int32.random(in: -200_000...200_000, using: &generator) }
        func multipliers(_ range: ClosedRange<Double>) -> [FixedPointMultiplier] {
            (0..<shape.outputChannels).map { _ in FixedPointMultiplier(real: Double.random(in: range, using: &generator))! }
        }
        let conv = QuantizedConv(name: "random", shape: shape, weights: weights, bias: bias,
                                 requantization: multipliers(0.0005...0.02), residualRescale: residual ? multipliers(1...400) : nil)
        let packedLength = (shape.outputLength - 1) * shape.stride + shape.kernelSize
        let input = (0..<(packedLength * shape.inputChannels)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let residualValues = residual ? (0..<(shape.outputLength * shape.outputChannels)).map { _ in UInt8.random(in: 0...255, using: &generator) } : nil
        return Case(conv: conv, input: input, residual: residualValues)
    }

    /// The documented semantics on an already padded input.
    static func reference(_ c: Case) -> [UInt8] {
        let shape = c.conv.shape
        var output = [UInt8]()
        for t in 0..<shape.outputLength {
            for o in 0..<shape.outputChannels {
                var acc = Int64(c.conv.bias[o])
                for tap in 0..<shape.kernelSize {
                    for i in 0..<shape.inputChannels {
                        acc += Int64(c.input[(t * shape.stride + tap) * shape.inputChannels + i]) * Int64(c.conv.weight(output: o, input: i, tap: tap))
                    }
                }
                if let residual = c.residual, let rescale = c.conv.residualRescale {
                    acc += rescale[o].apply(Int64(residual[t * shape.outputChannels + o]))
                }
                output.append(UInt8(min(255, max(0, c.conv.requantization[o].apply(acc)))))
            }
        }
        return output
    }

    func testEveryVariantMatchesTheReferenceBitForBit() {
        var generator = SplitMix64(seed: 0x5D)
        var clampedOnly = 0
        for trial in 0..<300 {
            let c = Self.randomCase(&generator, residual: trial % 2 == 1)
            let expected = Self.reference(c)
            if expected.allSatisfy({ $0 == 0 || $0 == 255 }) { clampedOnly += 1 }
            for isa in KernelISA.supported {
                XCTAssertEqual(PackedInt8Conv(c.conv, isa: isa, accumulation: .exact).apply(paddedInput: c.input, residual: c.residual), expected,
                               "\(isa) \(c.conv.shape) residual \(c.residual != nil)")
            }
        }
        XCTAssertLessThan(clampedOnly, 60, "the random multipliers should leave most outputs inside 1…254")
    }

    /// Requantized values far outside 0…255 (beyond ±2^16, near ±2^31, with and without a residual) clamp
    /// to 0 or 255 on every variant: SIMD epilogues that narrow s32 to u8 through saturating packs must not
    /// wrap a value above 65,535.
    func testEveryVariantClampsRequantizedValuesFarOutOfRange() {
        let shape = TemporalConvShape(inputLength: 7, inputChannels: 4, outputChannels: 41, kernelSize: 1, stride: 1)
        let biases: [Int32] = [2_000_000_000, -2_000_000_000, 70_000, -70_000, 65_535, 65_536, 1 << 24, -(1 << 24), 255, 256, 0, -1]
        let bias = (0..<shape.outputChannels).map { biases[$0 % biases.count] }
        let requantization = (0..<shape.outputChannels).map { channel in
            channel % 3 == 0 ? FixedPointMultiplier(multiplier: Int32.max, shift: 31)! : FixedPointMultiplier(real: [0.999, 0.5, 0.01][channel % 3])!
        }
        var generator = SplitMix64(seed: 0x5F)
        let weights = (0..<shape.weightCount).map { _ in Int8.random(in: -3...3, using: &generator) }
        let input = (0..<(shape.outputLength * shape.inputChannels)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for residual in [false, true] {
            let conv = QuantizedConv(name: "clamp", shape: shape, weights: weights, bias: bias, requantization: requantization,
                                     residualRescale: residual ? (0..<shape.outputChannels).map { _ in FixedPointMultiplier(real: 1000)! } : nil)
            let residualValues = residual ? (0..<(shape.outputLength * shape.outputChannels)).map { UInt8($0 % 256) } : nil
            let c = Case(conv: conv, input: input, residual: residualValues)
            let expected = Self.reference(c)
            XCTAssertTrue(expected.contains(0) && expected.contains(255))
            for isa in KernelISA.supported {
                XCTAssertEqual(PackedInt8Conv(conv, isa: isa, accumulation: .exact).apply(paddedInput: input, residual: residualValues), expected,
                               "\(isa) residual \(residual)")
            }
        }
    }

    func testAcc16VariantsAgreeAndEqualExactWhenNothingSaturates() {
        var generator = SplitMix64(seed: 0x5E)
        for trial in 0..<200 {
            let c = Self.randomCase(&generator, residual: trial % 2 == 0)
            let scalar = PackedInt8Conv(c.conv, isa: .scalar, accumulation: .acc16).apply(paddedInput: c.input, residual: c.residual)
            for isa in KernelISA.supported {
                XCTAssertEqual(PackedInt8Conv(c.conv, isa: isa, accumulation: .acc16).apply(paddedInput: c.input, residual: c.residual), scalar,
                               "acc16 \(isa) \(c.conv.shape)")
            }
            // Small inputs and weights cannot saturate s16 within 8 pairs: acc16 is then exact.
            let small = Case(conv: c.conv, input: c.input.map { $0 / 16 }, residual: c.residual)
            let smallWeights = QuantizedConv(name: "small", shape: c.conv.shape, weights: c.conv.weights.map { $0 / 8 },
                                             bias: c.conv.bias, requantization: c.conv.requantization, residualRescale: c.conv.residualRescale)
            let smallCase = Case(conv: smallWeights, input: small.input, residual: small.residual)
            XCTAssertEqual(PackedInt8Conv(smallWeights, isa: .preferred, accumulation: .acc16).apply(paddedInput: smallCase.input, residual: smallCase.residual),
                           Self.reference(smallCase))
        }
    }

    func testAcc16SaturatesWhereExactDoesNot() {
        // 255 · 127 · 2 = 64,770 per pair: one pair already saturates s16.
        let shape = TemporalConvShape(inputLength: 1, inputChannels: 16, outputChannels: 1, kernelSize: 1, stride: 1)
        let conv = QuantizedConv(name: "saturating", shape: shape, weights: [Int8](repeating: 127, count: 16), bias: [0],
                                 requantization: [FixedPointMultiplier(real: 1.0 / 2048)!], residualRescale: nil)
        let input = [UInt8](repeating: 255, count: 16)
        let exact = PackedInt8Conv(conv, isa: .preferred, accumulation: .exact).apply(paddedInput: input, residual: nil)
        let acc16 = PackedInt8Conv(conv, isa: .preferred, accumulation: .acc16).apply(paddedInput: input, residual: nil)
        XCTAssertEqual(exact, [UInt8(min(255, (16 * 255 * 127 + 1024) / 2048))])
        XCTAssertEqual(acc16, [UInt8((32767 + 1024) / 2048)])
    }
}
