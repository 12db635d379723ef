/// The result of classifying one 1 s window.
public struct Classification: Sendable, Equatable {
    /// The model's labels, in logits order.
    public let labels: [String]
    /// Softmax posteriors, one per label.
    public let posteriors: [Float]

    public init(labels: [String], posteriors: [Float]) {
        self.labels = labels
        self.posteriors = posteriors
    }

    /// Index of the most probable label (the first one on ties).
    public var topIndex: Int {
        posteriors.indices.max { posteriors[$0] < posteriors[$1] || (posteriors[$0] == posteriors[$1] && $0 > $1) } ?? 0
    }
    /// The most probable label.
    public var label: String { labels[topIndex] }
    /// Its posterior.
    public var score: Float { posteriors[topIndex] }

    /// The `k` most probable labels with their posteriors, best first.
    public func top(_ k: Int) -> [(label: String, score: Float)] {
        let order = posteriors.indices.sorted { posteriors[$0] > posteriors[$1] || (posteriors[$0] == posteriors[$1] && $0 < $1) }
        return order.prefix(max(0, k)).map { (labels[$0], posteriors[$0]) }
    }
}
