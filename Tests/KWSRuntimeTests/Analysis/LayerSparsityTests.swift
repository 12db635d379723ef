import KWSTestSupport
import XCTest
@testable import KWSAnalysis
@testable import KWSRuntime

/// Zero statistics on a layer counted by hand and on random layers against a brute-force walk over every
/// (step, tap, input, output) product.
final class LayerSparsityTests: XCTestCase {
    /// C = 2, K = 2, k = 3, T = 3, padding 1. Weights `w[j][i][o]`:
    /// j0: i0 (1, 0), i1 (0, 0); j1: i0 (2, 3), i1 (0, 1); j2: i0 (0, 0), i1 (1, 1) → 6 of 12 zero.
    /// Input rows x0 = (0, 5), x1 = (4, 0), x2 = (0, 0) → 4 of 6 zero.
    /// MACs 3·12 = 36; weight-zero 3·6 = 18. Activation-zero / both-zero per output step, from the padded
    /// rows (0,0) (0,5) (4,0) (0,0) (0,0): t0 8/3, t1 8/4, t2 10/5 → 26 / 12; either 18 + 26 − 12 = 32;
    /// effectual 4 (x0[1]=5 meets w[1][1][1]; x1[0]=4 meets w[1][0][0], w[1][0][1] and w[0][0][0]).
    func testHandCountedLayer() {
        let shape = TemporalConvShape(inputLength: 3, inputChannels: 2, outputChannels: 2, kernelSize: 3, stride: 1)
        let weights: [Int8] = [1, 0, 0, 0,   2, 3, 0, 1,   0, 0, 1, 1]
        let layer = SparsityTestSupport.layer(shape: shape, weights: weights, rows: [[0, 5], [4, 0], [0, 0]])
        var counts = LayerSparsity(conv: layer.conv)
        counts.add(layer)
        XCTAssertEqual(counts.zeroWeights, 6)
        XCTAssertEqual(counts.activations, 6)
        XCTAssertEqual(counts.zeroActivations, 4)
        XCTAssertEqual(counts.realZeroActivations, 4)
        XCTAssertEqual(counts.macs, 36)
        XCTAssertEqual(counts.weightZeroMACs, 18)
        XCTAssertEqual(counts.activationZeroMACs, 26)
        XCTAssertEqual(counts.bothZeroMACs, 12)
        XCTAssertEqual(counts.eitherZeroMACs, 32)
        XCTAssertEqual(counts.effectualMACs, 4)
        counts.add(layer)
        XCTAssertEqual(counts.windows, 2)
        XCTAssertEqual(counts.bothZeroMACs, 24)
    }

    /// With per-channel zero points (the stem), only code 0 is a zero product; code = zero point is counted
    /// apart as a real zero, and padding rows (holding the zero points) are not zero products.
    func testZeroPointInputCountsCodeZeroOnly() {
        let shape = TemporalConvShape(inputLength: 2, inputChannels: 2, outputChannels: 1, kernelSize: 3, stride: 1)
        let layer = SparsityTestSupport.layer(shape: shape, weights: [1, 1, 1, 1, 1, 1], rows: [[7, 0], [7, 9]], paddingCodes: [7, 9])
        var counts = LayerSparsity(conv: layer.conv)
        counts.add(layer)
        XCTAssertEqual(counts.zeroActivations, 1)
        XCTAssertEqual(counts.realZeroActivations, 3)
        // The single code 0 (row 0, channel 1) is read by taps 1 (t = 0) and 0 (t = 1): 2 MACs of 1 output.
        XCTAssertEqual(counts.activationZeroMACs, 2)
    }

    func testRandomLayersMatchABruteForceCount() {
        var random = SplitMix64(seed: 11)
        for iteration in 0..<60 {
            let shape = SparsityTestSupport.shapes[iteration % SparsityTestSupport.shapes.count]
            let layer = SparsityTestSupport.randomLayer(&random, shape: shape, weightZeros: [0, 0.5, 0.9][iteration % 3],
                                                        activationZeros: [0.6, 0, 0.3, 1][iteration % 4],
                                                        zeroPointInput: iteration % 5 == 0)
            var counts = LayerSparsity(conv: layer.conv)
            counts.add(layer)
            var macs = 0, weightZero = 0, activationZero = 0, both = 0
            for t in 0..<shape.outputLength {
                for tap in 0..<shape.kernelSize {
                    for input in 0..<shape.inputChannels {
                        let x = layer.input(row: t * shape.stride + tap, channel: input)
                        for output in 0..<shape.outputChannels {
                            let w = layer.conv.weight(output: output, input: input, tap: tap)
                            macs += 1
                            if w == 0 { weightZero += 1 }
                            if x == 0 { activationZero += 1 }
                            if w == 0 && x == 0 { both += 1 }
                        }
                    }
                }
            }
            XCTAssertEqual([counts.macs, counts.weightZeroMACs, counts.activationZeroMACs, counts.bothZeroMACs],
                           [macs, weightZero, activationZero, both], "iteration \(iteration)")
            XCTAssertEqual(counts.zeroWeights, layer.conv.weights.filter { $0 == 0 }.count)
        }
    }
}
