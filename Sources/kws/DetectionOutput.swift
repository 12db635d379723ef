import KWS
import KWSCore

/// How `detect` and `stream` print detections and clip labels. Under `--json` each is one JSON line whose
/// `type` says which it is (`detection`, `clip`; README "JSON Lines").
struct DetectionOutput {
    let json: Bool

    func detection(_ detection: Detection, file: String?) {
        Terminal.printLine(line(for: detection, file: file))
    }

    /// The line ``detection(_:file:)`` prints.
    func line(for detection: Detection, file: String?) -> String {
        if json {
            var fields = [("type", JSONText.string("detection"))]
            if let file { fields.append(("file", JSONText.string(file))) }
            fields += [("label", JSONText.string(detection.label)),
                       ("score", JSONText.number(Double(detection.score))),
                       ("start", JSONText.number(detection.start, digits: 3)),
                       ("end", JSONText.number(detection.end, digits: 3)),
                       // Why it fired: the threshold it had to reach, and for how many windows it did.
                       ("threshold", JSONText.number(Double(detection.threshold))),
                       ("windows_above", String(detection.windowsAbove))]
            return JSONText.object(fields)
        } else {
            let prefix = file.map { "\($0): " } ?? ""
            return prefix + "\(detection.label) " + String(cFormat: "%.3f at %.2f–%.2f s", detection.score, detection.start, detection.end)
        }
    }

    /// The line for a clip's top label (and the `top` most probable labels).
    func line(for result: Classification, file: String, duration: Double, top: Int) -> String {
        if json {
            return JSONText.object([("type", JSONText.string("clip")), ("file", JSONText.string(file)),
                                    ("label", JSONText.string(result.label)),
                                    ("score", JSONText.number(Double(result.score))),
                                    ("start", JSONText.number(0, digits: 3)),
                                    ("end", JSONText.number(duration, digits: 3))] + topField(result, top))
        } else {
            let ranked = result.top(max(1, top)).map { "\($0.label) " + String(cFormat: "%.3f", $0.score) }
            return "\(file): " + ranked.joined(separator: ", ")
        }
    }

    private func topField(_ result: Classification, _ top: Int) -> [(String, String)] {
        guard top > 1 else { return [] }
        let items = result.top(top).map { JSONText.object([("label", JSONText.string($0.label)), ("score", JSONText.number(Double($0.score)))]) }
        return [("top", "[" + items.joined(separator: ",") + "]")]
    }
}
