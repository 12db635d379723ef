import FoundationEssentials
import Glibc

/// A backend that runs a TC-ResNet model on one feature window.
///
/// Engines are built once from an immutable, shareable ``TCResNetModel`` and reused for every window;
/// ``computeLogits(_:into:)`` does not allocate. An engine holds scratch buffers, so it is not shared
/// across threads: make one per thread.
public protocol Engine: AnyObject {
    /// Which backend this is.
    var kind: EngineKind { get }
    /// The model it runs.
    var model: TCResNetModel { get }
    /// Writes the model's logits for one window into `logits`.
    ///
    /// A `features` array of any other size is a programming error and traps (the front end always
    /// produces whole windows); no file or audio content can make this call fail.
    /// - Parameters:
    ///   - features: `model.inputFrames × model.inputCoefficients` MFCCs, time-major.
    ///   - logits: resized to `model.labels.count` if needed (no allocation when it already has that size).
    func computeLogits(_ features: [Float], into logits: inout [Float])
}

extension Engine {
    /// Softmax posteriors for one window (allocates; use ``computeLogits(_:into:)`` in hot loops).
    public func posteriors(_ features: [Float]) -> [Float] {
        var logits = [Float](repeating: 0, count: model.labels.count)
        computeLogits(features, into: &logits)
        return Softmax.apply(logits)
    }
}

/// Numerically stable softmax.
public enum Softmax {
    /// `exp(l − max) / Σ exp(l − max)` for each logit: posteriors that sum to 1 (empty for no logits).
    public static func apply(_ logits: [Float]) -> [Float] {
        var posteriors = [Float](repeating: 0, count: logits.count)
        apply(logits, into: &posteriors)
        return posteriors
    }

    /// The same posteriors written into `output` (as long as `logits`), for callers that must not allocate
    /// per window (a streaming spotter).
    public static func apply(_ logits: [Float], into output: inout [Float]) {
        guard let top = logits.max() else { return }
        var sum: Float = 0
        for i in logits.indices {
            output[i] = expf(logits[i] - top)
            sum += output[i]
        }
        for i in logits.indices { output[i] /= sum }
    }
}
