import Foundation
import KWSRuntime

/// A model file with a 1.5 s window and labels of its own, as `kws train --window-ms 1500` writes them, made
/// from the shipped float tc-resnet8: its classifier keeps the rows of `_silence_`, `_unknown_` and `yes`, and
/// `yes` is renamed `hey_kiwi`, so the fixture hears "yes" (Samples/yes.wav) as its one keyword. TC-ResNet
/// pools over time, so the same weights run on 148 frames instead of 98.
public enum LongWindowModelFixture {
    public static let label = "hey_kiwi"
    public static let windowSamples = 24_000

    /// Writes the fixture to `url`.
    public static func write(to url: URL) throws {
        let shipped = try ModelFile.load(contentsOf: TestPaths.file("Models/tc-resnet8.safetensors"))
        var metadata = shipped.metadata
        for key in [ModelFile.checksumKey, "operating_points", "test_accuracy", "training"] { metadata[key] = nil }
        metadata["name"] = "hey-kiwi-fixture"
        metadata["labels"] = "[\"_silence_\",\"_unknown_\",\"\(label)\"]"
        var frontEnd = try JSONSerialization.jsonObject(with: Data(metadata["frontend"]!.utf8)) as! [String: Any]
        frontEnd["clip_samples"] = windowSamples
        metadata["frontend"] = String(decoding: try JSONSerialization.data(withJSONObject: frontEnd, options: [.sortedKeys]), as: UTF8.self)
        var writer = ModelFileWriter(metadata: metadata)
        for name in shipped.tensors.keys.sorted() {
            var shape = shipped.tensors[name]!.shape
            var values = try shipped.floats(name)
            if name == "fc.weight" {  // [labels, channels]: the first three rows
                values = Array(values[0 ..< 3 * shape[1]])
                shape[0] = 3
            }
            writer.append(name, floats: values, shape: shape)
        }
        try writer.write(to: url)
    }
}
