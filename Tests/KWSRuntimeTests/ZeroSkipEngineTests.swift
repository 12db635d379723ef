import XCTest
@testable import KWSRuntime

/// The zero-skipping engine against the dense int8 engine (bit-identical logits, every ISA) on the reference
/// fixtures quantized with synthetic calibration, dense and magnitude-pruned, and its per-layer MAC counts
/// against a brute-force count over the integer reference's activations.
final class ZeroSkipEngineTests: XCTestCase {
    static let fractions = [0.0, 0.5, 0.7, 0.85, 1.0]

    /// Windows of every kind the front end can produce, plus NaN and out-of-range ones.
    static func windows() throws -> [[Float]] {
        var windows = try Int8EngineTests.calibrationWindows(count: 3)
        windows.append([Float](repeating: .nan, count: 98 * 40))
        windows.append((0..<(98 * 40)).map { $0 % 3 == 0 ? 1e9 : -1e9 })
        windows.append([Float](repeating: -247, count: 98 * 40))
        return windows
    }

    func testLogitsEqualTheInt8EngineOnEveryISAAndSparsity() throws {
        let windows = try Self.windows()
        for name in ReferenceFixtures.modelNames {
            let (model, _) = try Int8EngineTests.quantized(name)
            let network = try XCTUnwrap(model.quantized)
            for fraction in Self.fractions {
                let pruned = model.withQuantization(network.magnitudePruned(fraction: fraction), name: "\(name)-pruned")
                let dense = try Int8Engine(model: pruned, isa: .preferred)
                for isa in KernelISA.supported {
                    let engine = try ZeroSkipEngine(model: pruned, isa: isa)
                    XCTAssertEqual(engine.kind, .zeroskip)
                    for (index, window) in windows.enumerated() {
                        var expected = [Float](), actual = [Float]()
                        dense.computeLogits(window, into: &expected)
                        engine.computeLogits(window, into: &actual)
                        XCTAssertEqual(actual, expected, "\(name) pruned \(fraction) \(isa) window \(index)")
                    }
                }
            }
        }
    }

    func testPruningReachesTheFractionInEveryLayerAndKeepsTheStemConsistent() throws {
        let (model, _) = try Int8EngineTests.quantized(ReferenceFixtures.modelNames[0])
        let network = try XCTUnwrap(model.quantized)
        for fraction in Self.fractions {
            let pruned = network.magnitudePruned(fraction: fraction)
            for (before, after) in zip(network.convolutions, pruned.convolutions) {
                let zeros = after.weights.filter { $0 == 0 }.count
                XCTAssertEqual(zeros, max(before.weights.filter { $0 == 0 }.count, Int(fraction * Double(after.weights.count))),
                               "\(after.name) at \(fraction)")
                // Kept weights are untouched and at least as large as every pruned one.
                let kept = zip(before.weights, after.weights).filter { $0.1 != 0 }
                XCTAssertTrue(kept.allSatisfy { $0.0 == $0.1 })
                let largestPruned: Int = zip(before.weights, after.weights).filter { $0.1 == 0 }.map { abs(Int($0.0)) }.max() ?? 0
                XCTAssertTrue(kept.allSatisfy { abs(Int($0.1)) >= largestPruned }, after.name)
            }
            // bias + Σ w·zeroPoint over the kept weights is the unpruned stem's bias + Σ over all weights.
            let (stem, original) = (pruned.stem, network.stem)
            let zeroPoints = network.input.zeroPoints
            for output in 0..<stem.shape.outputChannels {
                func corrected(_ conv: QuantizedConv) -> Int {
                    var sum = Int(conv.bias[output])
                    for tap in 0..<conv.shape.kernelSize {
                        for input in 0..<conv.shape.inputChannels {
                            sum += Int(conv.weight(output: output, input: input, tap: tap)) * Int(zeroPoints[input])
                        }
                    }
                    return sum
                }
                XCTAssertEqual(corrected(stem), corrected(original), "stem channel \(output) at \(fraction)")
            }
        }
    }

