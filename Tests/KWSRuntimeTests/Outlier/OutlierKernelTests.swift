import CKWSKernels
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// Every kws_conv1d_ol4 variant (through ``PackedOutlierConv``: nibble unpack, outlier merge, dense pass, sparse
/// pass, epilogue) against a Swift loop over the documented semantics on full codes, on random shapes: channel
/// counts that are not multiples of 8/16/64, stride 2 with odd lengths, inputs shorter than the kernel, channels
/// whose weights are all outliers or none, activation outliers (some in rows no output reads), residual
/// outliers, output code limits 15 and 65535, and the 8-bit stem with full-range u8 input.
final class OutlierKernelTests: XCTestCase {
    struct Case {
        let conv: OutlierConv
        let codeMax: Int
        /// Dense codes of the padded input (0 where an outlier sits).
        let input: [UInt8]
        let inputOutliers: [kws_ol4_outlier]
        let residual: [UInt8]?
        let residualOutliers: [kws_ol4_outlier]
    }

    enum ChannelKind: CaseIterable { case mixed, allOutliers, noOutliers }

    /// `wide`: 129…150 output channels, past the epilogue's cached constants (8 blocks of 16); `shuffled`: input
    /// outliers in random order (the sparse pass groups equal rows but must not rely on order).
    static func randomCase(_ generator: inout some RandomNumberGenerator, residual: Bool, stem: Bool, wide: Bool = false,
                           shuffled: Bool = false) -> Case {
        let taps = stem ? 3 : [1, 3, 9, 2, 5].randomElement(using: &generator) ?? 9
        let stride = Int.random(in: 1...2, using: &generator)
        let shape = TemporalConvShape(inputLength: Int.random(in: 1...40, using: &generator),
                                      inputChannels: Int.random(in: 1...75, using: &generator),
                                      outputChannels: wide ? Int.random(in: 129...150, using: &generator) : Int.random(in: 1...90, using: &generator),
                                      kernelSize: taps, stride: stride)
        let kinds = (0..<shape.outputChannels).map { _ in ChannelKind.allCases.randomElement(using: &generator) ?? .mixed }
        let weights = (0..<shape.weightCount).map { index -> Int8 in
            if stem { return Int8.random(in: -127...127, using: &generator) }
            let outlier: Int8 = Int8.random(in: 8...127, using: &generator) * (Bool.random(using: &generator) ? 1 : -1)
            switch kinds[index % shape.outputChannels] {
            case .allOutliers: return outlier
            case .noOutliers: return Int8.random(in: -7...7, using: &generator)
            case .mixed: return Int.random(in: 0..<10, using: &generator) == 0 ? outlier : Int8.random(in: -7...7, using: &generator)
            }
        }
        let bias = (0..<shape.outputChannels).map { _ in Int32.random(in: -20_000...20_000, using: &generator) }
        func multipliers(_ range: ClosedRange<Double>) -> [FixedPointMultiplier] {
            (0..<shape.outputChannels).map { _ in FixedPointMultiplier(real: Double.random(in: range, using: &generator))! }
        }
        let conv = OutlierConv(name: "random", shape: shape, weightBits: stem ? 8 : 4, weights: weights, bias: bias,
                               requantization: multipliers(0.0005...0.05), residualRescale: residual ? multipliers(1...400) : nil)
        let codeMax = Bool.random(using: &generator) ? 15 : 65535
        let rows = (shape.outputLength - 1) * shape.stride + shape.kernelSize
        var input = (0..<(rows * shape.inputChannels)).map { _ in UInt8.random(in: 0...(stem ? 255 : 15), using: &generator) }
        var inputOutliers = [kws_ol4_outlier]()
        if !stem {
            // Rows count from the first unpadded row; some lie past the rows any output reads.
            for row in 0..<shape.inputLength {
                for channel in 0..<shape.inputChannels where Int.random(in: 0..<25, using: &generator) == 0 {
                    let value = Bool.random(using: &generator) ? Int.random(in: 16...300, using: &generator) : Int.random(in: 16...2000, using: &generator)
                    inputOutliers.append(kws_ol4_outlier(row: UInt32(row), channel: UInt16(channel), value: UInt16(value)))
                    let padded = row + shape.padding
                    if padded < rows { input[padded * shape.inputChannels + channel] = 0 }
                }
            }
        }
        if shuffled { inputOutliers.shuffle(using: &generator) }
        var residualValues: [UInt8]?
        var residualOutliers = [kws_ol4_outlier]()
        if residual {
            var values = (0..<(shape.outputLength * shape.outputChannels)).map { _ in UInt8.random(in: 0...15, using: &generator) }
            for index in values.indices where Int.random(in: 0..<20, using: &generator) == 0 {
                values[index] = 0
                residualOutliers.append(kws_ol4_outlier(row: UInt32(index / shape.outputChannels), channel: UInt16(index % shape.outputChannels),
                                                        value: UInt16.random(in: 16...2000, using: &generator)))
            }
            residualValues = values
        }
        precondition(OutlierConvBounds.firstOverflowingChannel(conv, inputCodeMax: stem ? 255 : 2000, residualCodeMax: 2000) == nil)
        let draft = Case(conv: conv, codeMax: codeMax, input: input, inputOutliers: inputOutliers, residual: residualValues,
                         residualOutliers: residualOutliers)
        // Requantization that maps each channel's median |accumulator| to about 8 (times a random factor), so
        // outputs fall below 0, inside the dense range and above it.
        let accumulators = Self.accumulators(draft)
        let requantization = (0..<shape.outputChannels).map { o -> FixedPointMultiplier in
            let magnitudes = Swift.stride(from: o, to: accumulators.count, by: shape.outputChannels).map { abs(Double(accumulators[$0])) }.sorted()
            let median = Swift.max(1, magnitudes[magnitudes.count / 2])
            return FixedPointMultiplier(real: Swift.min(0.99, 8 / median * Double.random(in: 0.5...2, using: &generator)))!
        }
        let tuned = OutlierConv(name: conv.name, shape: shape, weightBits: conv.weightBits, weights: weights, bias: bias,
                                requantization: requantization, residualRescale: conv.residualRescale)
        return Case(conv: tuned, codeMax: codeMax, input: input, inputOutliers: inputOutliers, residual: residualValues,
                    residualOutliers: residualOutliers)
    }

