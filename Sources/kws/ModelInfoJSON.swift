import FoundationEssentials
import Glibc
import KWS
import KWSRuntime

/// `kws info --json MODEL`: one `"type":"model"` object with everything `kws info` shows; nested metadata
/// (training, quantization, outlier_quantization, highway) as JSON objects, null when the file has none.
enum ModelInfoJSON {
    /// Metadata keys whose JSON is embedded as it is (parsed, so a malformed value becomes a string): the
    /// training record and every scheme's key (``QuantizationSchemes/metadataKeys``).
    static let nestedKeys = ["training"] + QuantizationSchemes.metadataKeys

    static func object(_ model: TCResNetModel, path: String) -> String {
        let architecture = model.architecture
        let frontEnd = model.frontEnd
        var fields: [(String, String)] = [
            ("type", JSONText.string("model")),
            ("model", JSONText.string(model.name)), ("path", JSONText.string(path)),
            ("architecture", JSONText.string(architecture.family.rawValue)),
            ("width_multiplier", JSONText.number(architecture.widthMultiplier, digits: 3)),
            ("channels", "[" + architecture.channels.map(String.init).joined(separator: ",") + "]"),
            ("labels", "[" + model.labels.map(JSONText.string).joined(separator: ",") + "]"),
            ("parameters", String(model.parameterCount)), ("macs_per_inference", String(model.macsPerInference)),
            ("input_frames", String(model.inputFrames)), ("input_coefficients", String(model.inputCoefficients)),
            ("front_end", JSONText.object([
                ("variant", JSONText.string(frontEnd.variant.rawValue)), ("sample_rate", String(frontEnd.sampleRate)),
                ("window_length", String(frontEnd.windowLength)), ("hop_length", String(frontEnd.hopLength)),
                ("fft_length", String(frontEnd.fftLength)), ("mel_bins", String(frontEnd.melBins)),
                ("lower_hz", JSONValue.numberText(Double(frontEnd.lowerHz))), ("upper_hz", JSONValue.numberText(Double(frontEnd.upperHz))),
                ("log_offset", JSONValue.numberText(Double(frontEnd.logOffset))), ("coefficients", String(frontEnd.coefficients)),
                ("clip_samples", String(frontEnd.clipSamples)),
            ])),
            ("engine", JSONText.string(EngineKind.preferred(for: model).rawValue)),
            ("test_accuracy", model.ownTestAccuracy.map { JSONText.number($0, digits: 6) } ?? "null"),
            ("float_test_accuracy", model.floatTestAccuracy.map { JSONText.number($0, digits: 6) } ?? "null"),
            ("data_sha256", model.metadata[ModelFile.checksumKey].map(JSONText.string) ?? "null"),
        ]
        for key in nestedKeys {
            fields.append((key, model.metadata[key].map { JSONValue.parse($0)?.jsonText ?? JSONText.string($0) } ?? "null"))
        }
        fields.append(("operating_points", model.operatingPoints.map { OperatingPointInfo.json($0, labels: model.labels) } ?? "null"))
        return JSONText.object(fields)
    }
}
