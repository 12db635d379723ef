import CKWSKernels
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// k-bit packing (file and kernel order) and the kws_conv1d_hw kernels against plain Swift, every ISA.
final class HighwayKernelTests: XCTestCase {
    func testFilePackingRoundTripsAndHasTheDocumentedLayout() {
        var generator = SplitMix64(seed: 0x54)
        for bits in [2, 4] {
            let limit = LowBitPacking.codeLimit(bits: bits)
            for count in [1, 3, 4, 7, 64, 1001] {
                let codes = (0..<count).map { _ in Int8.random(in: -limit...limit, using: &generator) }
                let packed = LowBitPacking.pack(codes, bits: bits)
                XCTAssertEqual(packed.count, (count * bits + 7) / 8)
                XCTAssertEqual(LowBitPacking.unpack(packed, count: count, bits: bits), codes, "\(bits) bits, \(count) codes")
                XCTAssertFalse(LowBitPacking.hasStrayBits(packed, count: count, bits: bits))
            }
        }
        // Same bytes as Training/kws_training/highway_int.py's pack_codes (check_highway.py asserts them there).
        XCTAssertEqual(LowBitPacking.pack([1, -1, 0, 1], bits: 2), [0b0100_1101])
        XCTAssertEqual(LowBitPacking.pack([3, -2], bits: 4), [0xE3])
        XCTAssertEqual(LowBitPacking.code([0b0000_0010], index: 0, bits: 2), -2, "the unused pattern still decodes")
        XCTAssertTrue(LowBitPacking.hasStrayBits([0b0100_0000], count: 3, bits: 2))
        XCTAssertFalse(LowBitPacking.hasStrayBits([0b0011_1111], count: 3, bits: 2))
        XCTAssertTrue(LowBitPacking.hasStrayBits([0xF7], count: 1, bits: 4))
    }

    func testUnpackKernelsExpandKernelOrderBlocksOnEveryISA() {
        var generator = SplitMix64(seed: 0x55)
        for bits in [2, 4] {
            let limit = Int8((1 << (bits - 1)) - 1)
            for count in [64, 128, 200, 4096 + 64] {
                // Every bit pattern, including the unused most negative one, must expand the same everywhere.
                let codes = (0..<count).map { _ in Int8.random(in: (-limit - 1)...limit, using: &generator) }
                let packed = LowBitPacking.packKernelOrder(codes, bits: bits)
                let blocks = packed.count / LowBitPacking.blockBytes
                for isa in KernelISA.supported {
                    var out = [Int8](repeating: 99, count: blocks * LowBitPacking.blockCodes(bits: bits))
                    out.withUnsafeMutableBufferPointer { out in
                        kws_hw_unpack(isa.cValue, Int32(bits), blocks, packed, out.baseAddress)
                    }
                    XCTAssertEqual(Array(out[..<count]), codes, "\(bits) bits, \(count) codes, \(isa)")
                    XCTAssertTrue(out[count...].allSatisfy { $0 == 0 }, "padding codes")
                }
            }
        }
    }

    func testRequantizeKernelMatchesBranchRequantizationOnEveryISA() {
        let input = (0..<300).map { UInt8($0 % 256) }
        let cases: [(UInt32, UInt32, UInt8)] = [(1, 0, 3), (1, 0, 15), (40_000, 20, 3), (65_535, 16, 15), (32_768, 31, 15), ((1 << 23) - 1, 31, 255), ((1 << 23) - 1, 0, 255), (4_194_304, 27, 15),
                                                (12_345, 1, 255), (0, 5, 3), (51_000, 18, 15)]
        for (multiplier, shift, maximum) in cases {
            let rule = BranchRequantization(multiplier: multiplier, shift: shift, maximum: maximum)
            let expected = input.map(rule.apply)
            for isa in KernelISA.supported {
                for count in [0, 1, 7, 8, 15, 16, 17, 300] {
                    var output = [UInt8](repeating: 77, count: 300)
                    kws_hw_requantize_u8(isa.cValue, count, multiplier, shift, maximum, input, &output)
                    XCTAssertEqual(Array(output[..<count]), Array(expected[..<count]), "m \(multiplier) n \(shift) \(isa) count \(count)")
                    XCTAssertTrue(output[count...].allSatisfy { $0 == 77 }, "wrote past count")
                }
            }
        }
        // In place, as the engine clamps conv1's output.
        var data = input
        kws_hw_requantize_u8(KernelISA.preferred.cValue, data.count, 1, 0, 3, data, &data)
        XCTAssertEqual(data, input.map { min($0, 3) })
    }

