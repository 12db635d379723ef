import Foundation
import KWSRuntime
import KWSTestSupport
import XCTest

/// The shipped precision-highway models and `Fixtures/highway/` (written by Training/highway_fixture.py):
/// MFCC windows of real test clips and, per model, the trainer's numpy integer network outputs and the
/// fake-quantized PyTorch logits.
enum HighwayFixtures {
    static let shipped = ["tc-resnet8-hw4", "tc-resnet8-hw2", "tc-resnet14-1.5-hw4", "tc-resnet14-1.5-hw2"]

    struct Expected: Decodable {
        let logits: [[Float]]
        let time_sums: [[Int64]]
        let fake_quant_logits: [[Float]]
        let trace: [String: String]
        let trace_shapes: [String: [Int]]
    }

    struct Index: Decodable {
        let inputs: String
        let clips: [String]
        let windows: Int
        let frames: Int
        let coefficients: Int
        let models: [String: Expected]
    }

    static func modelURL(_ name: String) -> URL { TestPaths.file("Models/\(name).safetensors") }

    static func model(_ name: String) throws -> TCResNetModel { try TCResNetModel.load(contentsOf: modelURL(name)) }

    static func url(_ name: String) -> URL { TestPaths.file("Tests/KWSRuntimeTests/Fixtures/highway/\(name)") }

    static func index() throws -> Index {
        try JSONDecoder().decode(Index.self, from: Data(contentsOf: url("expected.json")))
    }

    /// Every fixture window, `frames × coefficients` floats, time-major.
    static func windows() throws -> [[Float]] {
        let index = try index()
        let data = [UInt8](try Data(contentsOf: url(index.inputs)))
        let perWindow = index.frames * index.coefficients
        XCTAssertEqual(data.count, index.windows * perWindow * 4, "inputs.f32 size")
        return (0..<index.windows).map { window in
            (0..<perWindow).map { element in
                let at = (window * perWindow + element) * 4
                return Float(bitPattern: UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16
                    | UInt32(data[at + 3]) << 24)
            }
        }
    }
}
