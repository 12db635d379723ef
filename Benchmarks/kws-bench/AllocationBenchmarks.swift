import Foundation
import KWS
import KWSAnalysis
import KWSAudio
import KWSRuntime

/// Multi-stream throughput: N windows of real clips on a pool of W threads (one engine per thread),
/// dealt in index order (round robin) or zero-aware (``WorkAllocation/zeroAware``: LPT by the MACs
/// `ZeroSkipEngine` issues on each window, measured by the engine itself). Prints the work imbalance
/// (max/mean issued MACs per thread), the wall time, and each thread's CPU time (its max is the wall time an
/// idle machine would show, so it stays meaningful when other processes share the cores), for the dense int8
/// engine (whose time does not depend on zeros: the control) and for zeroskip.
enum AllocationBenchmarks {
    static let models = ["tc-resnet8-int8", "tc-resnet14-1.5-int8"]
    static let timedRuns = 9
    /// Window evaluations per thread per timed run, about (so few-window and many-window runs take alike).
    static let evaluationsPerThread = 1500

    static func run() throws {
        let workers = max(2, min(4, ProcessInfo.processInfo.activeProcessorCount))
        let clips = realClips()
        print("allocation: \(workers) threads, one engine each; windows = central 1 s of \(clips.source); "
            + "cost of a window = MACs zeroskip issues on it; medians of \(timedRuns) runs, the two assignments alternating")
        let available = try Int8Benchmarks.quantizedModels(includingPruned: true)
        for (source, model) in available where models.contains(URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent)
            || source.contains("-sparse") {
            let windows = try clips.urls.map { try window($0, model: model) }
            let counter = try ZeroSkipEngine(model: model)
            var logits = [Float]()
            let costs = windows.map { window -> Int in
                counter.computeLogits(window, into: &logits)
                return counter.lastIssuedMACs
            }
            let spread = (costs.min() ?? 0, costs.max() ?? 0)
            print("  \(model.name) [\(source)]: \(windows.count) windows, issued MACs per window \(spread.0)…\(spread.1) "
                + "(dense \(model.macsPerInference))")
            // Few windows (as many as a few streams per thread) and all of them.
            let few = (0..<min(windows.count, 3 * workers)).map { $0 * windows.count / min(windows.count, 3 * workers) }
            for subset in [few, Array(windows.indices)] {
                let subsetCosts = subset.map { costs[$0] }
                let repeats = max(1, evaluationsPerThread * workers / subset.count)
                let allocations = [WorkAllocation.naive, .zeroAware]
                let assignments = allocations.map { $0.assign(costs: subsetCosts, workers: workers) }
                for kind in [EngineKind.int8, .zeroskip] {
                    let engines = try (0..<workers).map { _ in try kind.makeEngine(for: model) }
                    // Both assignments alternate within every timed run, so machine load hits them alike.
                    var samples = [[Sample]](repeating: [], count: allocations.count)
                    for _ in 0..<timedRuns {
                        for (index, assignment) in assignments.enumerated() {
                            let items = assignment.items.map { $0.map { windows[subset[$0]] } }
                            samples[index].append(runOnce(engines: engines, items: items, repeats: repeats))
                        }
                    }
                    for (index, allocation) in allocations.enumerated() {
                        func median(_ value: (Sample) -> Double) -> Double {
                            let sorted = samples[index].map(value).sorted()
                            return sorted[sorted.count / 2]
                        }
                        let label = kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                            + allocation.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                        print(String(format: "    %3d windows ×%4d  ", subset.count, repeats) + label
                            + String(format: "work imbalance %.3f | wall %7.1f ms | thread CPU: max %7.1f ms, imbalance %.3f",
                                     assignments[index].imbalance, median(\.wall) * 1e3, median(\.cpuMakespan) * 1e3,
                                     median(\.cpuImbalance)))
                    }
                }
            }
        }
    }

    struct Sample {
        /// Seconds from the start to the last thread's end.
        let wall: Double
        /// The largest thread CPU time: the wall time an otherwise idle machine with a core per thread would see.
        let cpuMakespan: Double
        /// Largest / mean thread CPU time.
        let cpuImbalance: Double
    }

    /// Each thread runs its windows `repeats` times on its own engine.
    static func runOnce(engines: [any Engine], items: [[[Float]]], repeats: Int) -> Sample {
        let cpu = ThreadTimes(count: engines.count)
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: engines.count) { worker in
            let begin = threadCPUSeconds()
            var logits = [Float](repeating: 0, count: 12)
            for _ in 0..<repeats {
                for window in items[worker] { engines[worker].computeLogits(window, into: &logits) }
            }
            cpu.set(worker, threadCPUSeconds() - begin)
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let times = cpu.values
        let mean = times.reduce(0, +) / Double(times.count)
        let makespan = times.max() ?? 0
        return Sample(wall: wall, cpuMakespan: makespan, cpuImbalance: mean > 0 ? makespan / mean : 1)
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Each thread's CPU time, written under a lock (once per thread per run, outside the timed loop).
    final class ThreadTimes: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [Double]
        init(count: Int) { times = [Double](repeating: 0, count: count) }
        func set(_ worker: Int, _ seconds: Double) {
            lock.lock()
            times[worker] = seconds
            lock.unlock()
        }
        var values: [Double] {
            lock.lock()
            defer { lock.unlock() }
            return times
        }
    }

    /// The test-split clips when ../shared/data and Training/splits/test.txt are there (every other one of
    /// the 520), else Samples/*.wav.
    static func realClips() -> (source: String, urls: [URL]) {
        let data = URL(fileURLWithPath: "../shared/data/speech_commands")
        if let list = try? String(contentsOfFile: "Training/splits/test.txt", encoding: .utf8),
           FileManager.default.fileExists(atPath: data.path) {
            let paths = list.split(whereSeparator: \.isNewline).map(String.init)
            let urls = stride(from: 0, to: paths.count, by: 2).map { data.appendingPathComponent(paths[$0]) }
                .filter { FileManager.default.fileExists(atPath: $0.path) }
            if !urls.isEmpty { return ("every other clip of Training/splits/test.txt", urls) }
        }
        let samples = ((try? FileManager.default.contentsOfDirectory(atPath: "Samples")) ?? []).filter { $0.hasSuffix(".wav") }.sorted()
        return ("Samples/*.wav", samples.map { URL(fileURLWithPath: "Samples/\($0)") })
    }

    /// The clip's central second, as `kws eval` frames it.
    static func window(_ url: URL, model: TCResNetModel) throws -> [Float] {
        try FeatureExtractor.features(of: ClipWindow(contentsOf: url).samples, config: model.frontEnd).values
    }
}
