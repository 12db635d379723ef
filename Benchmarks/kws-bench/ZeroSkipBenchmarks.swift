import Foundation
import KWS
import KWSAudio
import KWSRuntime

/// The zero-skipping engine against dense int8 (VNNI) and float at 0/50/70/85% weight sparsity on
/// TC-ResNet8, all engines timed interleaved in one run on the same real clips, with the MACs zeroskip
/// actually issued and the crossover sparsity where it beats dense VNNI (if any).
enum ZeroSkipBenchmarks {
    static let runs = 2000
    static let warmup = 200
    static let sparsities = [0, 50, 70, 85]

    typealias Row = InterleavedEngine

    static func run() throws {
        let base = URL(fileURLWithPath: "Models/tc-resnet8-int8.safetensors")
        guard let dense = try? TCResNetModel.load(contentsOf: base), let network = dense.quantized else {
            print("zeroskip: no Models/tc-resnet8-int8.safetensors; skipped")
            return
        }
        let clips = try sampleFeatures(dense)
        print("zeroskip: \(dense.name), µs per 98×40 window, \(runs) runs after \(warmup) warm-up, interleaved (each run: "
            + "every engine on the same clip, \(clips.count) Samples/*.wav clips in turn), 1 thread")
        var results = [Result]()
        for sparsity in sparsities + [100] {
            let (model, source) = try sparseModel(sparsity: sparsity, dense: dense, network: network)
            print(sparsity == 100
                  ? "  100% weight sparsity (every conv weight zero: the cost floor of zeroskip, nothing left to multiply)"
                  : "  \(sparsity)% weight sparsity: \(source)")
            var rows = [Row(label: "float \(KernelISA.preferred)", engine: FloatEngine(model: model)),
                        Row(label: "int8 \(isaName(KernelISA.preferred, vnni: true))", engine: try Int8Engine(model: model))]
            for isa in KernelISA.supported.reversed() {
                rows.append(Row(label: "zeroskip \(isaName(isa, vnni: false))", engine: try ZeroSkipEngine(model: model, isa: isa)))
            }
            let work = try issuedWork(model, clips: clips)
            try checkParity(rows, clips: clips)
            InterleavedEngine.measure(&rows, clips: clips, runs: runs, warmup: warmup)
            let denseMACs = model.macsPerInference
            print(String(format: "    zeroskip issues %.0f MACs per window on average, %.1f%% of the %d dense conv MACs "
                + "(zero weights alone would leave %.1f%%; the stem skips weight zeros only)",
                         work.issued, 100 * work.issued / Double(work.dense), work.dense, 100 * Double(work.weightOnly) / Double(work.dense)))
            var best: (label: String, median: Double)?
            for row in rows {
                let sorted = row.samples.sorted()
                let median = sorted[sorted.count / 2], p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
                let isZeroSkip = row.label.hasPrefix("zeroskip")
                let macs = isZeroSkip ? work.issued : Double(denseMACs)
                print("    " + row.label.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + String(format: " median %8.2f µs  p90 %8.2f µs  min %8.2f µs  %7.2f G %@ MAC/s", median, p90, sorted[0],
                             macs / (median * 1e3),
                             isZeroSkip ? "issued" : "dense"))
                if isZeroSkip, median < best?.median ?? .infinity { best = (row.label, median) }
            }
            let int8 = rows[1].samples.sorted()[rows[1].samples.count / 2]
            if let best {
                results.append(Result(sparsity: sparsity, int8: int8, zeroskip: best.median, zeroskipLabel: best.label,
                                      issued: work.issued, denseMACs: denseMACs, laneSlots: work.laneSlots))
            }
        }
        report(results)
    }

    struct Result {
        let sparsity: Int
        let int8: Double
        let zeroskip: Double
        let zeroskipLabel: String
        let issued: Double
        let denseMACs: Int
        /// 64 × the (step, output channel, 64-position word) triples: the `vpdpbusd` lanes the AVX-512 variant issues.
        let laneSlots: Int
    }

