import FoundationEssentials
import Glibc
import KWS
import KWSCore
import KWSRuntime

/// What `kws info MODEL` prints: one `label  value` line per fact, nested metadata as an indented outline
/// (``MetadataOutline``), then the scheme's own lines and the operating points.
enum ModelInfoText {
    static func lines(_ model: TCResNetModel, path: String) -> [String] {
        let architecture = model.architecture
        let frontEnd = model.frontEnd
        var lines = [
            "model         \(model.name)  (\(path))",
            "architecture  \(architecture.family.rawValue), width ×\(architecture.widthMultiplier), channels \(architecture.channels.map(String.init).joined(separator: "/"))",
            "labels        \(model.labels.joined(separator: " "))",
            "parameters    \(model.parameterCount) (conv + FC weights)",
            "MACs          \(model.macsPerInference) per inference",
            "input         \(model.inputFrames) × \(model.inputCoefficients) MFCC (\(String(cFormat: "%g", Double(model.windowSamples) / Double(frontEnd.sampleRate))) s of audio)",
            "front end     \(frontEnd.variant.rawValue): \(frontEnd.sampleRate) Hz, window \(frontEnd.windowLength), hop \(frontEnd.hopLength), FFT \(frontEnd.fftLength), \(frontEnd.melBins) mel \(Int(frontEnd.lowerHz))–\(Int(frontEnd.upperHz)) Hz, log offset \(frontEnd.logOffset), \(frontEnd.coefficients) coefficients",
            "engine        \(EngineKind.preferred(for: model).rawValue) (this file's default; --engine overrides it)",
            "test accuracy " + accuracyLine(model),
            "checksum      " + checksumLine(model),
        ]
        for key in ["training", "quantization"] {
            if let value = model.metadata[key] { lines += ["\(key):"] + MetadataOutline.lines(value, indent: 2) }
        }
        lines += QuantizationSchemes.all.flatMap { $0.infoLines(for: model) }
        if let table = model.operatingPoints { lines += OperatingPointInfo.lines(table, labels: model.labels) }
        return lines.flatMap(wrapped)
    }

    /// A line longer than ``width`` broken at spaces, continued under the value column (column 14).
    static func wrapped(_ line: String) -> [String] {
        guard line.count > width else { return [line] }
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var lines = [String]()
        var current = ""
        while !words.isEmpty {
            let word = words.removeFirst()
            if !current.trimmingWhitespace().isEmpty, current.count + 1 + word.count > width {
                lines.append(current)
                current = String(repeating: " ", count: 14) + word
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        return lines + [current]
    }

    /// The longest line `kws info` prints (the operating-point table rows are shorter).
    static let width = 120

    /// The held-out test-split accuracy of the file's own engine, and of its float network when that differs.
    static func accuracyLine(_ model: TCResNetModel) -> String {
        let engine = EngineKind.preferred(for: model).rawValue
        let float = model.floatTestAccuracy.map { String(cFormat: "%.2f%%", $0 * 100) }
        guard let own = model.ownTestAccuracy else {
            return "unknown for the \(engine) engine (not recorded in this file)" + (float.map { "; float network \($0)" } ?? "")
        }
        let text = String(cFormat: "%.2f%%", own * 100) + " (\(engine), held-out test split)"
        guard engine != EngineKind.float.rawValue, let float else { return text }
        return text + "; float network \(float)"
    }

    /// Whether the loader vouched for the tensor bytes (it checks data_sha256 whenever the file has one).
    static func checksumLine(_ model: TCResNetModel) -> String {
        if let checksum = model.metadata[ModelFile.checksumKey] { return "data_sha256 \(checksum) verified" }
        return "none: tensor data unverified (an older file; add one with `kws lab stamp FILE`)"
    }
}
