import Foundation
import KWS
import KWSAnalysis
import KWSAudio
import KWSCore
import KWSRuntime

/// int8 engine latency per kernel ISA next to the float engine and the acc16 variant, against the compute
/// bound (MACs ÷ the measured peak `vpdpbusd` rate), plus the streaming cost of int8 TC-ResNet8.
enum Int8Benchmarks {
    static let runs = 2000
    static let warmup = 200

    static func run() throws {
        let measured = Int8PeakRate.measureVNNI()
        let peak = measured?.best
        if let measured {
            print("int8: peak AVX-512 VNNI rate (24 independent vpdpbusd zmm in registers, 1 thread, best of 300 runs): "
                + String(format: "%.1f G int8 MAC/s (median run %.1f)", measured.best / 1e9, measured.median / 1e9))
        } else {
            print("int8: no AVX-512 VNNI on this CPU; no compute bound")
        }
        print("int8: µs per 98×40 window, \(runs) timed runs after \(warmup) warm-up, 1 thread; bound = MACs ÷ peak")
        let models = try quantizedModels()
        if models.isEmpty { print("  no quantized models in Models/ (make them with `kws quantize`)") }
        for (source, model) in models {
            let features = try realisticFeatures(model)
            let macs = model.macsPerInference
            let bound = peak.map { Double(macs) / $0 * 1e6 }
            print("  \(model.name) [\(source)]: \(model.architecture.displayName), \(macs) MACs"
                + (bound.map { String(format: ", compute bound %.2f µs", $0) } ?? ""))
            var logits = [Float](repeating: 0, count: model.labels.count)
            func report(_ label: String, _ engine: any Engine) {
                report(label) { engine.computeLogits(features, into: &logits) }
            }
            func report(_ label: String, _ body: () -> Void) {
                let timing = BenchmarkTiming.measure(runs: runs, warmup: warmup, body)
                let ratio = bound.map { String(format: "  %5.2f× bound", timing.median / $0) } ?? ""
                print("    " + label.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(format: " median %8.2f µs  p90 %8.2f µs  %6.1f G MAC/s", timing.median, timing.p90,
                             Double(macs) / (timing.median * 1e3)) + ratio)
            }
            report("float \(KernelISA.preferred)", FloatEngine(model: model))
            for isa in KernelISA.supported {
                let name = isa == .avx512 ? "avx512vnni" : isa.rawValue
                let engine = try Int8Engine(model: model, isa: isa)
                report("int8 \(name)", engine)
                // The per-layer Swift loop over the same kernels (the fused call's reference), for comparison.
                if isa > .scalar { report("  per-layer \(isa.rawValue)") { engine.computeLogitsPerLayer(features, into: &logits) } }
            }
            for isa in KernelISA.supported where isa <= .avx2 {
                report("int8-acc16 \(isa)", try Int8Engine(model: model, isa: isa, accumulation: .acc16))
            }
        }
        if let (source, model) = models.first(where: { $0.model.architecture.displayName == "TC-ResNet8" }) {
            try streaming(model, source: source)
        }
    }

    /// CPU time per second of audio for `KeywordSpotter` (front end, engine, detector) at two hops.
    static func streaming(_ model: TCResNetModel, source: String) throws {
        let seconds = 30
        var generator = SeededRandom(seed: 7)
        let audio = (0..<(seconds * KeywordSpotter.sampleRate)).map { _ in Float(Int(generator.next() % 2001) - 1000) / 10_000 }
        print("  streaming \(model.name) [\(source)], int8, \(seconds) s of noise fed in 10 ms chunks:")
        for hop in [100, 20] {
            let spotter = try KeywordSpotter(model: model, engine: .int8,
                                             configuration: DetectorConfiguration(hopMilliseconds: hop))
            let chunk = KeywordSpotter.sampleRate / 100
            let start = clock()
            for offset in stride(from: 0, to: audio.count, by: chunk) {
                _ = spotter.feed(Array(audio[offset..<min(audio.count, offset + chunk)]))
            }
            let cpu = Double(clock() - start) / Double(CLOCKS_PER_SEC)
            print(String(format: "    hop %3d ms: %7.1f µs CPU per audio second (%.3f%% of one core)", hop,
                         cpu / Double(seconds) * 1e6, cpu / Double(seconds) * 100))
        }
    }

    /// Models in `Models/` that carry int8 parameters; pruned (`-sparse`) files only when asked, since the
    /// dense kernels take the same time on them. `KWS_BENCH_MODELS=a,b` keeps only those model names
    /// (`make bench`'s summary table times the four architectures' dense files alone).
    static func quantizedModels(includingPruned: Bool = false) throws -> [(source: String, model: TCResNetModel)] {
        let only = ProcessInfo.processInfo.environment["KWS_BENCH_MODELS"].map { Set($0.split(separator: ",").map(String.init)) }
        let directory = URL(fileURLWithPath: "Models", isDirectory: true)
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "safetensors" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return files.filter { includingPruned || !$0.lastPathComponent.contains("-sparse") }.compactMap { file in
            guard only?.contains(file.deletingPathExtension().lastPathComponent) ?? true,
                  let model = try? TCResNetModel.load(contentsOf: file), model.quantized != nil else { return nil }
            return ("Models/\(file.lastPathComponent)", model)
        }
    }

    /// A real clip's features when Samples/yes.wav is there (so activations look like real ones), else noise.
    static func realisticFeatures(_ model: TCResNetModel) throws -> [Float] {
        if let audio = try? AudioFile(contentsOf: URL(fileURLWithPath: "Samples/yes.wav")) {
            var second = [Float](repeating: 0, count: KeywordSpotter.sampleRate)
            let count = min(second.count, audio.samples.count)
            second.replaceSubrange(0..<count, with: audio.samples[0..<count])
            return try FeatureExtractor.features(of: second, config: model.frontEnd).values
        }
        var generator = SeededRandom(seed: 1)
        return (0..<(model.inputFrames * model.inputCoefficients)).map { _ in Float(Int(generator.next() % 2001) - 1000) / 20 }
    }
}
