import XCTest
@testable import KWSRuntime

/// The layer trace against the int8 engine (same logits, bit for bit) and each traced layer against the
/// plain integer reference, on real clips (Samples/) through the shipped int8 models and on the reference
/// fixtures.
final class Int8LayerTraceTests: XCTestCase {
    func testTraceLogitsEqualTheEngineOnRealClips() throws {
        let models = try SparsityTestSupport.shippedInt8Models()
        try XCTSkipIf(models.isEmpty, "no Models/*-int8.safetensors")
        for model in models {
            let engine = try Int8Engine(model: model)
            for (index, window) in try SparsityTestSupport.sampleWindows(config: model.frontEnd).enumerated() {
                var expected = [Float]()
                engine.computeLogits(window, into: &expected)
                let trace = try Int8LayerTrace(model: model, features: window)
                XCTAssertEqual(trace.logits, expected, "\(model.name) clip \(index)")
                XCTAssertEqual(trace.layers.map(\.conv.name), try XCTUnwrap(model.quantized).convolutions.map(\.name))
            }
        }
    }

    func testTraceLogitsEqualTheEngineOnTheReferenceFixtures() throws {
        for name in ReferenceFixtures.modelNames {
            let (model, _) = try Int8EngineTests.quantized(name)
            let engine = try Int8Engine(model: model)
            for window in try Int8EngineTests.calibrationWindows(count: 2) {
                var expected = [Float]()
                engine.computeLogits(window, into: &expected)
                XCTAssertEqual(try Int8LayerTrace(model: model, features: window).logits, expected, name)
            }
        }
    }

    /// Every layer's output is what the integer reference computes from the traced input, the padding rows
    /// hold the code of real 0, and each layer reads what the layer before it wrote.
    func testEachTracedLayerIsTheReferenceConvolutionOfItsInput() throws {
        var models = try SparsityTestSupport.shippedInt8Models()
        models.append(try Int8EngineTests.quantized(ReferenceFixtures.modelNames[1]).0)
        for model in models {
            let network = try XCTUnwrap(model.quantized)
            for window in try SparsityTestSupport.sampleWindows(config: model.frontEnd, limit: 3) {
                let trace = try Int8LayerTrace(model: model, features: window)
                var realInputs = [[[Int]]]()
                for layer in trace.layers {
                    let shape = layer.shape
                    XCTAssertEqual(layer.paddedRows, (shape.outputLength - 1) * shape.stride + shape.kernelSize)
                    var rows = [[Int]]()
                    for row in 0..<layer.paddedRows {
                        let values = (0..<shape.inputChannels).map { Int(layer.input(row: row, channel: $0)) }
                        if layer.isPadding(row: row) { XCTAssertEqual(values, layer.paddingCodes.map(Int.init), layer.conv.name) }
                        else { rows.append(values) }
                    }
                    // A 1×1 stride-2 shortcut never reads the last row of an even-length input.
                    let missing = shape.inputLength - rows.count
                    XCTAssertTrue(missing == 0 || (shape.kernelSize == 1 && missing == 1), layer.conv.name)
                    realInputs.append(rows)
                    let expected = Int8ReferenceNetwork.convolve(layer.conv, rows + Array(repeating: [Int](repeating: 0, count: shape.inputChannels), count: missing),
                                                                 padding: layer.paddingCodes.map(Int.init),
                                                                 residual: layer.residual.map { Self.rows($0, channels: shape.outputChannels) })
                    XCTAssertEqual(expected.flatMap { $0.map(UInt8.init) }, layer.output, "\(model.name) \(layer.conv.name)")
                }
                XCTAssertEqual(realInputs[0], Int8ReferenceNetwork.quantizeInput(network.input, features: window, frames: model.inputFrames))
                XCTAssertTrue(trace.layers[0].hasZeroPointInput)
                XCTAssertFalse(trace.layers.dropFirst().contains { $0.hasZeroPointInput })
                // Chain: the layer a conv reads is the output of the conv that wrote it.
                let names = trace.layers.map(\.conv.name)
                for (index, layer) in trace.layers.enumerated() where index > 0 {
                    let source = Self.sourceLayer(of: layer.conv.name, names: names)
                    let written = Self.rows(trace.layers[source].output, channels: layer.shape.inputChannels)
                    XCTAssertEqual(Array(written.prefix(realInputs[index].count)), realInputs[index], "\(layer.conv.name) reads \(names[source])")
                }
            }
        }
    }

    func testFloatOnlyModelIsRejected() throws {
        let model = try ReferenceFixtures.model(ReferenceFixtures.modelNames[0])
        XCTAssertThrowsError(try Int8LayerTrace(model: model, features: [Float](repeating: 0, count: 98 * 40))) { error in
            guard case QuantizedModelError.notQuantized = error else { return XCTFail("\(error)") }
        }
    }

    static func rows(_ flat: [UInt8], channels: Int) -> [[Int]] {
        stride(from: 0, to: flat.count, by: channels).map { flat[$0..<($0 + channels)].map(Int.init) }
    }

    /// Index of the layer whose output `name` reads: conv2 reads its conv1; conv1 and the shortcut read the
    /// previous block's conv2 (or the stem).
    static func sourceLayer(of name: String, names: [String]) -> Int {
        let index = names.firstIndex(of: name)!
        if name.hasSuffix(".conv2") { return names.firstIndex(of: name.replacingOccurrences(of: ".conv2", with: ".conv1"))! }
        return names[..<index].lastIndex { $0.hasSuffix(".conv2") || $0 == "stem.conv" }!
    }
}
