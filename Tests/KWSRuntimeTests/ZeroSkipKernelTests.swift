import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// Every zeroskip kernel variant against the documented semantics (``Int8KernelTests/reference(_:)``) and
/// the dense u8s8 kernel, bit for bit, on random sparse layers: empty output channels, all-zero activation
/// rows, channel counts that are not multiples of 16 or 64, stride 2 with odd lengths, with and without a
/// residual; and the MACs each variant reports against a brute-force count of nonzero pairs.
final class ZeroSkipKernelTests: XCTestCase {
    /// A random layer with about `weightSparsity` zero weights (plus whole empty output channels) and an
    /// input with about `activationSparsity` zeros (plus whole zero rows).
    static func sparseCase(_ generator: inout some RandomNumberGenerator, weightSparsity: Double,
                           activationSparsity: Double, residual: Bool) -> Int8KernelTests.Case {
        let taps = [1, 3, 9, 2, 5].randomElement(using: &generator) ?? 9
        let stride = Int.random(in: 1...2, using: &generator)
        // Lengths of both parities, channel counts on and off the 16/64 grid (depth up to 9·130 = 18+ words).
        let length = Int.random(in: 1...41, using: &generator)
        let inputs = [1, 7, 16, 24, 40, 63, 64, 65, 72, 130].randomElement(using: &generator) ?? 24
        let outputs = [1, 5, 16, 17, 24, 48, 63, 72].randomElement(using: &generator) ?? 24
        let shape = TemporalConvShape(inputLength: length, inputChannels: inputs, outputChannels: outputs,
                                      kernelSize: taps, stride: stride)
        let emptyChannels = Set((0..<outputs).filter { _ in Double.random(in: 0..<1, using: &generator) < 0.15 })
        let weights = (0..<shape.weightCount).map { index -> Int8 in
            if emptyChannels.contains(index % outputs) || Double.random(in: 0..<1, using: &generator) < weightSparsity { return 0 }
            return Int8.random(in: -127...127, using: &generator)
        }
        let bias = (0..<outputs).map { _ in Int32.random(in: -20_000...20_000, using: &generator) }
        func multipliers(_ range: ClosedRange<Double>) -> [FixedPointMultiplier] {
            (0..<outputs).map { _ in FixedPointMultiplier(real: Double.random(in: range, using: &generator))! }
        }
        let conv = QuantizedConv(name: "sparse", shape: shape, weights: weights, bias: bias,
                                 requantization: multipliers(0.002...0.05), residualRescale: residual ? multipliers(1...400) : nil)
        let rows = (shape.outputLength - 1) * stride + taps
        let zeroRows = Set((0..<rows).filter { _ in Double.random(in: 0..<1, using: &generator) < 0.2 })
        let input = (0..<(rows * inputs)).map { index -> UInt8 in
            if zeroRows.contains(index / inputs) || Double.random(in: 0..<1, using: &generator) < activationSparsity { return 0 }
            return UInt8.random(in: 1...255, using: &generator)
        }
        let residualValues = residual ? (0..<(shape.outputLength * outputs)).map { _ in UInt8.random(in: 0...255, using: &generator) } : nil
        return Int8KernelTests.Case(conv: conv, input: input, residual: residualValues)
    }

    /// Pairs with a nonzero weight and a nonzero (or, `denseInput`, any) input byte, counted one by one.
    static func bruteForceMACs(_ c: Int8KernelTests.Case, denseInput: Bool = false) -> Int {
        let shape = c.conv.shape
        var count = 0
        for t in 0..<shape.outputLength {
            for tap in 0..<shape.kernelSize {
                for i in 0..<shape.inputChannels where denseInput || c.input[(t * shape.stride + tap) * shape.inputChannels + i] != 0 {
                    for o in 0..<shape.outputChannels where c.conv.weight(output: o, input: i, tap: tap) != 0 { count += 1 }
                }
            }
        }
        return count
    }

    func testEveryVariantMatchesTheReferenceAndTheDenseKernelBitForBit() {
        var generator = SplitMix64(seed: 0x58)
        var clampedOnly = 0
        for trial in 0..<300 {
            let sparsity = [0.0, 0.5, 0.7, 0.85, 0.97, 1.0][trial % 6]
            let activationSparsity = [0.0, 0.3, 0.6, 0.9, 1.0][trial % 5]
            let c = Self.sparseCase(&generator, weightSparsity: sparsity, activationSparsity: activationSparsity,
                                    residual: trial % 2 == 1)
            let expected = Int8KernelTests.reference(c)
            if expected.allSatisfy({ $0 == 0 || $0 == 255 }) { clampedOnly += 1 }
            let dense = PackedInt8Conv(c.conv).apply(paddedInput: c.input, residual: c.residual)
            XCTAssertEqual(dense, expected, "dense kernel \(c.conv.shape)")
            let zeroskip = ZeroSkipConv(c.conv)
            let macs = Self.bruteForceMACs(c)
            for isa in KernelISA.supported {
                let result = zeroskip.apply(paddedInput: c.input, residual: c.residual, isa: isa)
                XCTAssertEqual(result.output, expected,
                               "\(isa) \(c.conv.shape) weight sparsity \(sparsity) activation sparsity \(activationSparsity) residual \(c.residual != nil)")
                XCTAssertEqual(result.macs, macs, "\(isa) MACs issued vs brute force, \(c.conv.shape)")
            }
        }
        XCTAssertLessThan(clampedOnly, 150, "the random multipliers should leave many outputs inside 1…254")
    }

