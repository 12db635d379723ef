import KWSRuntime
import KWSTestSupport
import XCTest

/// Random corruptions of a valid file: loading must throw a `ModelError` or succeed, never crash; a model
/// that still loads must still run.
final class ModelFuzzTests: XCTestCase {
    func testRandomCorruptionsNeverCrash() throws {
        let name = "tc-resnet14-0.5-ref.safetensors"
        let valid = try ReferenceFixtures.bytes(name)
        let headerEnd = 8 + Int(valid[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        var random = SplitMix64(seed: 0x5EED)
        var outcomes = [String: Int]()
        for iteration in 0..<1000 {
            var bytes = valid
            switch iteration % 5 {
            case 0, 1:  // flip bits in the header, where most structure is
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 0..<headerEnd, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
                }
            case 2:  // overwrite header bytes with JSON-ish characters
                let alphabet = Array("0123456789-.e[]{}\",: ".utf8)
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    bytes[Int.random(in: 8..<headerEnd, using: &random)] = alphabet.randomElement(using: &random)!
                }
            case 3:  // flip bytes anywhere, including the weights
                for _ in 0..<Int.random(in: 1...16, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
                }
            default:  // truncate or extend
                if Bool.random(using: &random) {
                    bytes.removeLast(Int.random(in: 1..<bytes.count, using: &random))
                } else {
                    bytes += (0..<Int.random(in: 1...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                }
            }
            do {
                let model = try TCResNetModel(file: ModelFile(bytes: bytes, name: name))
                let engine = FloatEngine(model: model, isa: .scalar)
                var logits = [Float]()
                engine.computeLogits([Float](repeating: 1, count: model.inputFrames * model.inputCoefficients), into: &logits)
                XCTAssertEqual(logits.count, model.labels.count, "iteration \(iteration)")
                outcomes["loaded", default: 0] += 1
            } catch let error as ModelError {
                XCTAssertFalse(error.description.contains("\n"), "iteration \(iteration): \(error.description)")
                outcomes[Mirror(reflecting: error).children.first?.label ?? "\(error)", default: 0] += 1
            }
        }
        print("fuzz outcomes:", outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        XCTAssertGreaterThan(outcomes.count, 5, "corruptions should reach many different checks")
    }
}
