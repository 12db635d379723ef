import FoundationEssentials
import Glibc
import KWS
import KWSCore

/// `kws eval --stream --events`: each spoken keyword as found (with the detection that found it) or missed,
/// and each false alarm, per recording; what `make demo` prints to score itself against Samples/sequence.txt.
struct StreamEventList {
    let recordings: [StreamRecording]

    func text() -> [String] {
        var lines = [String]()
        for recording in recordings {
            let match = StreamMatch(detections: recording.detections, truth: recording.truth)
            if !recording.truth.isEmpty {
                let missed = match.found.filter { $0 == nil }.count
                lines += ["", "spoken keywords in \(recording.file): \(recording.truth.count - missed) found, \(missed) missed"]
                let width = recording.truth.map(\.label.count).max() ?? 0
                let spanWidth = recording.truth.map { Self.span($0.start, $0.end).count }.max() ?? 0
                for (event, detection) in zip(recording.truth, match.found) {
                    let spoken = event.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                        + Self.span(event.start, event.end).padding(toLength: spanWidth, withPad: " ", startingAt: 0)
                    lines.append(detection.map { "  found   \(spoken)   detected " + Self.describe($0) }
                                 ?? String("  MISSED  \(spoken)".reversed().drop { $0 == " " }.reversed()))
                }
            }
            let alarms = match.falseAlarms
            lines.append(alarms.isEmpty ? "false alarms in \(recording.file): none" : "false alarms in \(recording.file): \(alarms.count)")
            lines += alarms.map { "  \($0.label) " + Self.describe($0) }
        }
        return lines
    }

    /// The `events` field of the JSON report: one object per spoken keyword and per false alarm.
    func json() -> String {
        var items = [String]()
        for recording in recordings {
            let match = StreamMatch(detections: recording.detections, truth: recording.truth)
            for (event, detection) in zip(recording.truth, match.found) {
                items.append(JSONText.object([
                    ("file", JSONText.string(recording.file)), ("label", JSONText.string(event.label)),
                    ("start", JSONText.number(event.start, digits: 3)), ("end", JSONText.number(event.end, digits: 3)),
                    ("found", detection == nil ? "false" : "true"), ("detection", detection.map(Self.json) ?? "null"),
                ]))
            }
            for alarm in match.falseAlarms {
                items.append(JSONText.object([("file", JSONText.string(recording.file)), ("label", JSONText.string(alarm.label)),
                                              ("false_alarm", "true"), ("detection", Self.json(alarm))]))
            }
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    private static func span(_ start: Double, _ end: Double) -> String { String(cFormat: "%.2f–%.2f s", start, end) }

    private static func describe(_ detection: Detection) -> String {
        String(cFormat: "%.3f at ", detection.score) + span(detection.start, detection.end)
    }

    private static func json(_ detection: Detection) -> String {
        JSONText.object([("label", JSONText.string(detection.label)), ("score", JSONText.number(Double(detection.score))),
                         ("start", JSONText.number(detection.start, digits: 3)), ("end", JSONText.number(detection.end, digits: 3))])
    }
}
