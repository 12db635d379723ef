import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSCore
import KWSRuntime

/// What `kws lab quantize --scheme` writes.
enum QuantizeSchemeOption: String, CaseIterable {
    /// Per-channel s8 weights, u8 activations (``Quantizer``).
    case int8
    /// Outlier-aware 4-bit weights and activations with sparse 8-bit / 16-bit outliers (``OutlierQuantizer``).
    case outlier

    /// `0.005` or `0.5%` as a fraction in [0, 0.5), or nil.
    static func ratio(_ text: String) -> Double? {
        let trimmed = text.trimmingWhitespace()
        let percent = trimmed.hasSuffix("%")
        guard let value = Double(percent ? String(trimmed.dropLast()) : trimmed) else { return nil }
        let ratio = percent ? value / 100 : value
        return ratio.isFinite && ratio >= 0 && ratio < 0.5 ? ratio : nil
    }

    /// The file-name form of a ratio, in percent: 0.005 → "0.5", 0.02 → "2", 0.035 → "3.5".
    static func percentText(_ ratio: Double) -> String {
        let percent = (ratio * 100 * 1e6).rounded() / 1e6
        return percent == percent.rounded() ? String(Int(percent)) : String(percent)
    }
}

extension QuantizeCommand {
    /// `--out`, or the default name in `Models/`: `<model>-int8` or `<model>-ol4-<percent>`.
    func outputURL(model: TCResNetModel) -> URL {
        if let out { return URL(fileURLWithPath: out) }
        let suffix = QuantizeSchemeOption(rawValue: scheme) == .outlier
            ? "ol4-" + QuantizeSchemeOption.percentText(QuantizeSchemeOption.ratio(outlierRatio) ?? 0) : "int8"
        return URL(fileURLWithPath: "Models/\(model.name)-\(suffix).safetensors")
    }

    /// Quantizes outlier-aware from `calibration`, writes the file, reads it back and reports the outlier counts.
    func writeOutlier(file: ModelFile, model: TCResNetModel, calibration: OutlierCalibration, clips: Int, source: String,
                      failures: Int) throws {
        let total = calibrationBatches * batchSize
        let network = try OutlierQuantizer.quantize(model, calibration: calibration, batchSize: batchSize,
                                                    distinctClips: min(clips, total), augmentedClips: max(0, total - clips),
                                                    source: source)
        let outURL = outputURL(model: model)
        let name = outURL.deletingPathExtension().lastPathComponent
        try OutputFile.write(Data(OutlierTCResNet.modelFile(float: file, model: model, network: network, name: name).encoded()), to: outURL.path)
        // Read it back through the normal loader so a file that would not load is never left unreported.
        let reloaded = try TCResNetModel.load(contentsOf: outURL)
        let info = network.info
        Terminal.printLine("wrote \(outURL.path): \(reloaded.name), outlier-aware 4-bit, r = "
            + "\(QuantizeSchemeOption.percentText(calibration.ratio))%, \(calibrationBatches) × \(batchSize) windows "
            + "(\(min(clips, total)) clips, \(max(0, total - clips)) augmented)" + (failures > 0 ? ", \(failures) clips skipped" : ""))
        Terminal.printLine(String(cFormat: "  weight outliers %d of %d (%.2f%%)", info.weightOutliers, info.fourBitWeights,
                                  100 * Double(info.weightOutliers) / Double(max(1, info.fourBitWeights))))
    }
}
