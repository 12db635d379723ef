import FoundationEssentials

/// Accuracy of a model on a directory of labelled clips laid out as `DIR/<label>/*.wav`.
public struct Evaluation: Sendable {
    /// Labels in the model's order; rows and columns of ``confusion``.
    public let labels: [String]
    /// `confusion[truth][prediction]` clip counts.
    public private(set) var confusion: [[Int]]
    /// Clips whose folder name is not one of the model's labels (skipped).
    public private(set) var skippedFolders: [String] = []
    /// Per clip: its true label and its most probable keyword with that keyword's posterior (for ``roc``).
    public private(set) var keywordScores: [(truth: Int, keyword: Int, score: Float)] = []

    public init(labels: [String]) {
        self.labels = labels
        confusion = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
    }

    /// Clips counted.
    public var count: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Fraction of clips whose top label equals their folder (0 when empty).
    public var accuracy: Double {
        count == 0 ? 0 : Double(labels.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(count)
    }
    /// Recall per label (nil for labels with no clips).
    public var recall: [Double?] {
        labels.indices.map { row in
            let total = confusion[row].reduce(0, +)
            return total == 0 ? nil : Double(confusion[row][row]) / Double(total)
        }
    }

    /// Records one clip's classification.
    public mutating func record(truth: Int, _ result: Classification) {
        confusion[truth][result.topIndex] += 1
        let keywords = labels.indices.filter { !labels[$0].hasPrefix("_") }
        if let best = keywords.max(by: { result.posteriors[$0] < result.posteriors[$1] }) {
            keywordScores.append((truth, best, result.posteriors[best]))
        }
    }

    /// Keyword-spotting trade-off over thresholds, as a detector using this model on single clips sees it.
    public var roc: [ROCPoint] {
        let isKeyword = labels.map { !$0.hasPrefix("_") }
        let positives = keywordScores.filter { isKeyword[$0.truth] }
        let negatives = keywordScores.filter { !isKeyword[$0.truth] }
        return stride(from: 0.05, through: 0.99, by: 0.01).map { t in
            let threshold = Float(t)
            let hits = positives.filter { $0.keyword == $0.truth && $0.score >= threshold }.count
            let wrong = positives.filter { $0.keyword != $0.truth && $0.score >= threshold }.count
            let alarms = negatives.filter { $0.score >= threshold }.count
            return ROCPoint(threshold: threshold,
                            detectionRate: positives.isEmpty ? 0 : Double(hits) / Double(positives.count),
                            wrongKeywordRate: positives.isEmpty ? 0 : Double(wrong) / Double(positives.count),
                            falseAlarmRate: negatives.isEmpty ? 0 : Double(alarms) / Double(negatives.count))
        }
    }

    /// The clips under `directory`, as (path, label index), sorted; folders that are not labels are
    /// listed in ``skippedFolders``.
    /// - Throws: ``DirectoryError`` when `directory` is missing, not a directory or unreadable.
    public mutating func clips(in directory: URL) throws -> [(path: String, truth: Int)] {
        var clips = [(path: String, truth: Int)]()
        for (folder, files) in try WAVDirectory.labelledFolders(in: directory.path) {
            guard let truth = labels.firstIndex(of: folder) else {
                skippedFolders.append(folder)
                continue
            }
            let url = directory.appendingPathComponent(folder)
            clips += files.map { (url.appendingPathComponent($0).path, truth) }
        }
        return clips
    }
}

/// One threshold of a keyword-spotting ROC measured on labelled clips.
public struct ROCPoint: Sendable, Equatable {
    /// Posterior a keyword must reach.
    public let threshold: Float
    /// Keyword clips whose own keyword reaches the threshold and is the top keyword.
    public let detectionRate: Double
    /// Keyword clips where another keyword reaches the threshold first (a wrong detection).
    public let wrongKeywordRate: Double
    /// `_silence_`/`_unknown_` clips where some keyword reaches the threshold (a false alarm).
    public let falseAlarmRate: Double
}
