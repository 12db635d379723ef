import Foundation
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// Issue 15, item 2: `kws models` and `kws info` show the accuracy of the engine a file runs, so an int8 file
/// must not pass off its float model's figure as its own.
final class OwnTestAccuracyTests: XCTestCase {
    private func quantizedFile() throws -> [UInt8] {
        let file = try ModelFile.load(contentsOf: ReferenceFixtures.url("tc-resnet8-ref.safetensors"))
        let model = try TCResNetModel(file: file)
        let quantized = try QuantizerEmptyChannelTests.quantize(model)
        return try QuantizedTCResNet.modelFile(float: file, model: model, quantized: quantized, name: "q").encoded()
    }

    private func load(_ bytes: [UInt8]) throws -> TCResNetModel {
        try TCResNetModel(file: ModelFile(bytes: bytes, name: "q.safetensors"))
    }

    func testAFloatFileShowsItsOwnFigureAsBoth() throws {
        let model = try TCResNetModel.load(contentsOf: ReferenceFixtures.url("tc-resnet8-ref.safetensors"))
        XCTAssertEqual(model.ownTestAccuracy, 0.0833)
        XCTAssertEqual(model.floatTestAccuracy, 0.0833)
    }

    func testQuantizeMovesTheFloatFigureAside() throws {
        let model = try load(quantizedFile())
        XCTAssertNil(model.metadata["test_accuracy"], "the float figure is not the int8 network's")
        XCTAssertEqual(model.metadata["float_test_accuracy"], "0.0833")
        XCTAssertNil(model.ownTestAccuracy)
        XCTAssertEqual(model.floatTestAccuracy, 0.0833)
    }

    func testAnInt8FigureRecordedBesideTheFloatOneIsShown() throws {
        var surgery = try SafetensorsSurgery(bytes: quantizedFile())
        surgery.metadata["test_accuracy"] = "0.5"
        let model = try load(surgery.bytes())
        XCTAssertEqual(model.ownTestAccuracy, 0.5)
        XCTAssertEqual(model.floatTestAccuracy, 0.0833)
    }

    func testAnOlderInt8FileWithTheCopiedFloatFigureHasNoOwnFigure() throws {
        // What the shipped -int8 files hold: kws quantize used to copy test_accuracy unchanged.
        var surgery = try SafetensorsSurgery(bytes: quantizedFile())
        surgery.metadata["test_accuracy"] = surgery.metadata["float_test_accuracy"]
        surgery.metadata["float_test_accuracy"] = nil
        let model = try load(surgery.bytes())
        XCTAssertNil(model.ownTestAccuracy)
        XCTAssertEqual(model.floatTestAccuracy, 0.0833)
    }
}