    /// The crossover, or why there is none, from the measured medians and MAC rates.
    static func report(_ results: [Result]) {
        let measured = results.filter { $0.sparsity < 100 }
        if let first = measured.first(where: { $0.zeroskip < $0.int8 }) {
            let previous = measured.last { $0.sparsity < first.sparsity }
            print("  crossover: \(first.zeroskipLabel) beats dense int8 VNNI "
                + (previous.map { "between \($0.sparsity)% and \(first.sparsity)%" } ?? "already at \(first.sparsity)%")
                + String(format: " weight sparsity (%.2f vs %.2f µs at %d%%)", first.zeroskip, first.int8, first.sparsity))
            return
        }
        guard let last = measured.last else { return }
        let zeroskipRate = last.issued / last.zeroskip
        let denseRate = Double(last.denseMACs) / last.int8
        var line = "  crossover: never up to \(last.sparsity)%. At \(last.sparsity)% \(last.zeroskipLabel) takes "
            + String(format: "%.2f µs vs %.2f µs for dense VNNI: %.2f G issued MAC/s against %.1f G dense MAC/s, so it would "
                     + "have to issue at most %.1f%% of the dense MACs to win; it issues %.1f%%. The reason: the unit of work "
                     + "on this CPU is a 64-lane vpdpbusd. Dense VNNI fills every lane (16 channels × 4 depth positions); "
                     + "the AVX-512 zeroskip issues one per (step, channel, 64 positions) with only the nonzero pairs live "
                     + "(%.1f%% of its lanes here), and the variants that skip empty words (avx2bmi2, scalar) pay a scalar "
                     + "multiply per pair.",
                     last.zeroskip, last.int8, zeroskipRate / 1e3, denseRate / 1e3,
                     100 * last.int8 * zeroskipRate / Double(last.denseMACs), 100 * last.issued / Double(last.denseMACs),
                     100 * last.issued / Double(last.laneSlots))
        if let floor = results.first(where: { $0.sparsity == 100 }) {
            line += String(format: " Even with no MAC left (100%%: masks, intersections, epilogue) the fastest zeroskip (%@) takes "
                           + "%.2f µs vs %.2f µs", floor.zeroskipLabel.replacingOccurrences(of: "zeroskip ", with: ""),
                           floor.zeroskip, floor.int8)
                + (floor.zeroskip < floor.int8 ? ", so a crossover lies somewhere above \(last.sparsity)%." : ", so on this CPU it never wins.")
        }
        print(line)
    }

    /// A trained `Models/tc-resnet8-sparseNN-int8.safetensors` when it exists, else the shipped weights
    /// magnitude-pruned per conv layer (stem included, classifier not) without fine-tuning.
    static func sparseModel(sparsity: Int, dense: TCResNetModel, network: QuantizedTCResNet) throws -> (TCResNetModel, String) {
        if sparsity == 0 { return (dense, "Models/tc-resnet8-int8.safetensors as shipped") }
        let trained = URL(fileURLWithPath: "Models/tc-resnet8-sparse\(sparsity)-int8.safetensors")
        if sparsity < 100, FileManager.default.fileExists(atPath: trained.path) {
            let model = try TCResNetModel.load(contentsOf: trained)
            if model.quantized != nil { return (model, "Models/\(trained.lastPathComponent) (trained pruned model)") }
        }
        let pruned = network.magnitudePruned(fraction: Double(sparsity) / 100)
        return (dense.withQuantization(pruned, name: "\(dense.name)-pruned\(sparsity)"),
                "no trained Models/tc-resnet8-sparse\(sparsity)-int8.safetensors, so the shipped int8 weights "
                + "magnitude-pruned to \(sparsity)% in every conv layer (stem included, no fine-tuning: timing only)")
    }

    /// Mean MACs zeroskip issues over the clips, with the dense and weight-only counts.
    static func issuedWork(_ model: TCResNetModel, clips: [[Float]]) throws -> (issued: Double, weightOnly: Int, dense: Int, laneSlots: Int) {
        let engine = try ZeroSkipEngine(model: model)
        var logits = [Float](), total = 0
        for clip in clips {
            engine.computeLogits(clip, into: &logits)
            total += engine.lastIssuedMACs
        }
        let slots = engine.layers.reduce(0) { sum, layer in
            let shape = layer.shape
            return sum + shape.outputLength * shape.outputChannels * ((shape.kernelSize * shape.inputChannels + 63) / 64) * 64
        }
        return (Double(total) / Double(clips.count), engine.layers.reduce(0) { $0 + $1.weightNonzeroMACs },
                engine.layers.reduce(0) { $0 + $1.denseMACs }, slots)
    }

    /// Refuses to time a zeroskip engine whose logits differ from int8's (they are bit-identical by design).
    static func checkParity(_ rows: [Row], clips: [[Float]]) throws {
        for clip in clips {
            var expected = [Float](), actual = [Float]()
            rows[1].engine.computeLogits(clip, into: &expected)
            for row in rows.dropFirst(2) {
                row.engine.computeLogits(clip, into: &actual)
                guard actual == expected else { throw BenchmarkError.mismatch("\(row.label) logits differ from int8") }
            }
        }
    }

    /// Features of the one-second clips in Samples/ (not the long sequence), or noise when there are none.
    static func sampleFeatures(_ model: TCResNetModel) throws -> [[Float]] {
        let directory = URL(fileURLWithPath: "Samples", isDirectory: true)
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "wav" && $0.lastPathComponent != "sequence.wav" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var clips = [[Float]]()
        for file in files {
            guard let clip = try? ClipWindow(contentsOf: file) else { continue }
            clips.append(try FeatureExtractor.features(of: clip.samples, config: model.frontEnd).values)
        }
        return clips.isEmpty ? [try Int8Benchmarks.realisticFeatures(model)] : clips
    }

    static func isaName(_ isa: KernelISA, vnni: Bool) -> String {
        switch isa {
        case .avx512: return vnni ? "avx512vnni" : "avx512vbmi2"
        case .avx2: return vnni ? "avx2" : "avx2bmi2"
        case .scalar: return "scalar"
        }
    }

    enum BenchmarkError: Error, CustomStringConvertible {
        case mismatch(String)
        var description: String {
            switch self { case .mismatch(let text): return text }
        }
    }
}
