import Foundation
import KWSAudio
import KWSCore
import KWSRuntime

/// Float engine latency per kernel ISA: µs per 98 × 40 window, single thread, and the GFLOP/s that
/// implies (2 FLOPs per multiply-accumulate, TC_TABLES.md MAC counts).
enum EngineBenchmarks {
    static let runs = 1000
    static let warmup = 100

    static func run() throws {
        let models = try benchmarkModels()
        // KWS_ISA picks one level; otherwise every level this CPU supports is timed.
        let environment = ProcessInfo.processInfo.environment[KernelISA.environmentVariable]
        let levels = environment == nil ? KernelISA.supported : [KernelISA.preferred]
        print("engine: FloatEngine.computeLogits, \(runs) timed runs after \(warmup) warm-up, 1 thread, "
            + "kernel ISAs \(levels.map(\.rawValue).joined(separator: ", ")) (detected: \(KernelISA.detected))")
        for (source, model) in models {
            let features = randomFeatures(count: model.inputFrames * model.inputCoefficients)
            let macs = model.macsPerInference
            print("  \(model.name) [\(source)]: \(model.architecture.displayName), \(macs) MACs, "
                + "\(model.parameterCount) weights")
            for isa in levels {
                let engine = FloatEngine(model: model, isa: isa)
                var logits = [Float](repeating: 0, count: model.labels.count)
                let timing = BenchmarkTiming.measure(runs: runs, warmup: warmup) {
                    engine.computeLogits(features, into: &logits)
                }
                let gflops = 2 * Double(macs) / (timing.median * 1e3)
                let name = isa.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                print("    \(name)" + String(format: " median %8.2f µs  p90 %8.2f µs  %6.1f GFLOP/s",
                                                timing.median, timing.p90, gflops))
            }
        }
    }

    /// Trained models in `Models/`, or, while there are none, random-weight models of the paper's four
    /// configurations (latency does not depend on the weights' values).
    static func benchmarkModels() throws -> [(source: String, model: TCResNetModel)] {
        let directory = URL(fileURLWithPath: "Models", isDirectory: true)
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "safetensors" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var models = [(source: String, model: TCResNetModel)]()
        var derived = 0
        for file in files {
            do {
                let model = try TCResNetModel.load(contentsOf: file)
                // Quantized, low-bit and pruned files hold the same float network shapes as their dense float
                // file, and the float engine's time does not depend on weight values: timing them again only
                // repeats rows (their own engines have their own sections).
                if model.quantized != nil || model.outlier != nil || model.highway != nil
                    || file.lastPathComponent.contains("-sparse") {
                    derived += 1
                    continue
                }
                models.append(("Models/\(file.lastPathComponent)", model))
            } catch {
                print("  skipping Models/\(file.lastPathComponent): \(error)")
            }
        }
        if derived > 0 { print("  (\(derived) quantized, low-bit or pruned files not repeated: same float network as their base file)") }
        if !models.isEmpty { return models }
        print("  no float models in Models/: timing random-weight models of the paper's configurations")
        for (family, width) in [(Architecture.Family.tcResNet8, 1.0), (.tcResNet8, 1.5), (.tcResNet14, 1.0), (.tcResNet14, 1.5)] {
            models.append(("random weights", try randomModel(family: family, width: width)))
        }
        return models
    }

    static func randomModel(family: Architecture.Family, width: Double) throws -> TCResNetModel {
        guard let architecture = Architecture(family: family, widthMultiplier: width) else {
            throw ModelError.badWidthMultiplier(file: "benchmark", found: "\(width)")
        }
        let labels = ["_silence_", "_unknown_", "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
        let frontEnd = String(decoding: try JSONEncoder().encode(FrontEndConfig.tcResNet), as: UTF8.self)
        let labelsJSON = String(decoding: try JSONEncoder().encode(labels), as: UTF8.self)
        let name = architecture.displayName.lowercased()
        var writer = ModelFileWriter(metadata: [
            "format_version": "1", "architecture": family.rawValue, "width_multiplier": "\(width)",
            "labels": labelsJSON, "frontend": frontEnd, "padding": "symmetric", "bn_epsilon": "0.001", "name": name,
        ])
        var generator = SystemRandomNumberGenerator()
        for spec in architecture.tensorSpecs(inputCoefficients: FrontEndConfig.tcResNet.coefficients, labelCount: labels.count) {
            let count = spec.shape.reduce(1, *)
            let values: [Float]
            switch spec.name {
            case let name where name.hasSuffix("running_var") || name.hasSuffix("bn.weight") || name.hasSuffix("bn1.weight")
                || name.hasSuffix("bn2.weight"):
                values = [Float](repeating: 1, count: count)
            case let name where name.hasSuffix("running_mean") || name.hasSuffix(".bias"):
                values = [Float](repeating: 0, count: count)
            default:
                let limit = (6 / Float(count / spec.shape[0] + spec.shape[0])).squareRoot()
                values = (0..<count).map { _ in Float.random(in: -limit...limit, using: &generator) }
            }
            writer.append(spec.name, floats: values, shape: spec.shape)
        }
        return try TCResNetModel(file: ModelFile(bytes: writer.encoded(), name: name + ".safetensors"))
    }

    static func randomFeatures(count: Int) -> [Float] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in Float.random(in: -20...20, using: &generator) }
    }
}
