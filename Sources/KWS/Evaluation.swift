import Foundation

/// Accuracy of a model on a directory of labelled clips laid out as `DIR/<label>/*.wav`.
public struct Evaluation: Sendable {
    /// Labels in the model's order; rows and columns of ``confusion``.
    public let labels: [String]
    /// `confusion[truth][prediction]` clip counts.
    public private(set) var confusion: [[Int]]
    /// Clips whose folder name is not one of the model's labels (skipped).
    public private(set) var skippedFolders: [String] = []

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

    /// Records one clip.
    public mutating func record(truth: Int, prediction: Int) {
        confusion[truth][prediction] += 1
    }

    /// The clips under `directory`, as (path, label index), sorted; folders that are not labels are
    /// listed in ``skippedFolders``.
    public mutating func clips(in directory: URL) throws -> [(path: String, truth: Int)] {
        let folders = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        var clips = [(path: String, truth: Int)]()
        for folder in folders {
            let url = directory.appendingPathComponent(folder)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            guard let truth = labels.firstIndex(of: folder) else {
                skippedFolders.append(folder)
                continue
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.lowercased().hasSuffix(".wav") }.sorted()
            clips += files.map { (url.appendingPathComponent($0).path, truth) }
        }
        return clips
    }
}