    /// `acc` of the documented semantics (residual included, before requantization), `[t][o]` flattened.
    static func accumulators(_ c: Case) -> [Int64] {
        let shape = c.conv.shape
        let rows = c.input.count / shape.inputChannels
        var full = c.input.map(Int.init)
        for outlier in c.inputOutliers where Int(outlier.row) + shape.padding < rows {
            full[(Int(outlier.row) + shape.padding) * shape.inputChannels + Int(outlier.channel)] += Int(outlier.value)
        }
        var residual = c.residual.map { $0.map(Int.init) }
        for outlier in c.residualOutliers {
            residual?[Int(outlier.row) * shape.outputChannels + Int(outlier.channel)] += Int(outlier.value)
        }
        var result = [Int64]()
        for t in 0..<shape.outputLength {
            for o in 0..<shape.outputChannels {
                var acc = Int64(c.conv.bias[o])
                for tap in 0..<shape.kernelSize {
                    for i in 0..<shape.inputChannels {
                        acc += Int64(full[(t * shape.stride + tap) * shape.inputChannels + i]) * Int64(c.conv.weight(output: o, input: i, tap: tap))
                    }
                }
                if let residual, let rescale = c.conv.residualRescale {
                    acc += rescale[o].apply(Int64(residual[t * shape.outputChannels + o]))
                }
                result.append(acc)
            }
        }
        return result
    }

    /// The documented semantics on full codes: dense output codes and the (t, o, code) outliers in order.
    static func reference(_ c: Case) -> (dense: [UInt8], outliers: [[Int]]) {
        let shape = c.conv.shape
        let accumulators = Self.accumulators(c)
        var dense = [UInt8]()
        var outliers = [[Int]]()
        for t in 0..<shape.outputLength {
            for o in 0..<shape.outputChannels {
                let acc = accumulators[t * shape.outputChannels + o]
                let y = Int(min(Int64(c.codeMax), max(0, c.conv.requantization[o].apply(acc))))
                dense.append(UInt8(y > 15 ? 0 : y))
                if y > 15 { outliers.append([t, o, y]) }
            }
        }
        return (dense, outliers)
    }

