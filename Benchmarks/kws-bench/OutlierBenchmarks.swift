import Foundation
import KWS
import KWSAnalysis
import KWSAudio
import KWSRuntime

/// The outlier-aware 4-bit engine against int8 and float on every shipped `Models/*-ol4-*` file, all engines
/// timed interleaved in one run on the same real clips, with model bytes and the per-stage split of the outlier
/// engine (the sparse outlier pass as a fraction of the dense pass).
enum OutlierBenchmarks {
    static let runs = 2000
    static let warmup = 200

    typealias Row = InterleavedEngine

    static func run() throws {
        let directory = URL(fileURLWithPath: "Models", isDirectory: true)
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.lastPathComponent.contains("-ol4-") && $0.pathExtension == "safetensors" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else {
            print("outlier: no Models/*-ol4-*.safetensors (make them with `kws quantize --scheme outlier`); skipped")
            return
        }
        print("outlier: µs per 98×40 window, \(runs) runs after \(warmup) warm-up, interleaved (each run: every engine on the "
            + "same clip, the Samples/*.wav clips in turn), 1 thread")
        for file in files {
            let model = try TCResNetModel.load(contentsOf: file)
            guard let network = model.outlier else { continue }
            let base = file.lastPathComponent.components(separatedBy: "-ol4-")[0]
            let int8File = directory.appendingPathComponent("\(base)-int8.safetensors")
            let int8Model = try? TCResNetModel.load(contentsOf: int8File)
            let clips = try ZeroSkipBenchmarks.sampleFeatures(model)
            let size = OutlierModelSize(network)
            print("  \(model.name) [Models/\(file.lastPathComponent)]: \(model.architecture.displayName), r = "
                + String(format: "%g%%", network.info.outlierRatio * 100) + ", \(model.macsPerInference) MACs; integer model bytes "
                + "ol4 \(size.totalBytes) (\(percent(size.totalBytes, size.int8Bytes)) of int8 \(size.int8Bytes)), fp32 weights \(size.float32WeightBytes)")
            var rows = [Row(label: "float \(KernelISA.preferred)", engine: FloatEngine(model: model))]
            if let int8Model {
                for isa in KernelISA.supported.reversed() where isa != .scalar {
                    rows.append(Row(label: "int8 \(ZeroSkipBenchmarks.isaName(isa, vnni: true))", engine: try Int8Engine(model: int8Model, isa: isa)))
                }
            } else {
                print("    (no Models/\(int8File.lastPathComponent): int8 rows skipped)")
            }
            for isa in KernelISA.supported.reversed() where isa != .scalar {
                rows.append(Row(label: "outlier \(ZeroSkipBenchmarks.isaName(isa, vnni: true))", engine: try OutlierEngine(model: model, isa: isa)))
            }
            InterleavedEngine.measure(&rows, clips: clips, runs: runs, warmup: warmup)
            for row in rows {
                let sorted = row.samples.sorted()
                let median = sorted[sorted.count / 2], p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
                print("    " + row.label.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(format: " median %8.2f µs  p90 %8.2f µs  min %8.2f µs", median, p90, sorted[0]))
            }
            let counter = try OutlierEngine(model: model)
            var logits = [Float]()
            var perClip = [Int]()
            var elements = 0
            for clip in clips {
                counter.computeLogits(clip, into: &logits)
                perClip.append(counter.lastActivationOutliers.reduce(0) { $0 + $1.outliers })
                elements = counter.lastActivationOutliers.reduce(0) { $0 + $1.elements }
            }
            print("    activation outliers per window on these clips: " + perClip.map(String.init).joined(separator: ", ")
                + " of \(elements) activations (mean " + String(format: "%.2f%%", 100 * Double(perClip.reduce(0, +)) / Double(perClip.count * max(elements, 1))) + ")")
            for isa in KernelISA.supported.reversed() where isa != .scalar {
                let engine = try OutlierEngine(model: model, isa: isa)
                let profile = engine.profileStages(clips, runs: runs)
                print("    outlier \(ZeroSkipBenchmarks.isaName(isa, vnni: true)) stages (medians of nested prefixes, same clips): "
                    + String(format: "unpack+merge %.2f, dense %.2f, sparse %.2f, epilogue and rest %.2f of %.2f µs; "
                             + "sparse pass = %.1f%% of the dense pass", profile.unpack, profile.dense, profile.sparse, profile.rest,
                             profile.total, 100 * profile.sparse / max(profile.dense, 1e-9)))
            }
        }
    }

    static func percent(_ part: Int, _ whole: Int) -> String { String(format: "%.0f%%", 100 * Double(part) / Double(max(whole, 1))) }

}