    /// After each inference, every layer's MAC count equals the nonzero (weight, activation) pairs over the
    /// integer reference's activations for that window; the stem counts every input (activation-dense).
    func testIssuedMACsEqualABruteForceCountOfNonzeroPairs() throws {
        let (model, _) = try Int8EngineTests.quantized(ReferenceFixtures.modelNames[0])
        let network = try XCTUnwrap(model.quantized).magnitudePruned(fraction: 0.6)
        let engine = try ZeroSkipEngine(model: model.withQuantization(network, name: "pruned"))
        XCTAssertEqual(engine.lastIssuedMACs, 0)
        XCTAssertEqual(engine.layers.map(\.name), network.convolutions.map(\.name))
        for window in try Self.windows().prefix(4) {
            var logits = [Float]()
            engine.computeLogits(window, into: &logits)
            let expected = Self.bruteForceMACs(network, features: window)
            XCTAssertEqual((0..<engine.layers.count).map { engine.issuedMACs(layer: $0) }, expected)
            XCTAssertEqual(engine.lastIssuedMACs, expected.reduce(0, +))
            XCTAssertEqual(engine.issuedMACs(layer: 0), engine.layers[0].weightNonzeroMACs, "the stem is activation-dense")
            for (index, layer) in engine.layers.enumerated() {
                XCTAssertLessThanOrEqual(engine.issuedMACs(layer: index), layer.weightNonzeroMACs, layer.name)
                XCTAssertLessThanOrEqual(layer.weightNonzeroMACs, layer.denseMACs, layer.name)
            }
        }
        XCTAssertEqual(engine.layers[1].weightSparsity, 0.6, accuracy: 0.01)
    }

    /// Per layer (``QuantizedTCResNet/convolutions`` order): pairs of a nonzero weight and a nonzero input,
    /// with the input taken from ``Int8ReferenceNetwork`` and padded with real zeros.
    static func bruteForceMACs(_ network: QuantizedTCResNet, features: [Float]) -> [Int] {
        func count(_ conv: QuantizedConv, _ input: [[Int]], dense: Bool) -> Int {
            let shape = conv.shape
            var total = 0
            for t in 0..<shape.outputLength {
                for tap in 0..<shape.kernelSize {
                    let row = t * shape.stride + tap - shape.padding
                    for channel in 0..<shape.inputChannels {
                        let x = row >= 0 && row < input.count ? input[row][channel] : 0
                        guard dense || x != 0 else { continue }
                        for output in 0..<shape.outputChannels where conv.weight(output: output, input: channel, tap: tap) != 0 {
                            total += 1
                        }
                    }
                }
            }
            return total
        }
        let coefficients = network.input.scales.count
        var activation = Int8ReferenceNetwork.quantizeInput(network.input, features: features, frames: features.count / coefficients)
        var counts = [count(network.stem, activation, dense: true)]
        activation = Int8ReferenceNetwork.convolve(network.stem, activation, padding: network.input.zeroPoints.map(Int.init), residual: nil)
        for block in network.blocks {
            var shortcut = activation
            if let projection = block.shortcut {
                counts.append(count(projection, activation, dense: false))
                shortcut = Int8ReferenceNetwork.convolve(projection, activation, padding: nil, residual: nil)
            }
            counts.append(count(block.conv1, activation, dense: false))
            let hidden = Int8ReferenceNetwork.convolve(block.conv1, activation, padding: nil, residual: nil)
            counts.append(count(block.conv2, hidden, dense: false))
            activation = Int8ReferenceNetwork.convolve(block.conv2, hidden, padding: nil, residual: shortcut)
        }
        return counts
    }

    func testZeroskipRefusesAFloatOnlyModelAndIsNamedZeroskip() throws {
        let model = try ReferenceFixtures.model(ReferenceFixtures.modelNames[0])
        XCTAssertThrowsError(try EngineKind.zeroskip.makeEngine(for: model)) { error in
            XCTAssertEqual(error as? QuantizedModelError, .notQuantized(model: model.name, engine: "zeroskip"))
            XCTAssertTrue(String(describing: error).contains("kws quantize"))
        }
        XCTAssertEqual(EngineKind(rawValue: "zeroskip"), .zeroskip)
        let (quantized, _) = try Int8EngineTests.quantized(ReferenceFixtures.modelNames[0])
        XCTAssertEqual(try EngineKind.zeroskip.makeEngine(for: quantized).kind, .zeroskip)
    }
}