    static func triples(_ outliers: [kws_ol4_outlier]) -> [[Int]] {
        outliers.map { [Int($0.row), Int($0.channel), Int($0.value)] }
    }

    func testEveryVariantMatchesTheSemanticsBitForBit() {
        var generator = SplitMix64(seed: 0x61)
        var (outputs, inside, produced) = (0, 0, 0)
        for trial in 0..<300 {
            let c = Self.randomCase(&generator, residual: trial % 2 == 1, stem: trial % 7 == 0, wide: trial % 10 == 3,
                                    shuffled: trial % 3 == 0)
            let packed = PackedOutlierConv(c.conv, codeMax: c.codeMax)
            let expected = Self.reference(c)
            outputs += expected.dense.count
            inside += expected.dense.filter { $0 > 0 && $0 < 15 }.count
            produced += expected.outliers.count
            for isa in KernelISA.supported {
                let actual = packed.apply(paddedInput: c.input, inputOutliers: c.inputOutliers, residual: c.residual,
                                          residualOutliers: c.residualOutliers, isa: isa)
                XCTAssertEqual(actual.dense, expected.dense, "\(isa) \(c.conv.shape) stem \(c.conv.weightBits == 8) residual \(c.residual != nil)")
                XCTAssertEqual(Self.triples(actual.outliers), expected.outliers, "\(isa) \(c.conv.shape) outliers")
            }
        }
        // The random multipliers must exercise every output kind, not just clamps.
        XCTAssertGreaterThan(Double(inside), 0.2 * Double(outputs), "dense codes strictly inside 1…14")
        XCTAssertGreaterThan(produced, 1000, "output outliers")
    }

    func testUnpackingEveryVariantInvertsThePacking() {
        var generator = SplitMix64(seed: 0x62)
        let codes = (0..<(64 * 37)).map { _ in Int8.random(in: -8...7, using: &generator) }
        var packed = [UInt8](repeating: 0, count: codes.count / 2)
        for block in 0..<(codes.count / 64) {
            for j in 0..<32 {
                packed[block * 32 + j] = UInt8(bitPattern: codes[block * 64 + j]) & 0x0F | (UInt8(bitPattern: codes[block * 64 + 32 + j]) & 0x0F) << 4
            }
        }
        for isa in KernelISA.supported {
            var unpacked = [Int8](repeating: 99, count: codes.count)
            kws_ol4_unpack_s4(isa.cValue, codes.count, packed, &unpacked)
            XCTAssertEqual(unpacked, codes, "\(isa)")
        }
    }

    /// A dense pass whose s16 partial sums sit at the bound the AVX2 variant relies on: 15 × 127 in every
    /// product, 8 groups per flush, and a stem whose u8 input would saturate `vpmaddubsw` without the nibble split.
    func testDensePassIsExactAtTheS16Bound() {
        for (stem, value) in [(false, UInt8(15)), (true, UInt8(255))] {
            let shape = TemporalConvShape(inputLength: 5, inputChannels: 64, outputChannels: 24, kernelSize: stem ? 3 : 9, stride: 1)
            let weights = (0..<shape.weightCount).map { $0 % 5 == 0 ? Int8(-127) : Int8(127) }
            let conv = OutlierConv(name: "bound", shape: shape, weightBits: stem ? 8 : 4, weights: weights,
                                   bias: [Int32](repeating: 0, count: 24), requantization: [FixedPointMultiplier](repeating: FixedPointMultiplier(real: 1.0 / 4096)!, count: 24),
                                   residualRescale: nil)
            let packed = PackedOutlierConv(conv, codeMax: 65535)
            let input = [UInt8](repeating: value, count: packed.paddedInputLength * shape.inputChannels)
            let c = Case(conv: conv, codeMax: 65535, input: input, inputOutliers: [], residual: nil, residualOutliers: [])
            let expected = Self.reference(c)
            XCTAssertFalse(expected.outliers.isEmpty)
            for isa in KernelISA.supported {
                let actual = packed.apply(paddedInput: input, inputOutliers: [], residual: nil, residualOutliers: [], isa: isa)
                XCTAssertEqual(actual.dense, expected.dense, "\(isa) stem \(stem)")
                XCTAssertEqual(Self.triples(actual.outliers), expected.outliers, "\(isa) stem \(stem)")
            }
        }
    }
}
