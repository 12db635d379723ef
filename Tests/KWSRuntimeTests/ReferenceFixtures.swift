import Foundation
import KWSRuntime
import KWSTestSupport
import XCTest

/// The fixtures written by `Fixtures/make_reference_models.py`: random-weight models, feature windows
/// and the numpy reference logits (float64, unfolded batch norm).
enum ReferenceFixtures {
    static let directory = "Tests/KWSRuntimeTests/Fixtures/"
    static let modelNames = ["tc-resnet8-ref.safetensors", "tc-resnet14-0.5-ref.safetensors",
                             "tc-resnet8-0.75-ref.safetensors"]

    struct Expected: Decodable {
        let labels: [String]
        let channels: [Int]
        let logits: [[Double]]
    }

    struct Index: Decodable {
        let inputs: String
        let windows: Int
        let frames: Int
        let coefficients: Int
        let models: [String: Expected]
    }

    static func url(_ name: String) -> URL { TestPaths.file(directory + name) }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(name))) }

    static func model(_ name: String) throws -> TCResNetModel { try TCResNetModel.load(contentsOf: url(name)) }

    static func index() throws -> Index {
        try JSONDecoder().decode(Index.self, from: Data(contentsOf: url("reference_logits.json")))
    }

    /// Every window, each `frames × coefficients` floats, time-major.
    static func windows() throws -> [[Float]] {
        let index = try index()
        let data = [UInt8](try Data(contentsOf: url(index.inputs)))
        let perWindow = index.frames * index.coefficients
        XCTAssertEqual(data.count, index.windows * perWindow * 4, "reference_inputs.f32 size")
        return (0..<index.windows).map { window in
            (0..<perWindow).map { element in
                let at = (window * perWindow + element) * 4
                return Float(bitPattern: UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16
                    | UInt32(data[at + 3]) << 24)
            }
        }
    }
}