    /// The stem mode: every input byte counts (code 0 is not a real zero there), so the MACs are exactly
    /// `outputLength · nonzero weights` whatever the input, and the output still matches.
    func testDenseInputSkipsOnlyWeightZeros() {
        var generator = SplitMix64(seed: 0x59)
        for trial in 0..<60 {
            let c = Self.sparseCase(&generator, weightSparsity: [0.0, 0.6, 0.9][trial % 3], activationSparsity: 0.5,
                                    residual: false)
            let zeroskip = ZeroSkipConv(c.conv)
            let expected = Int8KernelTests.reference(c)
            for isa in KernelISA.supported {
                let result = zeroskip.apply(paddedInput: c.input, residual: nil, isa: isa, denseInput: true)
                XCTAssertEqual(result.output, expected, "\(isa) \(c.conv.shape)")
                XCTAssertEqual(result.macs, Self.bruteForceMACs(c, denseInput: true), "\(isa) \(c.conv.shape)")
                XCTAssertEqual(result.macs, zeroskip.weightNonzeroMACs, "\(isa) \(c.conv.shape)")
            }
        }
    }

    /// Edge layers named one by one, so a random draw that misses them cannot hide a failure.
    func testEdgeLayers() {
        var generator = SplitMix64(seed: 0x5A)
        func check(_ c: Int8KernelTests.Case, _ label: String) {
            let expected = Int8KernelTests.reference(c)
            let zeroskip = ZeroSkipConv(c.conv)
            for isa in KernelISA.supported {
                let result = zeroskip.apply(paddedInput: c.input, residual: c.residual, isa: isa)
                XCTAssertEqual(result.output, expected, "\(label) \(isa)")
                XCTAssertEqual(result.macs, Self.bruteForceMACs(c), "\(label) \(isa)")
            }
        }
        func layer(length: Int, inputs: Int, outputs: Int, taps: Int, stride: Int, residual: Bool,
                   weight: (Int) -> Int8, input: (Int) -> UInt8) -> Int8KernelTests.Case {
            let shape = TemporalConvShape(inputLength: length, inputChannels: inputs, outputChannels: outputs, kernelSize: taps, stride: stride)
            let conv = QuantizedConv(
                name: "edge", shape: shape, weights: (0..<shape.weightCount).map(weight),
                bias: (0..<outputs).map { Int32($0 * 37 - 500) },
                requantization: (0..<outputs).map { _ in FixedPointMultiplier(real: 0.01)! },
                residualRescale: residual ? (0..<outputs).map { _ in FixedPointMultiplier(real: 3)! } : nil)
            let rows = (shape.outputLength - 1) * stride + taps
            return Int8KernelTests.Case(conv: conv, input: (0..<(rows * inputs)).map(input),
                                        residual: residual ? (0..<(shape.outputLength * outputs)).map { UInt8($0 % 251) } : nil)
        }
        let random: (Int) -> Int8 = { _ in Int8.random(in: -127...127, using: &generator) }
        let randomInput: (Int) -> UInt8 = { _ in UInt8.random(in: 0...255, using: &generator) }
        // Every weight zero: each output is the bias (and residual) alone, no MAC issued.
        check(layer(length: 13, inputs: 48, outputs: 48, taps: 9, stride: 1, residual: true, weight: { _ in 0 }, input: randomInput),
              "all weights zero")
        // Every activation zero (a silent window after ReLU).
        check(layer(length: 25, inputs: 32, outputs: 24, taps: 9, stride: 2, residual: false, weight: random, input: { _ in 0 }),
              "all activations zero")
        // Only output channel 0 has weights; channels 1… are empty.
        check(layer(length: 7, inputs: 20, outputs: 19, taps: 3, stride: 1, residual: false,
                    weight: { $0 % 19 == 0 ? 99 : 0 }, input: randomInput), "one nonempty channel")
        // Odd length, stride 2, C_in = 65 (a receptive field straddling word boundaries at every step).
        check(layer(length: 49, inputs: 65, outputs: 33, taps: 9, stride: 2, residual: true, weight: random, input: randomInput),
              "stride 2, odd length, C_in 65")
        // One channel, one tap: 64 positions are never reached in a word.
        check(layer(length: 1, inputs: 1, outputs: 1, taps: 1, stride: 1, residual: false, weight: { _ in -127 }, input: { _ in 255 }),
              "1×1×1")
        // Every pair nonzero with extreme values: the dense worst case for the accumulator.
        check(layer(length: 10, inputs: 72, outputs: 72, taps: 9, stride: 1, residual: false,
                    weight: { $0 % 2 == 0 ? 127 : -127 }, input: { _ in 255 }), "dense extremes")
    }
}