    /// A random branch layer: k-bit weights, inputs 0…2^a − 1, multipliers above and below 1.
    static func randomLayer(bits: Int, activationBits: Int, inputChannels: Int, outputChannels: Int, kernelSize: Int,
                            stride: Int, length: Int, residual: Bool, outputMaximum: Int, constantWeight: Int8? = nil) -> HighwayConv {
        var generator = SplitMix64(seed: 0x56)
        let shape = TemporalConvShape(inputLength: length, inputChannels: inputChannels, outputChannels: outputChannels,
                                      kernelSize: kernelSize, stride: stride)
        let limit = LowBitPacking.codeLimit(bits: bits)
        return HighwayConv(
            name: "test", shape: shape, weightBits: bits,
            weights: (0..<shape.weightCount).map { _ in constantWeight ?? Int8.random(in: -limit...limit, using: &generator) },
            bias: (0..<outputChannels).map { _ in Int32.random(in: -200...200, using: &generator) },
            requantization: (0..<outputChannels).map { _ in FixedPointMultiplier(real: Double.random(in: 0.02...3, using: &generator))! },
            residualRescale: residual ? (0..<outputChannels).map { _ in FixedPointMultiplier(real: Double.random(in: 0.05...9, using: &generator))! } : nil,
            outputMaximum: outputMaximum)
    }

    func testLargestS16PartialSumsStayExact() {
        // Every weight at ±limit and every input at the maximum over 1,440-deep spans (360 groups): each
        // s16 lane of the AVX2 kernel reaches 64 · 2 · 15 · 7 = 13,440 before it is widened.
        for bits in [2, 4] {
            let limit = LowBitPacking.codeLimit(bits: bits)
            for weight in [limit, -limit] {
                let conv = Self.randomLayer(bits: bits, activationBits: 4, inputChannels: 160, outputChannels: 24, kernelSize: 9,
                                            stride: 1, length: 12, residual: true, outputMaximum: 255, constantWeight: weight)
                let packed = PackedHighwayConv(conv)
                let rows = [[Int]](repeating: [Int](repeating: 15, count: 160), count: 12)
                let skip = [[Int]](repeating: [Int](repeating: 200, count: 24), count: 12)
                let expected = HighwayReferenceNetwork.convolve(conv, rows, skip: skip).flatMap { $0.map(UInt8.init) }
                let pad = [UInt8](repeating: 0, count: 4 * 160)
                let input = pad + [UInt8](repeating: 15, count: 12 * 160) + pad
                for isa in KernelISA.supported {
                    XCTAssertEqual(packed.apply(paddedInput: input, residual: skip.flatMap { $0.map(UInt8.init) }, isa: isa), expected,
                                   "w \(weight) \(isa)")
                }
            }
        }
    }

    func testBranchConvolutionMatchesTheReferenceOnEveryISA() {
        var generator = SplitMix64(seed: 0x57)
        let layers: [(Int, Int, Int, Int, Int, Int)] = [  // C_in, C_out, K, stride, length, activation bits
            (16, 24, 9, 2, 98, 2), (24, 24, 9, 1, 49, 4), (36, 48, 9, 2, 49, 4), (72, 72, 9, 1, 13, 2), (5, 7, 3, 1, 11, 4),
            (48, 40, 9, 1, 25, 4), (8, 17, 9, 2, 30, 2), (160, 16, 9, 1, 9, 4),  // 160·9 = 1,440 depth: > 64 s16 groups
        ]
        for (inputs, outputs, taps, stride, length, activationBits) in layers {
            for bits in [2, 4] {
                for residual in [false, true] {
                    let maximum = residual ? 255 : (1 << activationBits) - 1
                    let conv = Self.randomLayer(bits: bits, activationBits: activationBits, inputChannels: inputs, outputChannels: outputs,
                                                kernelSize: taps, stride: stride, length: length, residual: residual,
                                                outputMaximum: maximum)
                    let packed = PackedHighwayConv(conv)
                    // Worst case for the s16 sums too: every input at the maximum, and a random mix.
                    for fill in [false, true] {
                        let top = (1 << activationBits) - 1
                        let input = (0..<(length * inputs)).map { _ in fill ? top : Int.random(in: 0...top, using: &generator) }
                        let rows = (0..<length).map { Array(input[($0 * inputs)..<(($0 + 1) * inputs)]) }
                        let skip = (0..<conv.shape.outputLength).map { _ in (0..<outputs).map { _ in Int.random(in: 0...255, using: &generator) } }
                        var expected = HighwayReferenceNetwork.convolve(conv, rows, skip: residual ? skip : nil)
                        if !residual { expected = expected.map { $0.map { min($0, 255) } } }
                        let pad = [UInt8](repeating: 0, count: conv.shape.padding * inputs)
                        let padded = pad + input.map(UInt8.init) + pad
                        let used = Array(padded[..<(packed.paddedInputLength * inputs)])
                        for isa in KernelISA.supported {
                            // The kernel clamps to 255; conv1's k-bit clamp is the engine's next step.
                            var got = packed.apply(paddedInput: used, residual: residual ? skip.flatMap { $0.map(UInt8.init) } : nil, isa: isa)
                            if !residual { got = got.map { min($0, UInt8(maximum)) } }
                            XCTAssertEqual(got, expected.flatMap { $0.map(UInt8.init) },
                                           "\(inputs)→\(outputs) k\(taps) s\(stride) w\(bits) a\(activationBits) residual \(residual) \(isa)")
                        }
                    }
                }
            }
        }
    }
}
