import Foundation
import KWSRuntime

/// Precision-highway engine latency (`-hw4`, `-hw2` files) per kernel ISA beside int8 and float on the same
/// architecture, with model bytes, and the share of the per-inference weight unpacking.
enum HighwayBenchmarks {
    static let runs = 2000
    static let warmup = 200

    static func run() throws {
        print("highway: µs per 98×40 window (Samples/yes.wav), \(runs) timed runs after \(warmup) warm-up, 1 thread; "
            + "model bytes = the integer parameters each engine reads (fp32: the float tensors)")
        var found = false
        for base in ["tc-resnet8", "tc-resnet14-1.5"] {
            let highway = ["hw4", "hw2"].compactMap { load("\(base)-\($0)") }
            guard !highway.isEmpty, let float = load(base) else { continue }
            found = true
            let features = try Int8Benchmarks.realisticFeatures(float)
            var logits = [Float](repeating: 0, count: float.labels.count)
            print("  \(float.architecture.displayName), \(float.macsPerInference) MACs")
            func report(_ label: String, bytes: Int, _ engine: any Engine) {
                let timing = BenchmarkTiming.measure(runs: runs, warmup: warmup) { engine.computeLogits(features, into: &logits) }
                print("    " + label.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + String(format: " median %8.2f µs  p90 %8.2f µs  %8d bytes", timing.median, timing.p90, bytes))
            }
            report("float \(KernelISA.preferred)", bytes: 4 * float.parameterCount, FloatEngine(model: float))
            if let int8 = load("\(base)-int8"), let network = int8.quantized {
                for isa in KernelISA.supported {
                    report("int8 \(name(isa))", bytes: int8Bytes(network), try Int8Engine(model: int8, isa: isa))
                }
            }
            for model in highway {
                guard let network = model.highway else { continue }
                for isa in KernelISA.supported {
                    let engine = try HighwayEngine(model: model, isa: isa)
                    report("hw\(network.weightBits) \(name(isa))", bytes: network.parameterBytes, engine)
                    let unpack = BenchmarkTiming.measure(runs: runs, warmup: warmup) { engine.unpackWeightsOnly() }
                    print("      of which weight unpacking " + String(format: "%.2f µs", unpack.median))
                }
            }
        }
        if !found { print("  no -hw<k> models in Models/ (Training/qat_runs.sh makes them)") }
    }

    static func name(_ isa: KernelISA) -> String { isa == .avx512 ? "avx512vnni" : isa.rawValue }

    static func load(_ name: String) -> TCResNetModel? {
        try? TCResNetModel.load(contentsOf: URL(fileURLWithPath: "Models/\(name).safetensors"))
    }

    /// The `quant.` parameters the int8 engine reads: s8 weights, s32 vectors, input and classifier scales.
    static func int8Bytes(_ network: QuantizedTCResNet) -> Int {
        var bytes = network.input.scales.count * 5
        for conv in network.convolutions {
            bytes += conv.weights.count + conv.bias.count * 12 + (conv.residualRescale?.count ?? 0) * 8
        }
        return bytes + network.classifier.weights.count + network.classifier.outputScales.count * 4
    }
}
