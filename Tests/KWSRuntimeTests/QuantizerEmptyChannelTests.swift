import Foundation
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// Magnitude pruning can empty an output channel (all its weights 0; Models/*-sparse85 have some in the
/// 1×1 shortcuts). Its s8 codes are 0 for any weight step, but the step still fixes its requantization
/// multiplier, which must stay below 1: the quantizer gives it the layer's finest step.
final class QuantizerEmptyChannelTests: XCTestCase {
    /// `tc-resnet8-ref` with output channel 0 of `blocks.0.conv1` and `blocks.0.shortcut.conv` emptied, and
    /// the shortcut's BN scaled by 0.01 so its output range is far below its input range (as for a pruned
    /// shortcut): a fixed step of 1 for the empty channel gives a multiplier above 1 there.
    static func emptiedModel() throws -> TCResNetModel {
        let file = try ModelFile.load(contentsOf: ReferenceFixtures.url("tc-resnet8-ref.safetensors"))
        let emptied: Set = ["blocks.0.conv1.weight", "blocks.0.shortcut.conv.weight"]
        let shrunk: Set = ["blocks.0.shortcut.bn.weight", "blocks.0.shortcut.bn.bias"]
        var writer = ModelFileWriter(metadata: file.metadata)
        for name in file.tensors.keys.sorted() {
            let shape = try file.tensor(name).shape
            var values = try file.floats(name)
            if emptied.contains(name) {
                // PyTorch layout [C_out][C_in][k]: output channel 0 is the first C_in·k values.
                values.replaceSubrange(0..<(values.count / shape[0]), with: repeatElement(0, count: values.count / shape[0]))
            }
            if shrunk.contains(name) { values = values.map { $0 * 0.01 } }
            writer.append(name, floats: values, shape: shape)
        }
        return try TCResNetModel(file: ModelFile(bytes: writer.encoded(), name: "emptied.safetensors"))
    }

    static func quantize(_ model: TCResNetModel) throws -> QuantizedTCResNet {
        var calibration = Calibration(model: model, estimator: .minmax)
        let windows = try Int8EngineTests.calibrationWindows()
        calibration.observe(batch: Array(windows[..<14]))
        calibration.observe(batch: Array(windows[14...]))
        return try Quantizer.quantize(model, calibration: calibration, batchSize: 14, distinctClips: windows.count,
                                      augmentedClips: 0, source: "synthetic")
    }

    static func real(_ m: FixedPointMultiplier) -> Double { Double(m.multiplier) * pow(2, -Double(m.shift)) }

    func testEmptyChannelGetsTheLayersFinestStep() throws {
        let model = try Self.emptiedModel()
        let network = try Self.quantize(model)
        let shortcut = try XCTUnwrap(network.blocks[0].shortcut)
        for conv in [network.blocks[0].conv1, shortcut] {
            let shape = conv.shape
            for tap in 0..<shape.kernelSize {
                for input in 0..<shape.inputChannels {
                    XCTAssertEqual(conv.weight(output: 0, input: input, tap: tap), 0, "\(conv.name) tap \(tap) input \(input)")
                }
            }
            // The finest step has the smallest multiplier of the layer; the empty channel shares it exactly.
            let others = conv.requantization.dropFirst().min { Self.real($0) < Self.real($1) }
            XCTAssertEqual(conv.requantization[0], others, conv.name)
            XCTAssertLessThan(Self.real(conv.requantization[0]), 1, conv.name)
        }
        // The case the old fixed step of 1 failed on: the empty shortcut channel's multiplier would be
        // input scale / output scale, above 1 with the shrunk BN.
        let info = network.info
        XCTAssertGreaterThan(try XCTUnwrap(info.activationScales["stem"]) / XCTUnwrap(info.activationScales["blocks.0.shortcut"]), 1)
    }

    func testEnginesAgreeOnAModelWithEmptyChannels() throws {
        let model = try Self.emptiedModel()
        let network = try Self.quantize(model)
        let quantized = model.withQuantization(network, name: "emptied-int8")
        let float = FloatEngine(model: quantized)
        let zeroskip = try EngineKind.zeroskip.makeEngine(for: quantized)
        for (index, window) in try ReferenceFixtures.windows().enumerated() {
            let reference = Int8ReferenceNetwork.logits(network, features: window)
            for isa in KernelISA.supported {
                var logits = [Float]()
                try Int8Engine(model: quantized, isa: isa).computeLogits(window, into: &logits)
                XCTAssertEqual(logits, reference, "int8 \(isa) window \(index)")
            }
            var skipped = [Float](), expected = [Float]()
            zeroskip.computeLogits(window, into: &skipped)
            XCTAssertEqual(skipped, reference, "zeroskip window \(index)")
            float.computeLogits(window, into: &expected)
            let range = (expected.max() ?? 0) - (expected.min() ?? 0)
            let worst = zip(expected, reference).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 0.15 * range + 1e-3, "window \(index): int8 \(reference) vs float \(expected)")
        }
    }
}
