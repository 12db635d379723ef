import FoundationEssentials
import KWSCore
import KWSRuntime

/// Microseconds per inference an ``OutlierEngine`` spends in each stage of its layers (all layers together),
/// from ``OutlierEngine/profileStages(_:runs:)``.
public struct OutlierStageProfile: Sendable {
    /// Unpacking the 4-bit weights and merging the 8-bit weight outliers into the operand.
    public let unpack: Double
    /// The dense u8 × s8 → s32 passes.
    public let dense: Double
    /// The sparse activation- and residual-outlier passes.
    public let sparse: Double
    /// Everything else: the epilogues (requantization and the split into dense codes and outlier lists), input
    /// quantization, the time sum and the classifier.
    public let rest: Double
    /// A whole inference.
    public let total: Double
}

extension OutlierEngine {
    /// Times nested prefixes of the per-layer pipeline: a whole inference on a window, then on the activations
    /// and outlier lists it left, unpack only; unpack + dense; unpack + dense + sparse. Each run does all four on
    /// the next window of `windows` (so load from other processes, and each window's outlier count, fall on all
    /// alike); a stage's time is the difference of consecutive medians.
    public func profileStages(_ windows: [[Float]], runs: Int = 1000) -> OutlierStageProfile {
        precondition(!windows.isEmpty, "profileStages needs at least one window")
        var logits = [Float](repeating: 0, count: model.labels.count)
        var samples = [[Double]](repeating: [], count: 4)
        func time(_ body: () -> Void) -> Double {
            let start = MonotonicClock.nanoseconds()
            body()
            return Double(MonotonicClock.nanoseconds() - start) / 1000
        }
        let warmup = runs / 10
        for run in 0..<(runs + warmup) {
            let window = windows[run % windows.count]
            let whole = time { computeLogits(window, into: &logits) }
            let times = [time { runLayers(through: .unpack) }, time { runLayers(through: .dense) },
                         time { runLayers(through: .sparse) }, whole]
            guard run >= warmup else { continue }
            for index in 0..<4 { samples[index].append(times[index]) }
        }
        let medians = samples.map { $0.sorted()[$0.count / 2] }
        return OutlierStageProfile(unpack: medians[0], dense: medians[1] - medians[0], sparse: medians[2] - medians[1],
                                   rest: medians[3] - medians[2], total: medians[3])
    }
}
