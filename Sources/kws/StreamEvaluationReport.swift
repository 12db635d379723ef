import FoundationEssentials
import Glibc
import KWS
import KWSCore

/// Text and JSON renderings of a `kws eval --stream` run.
struct StreamEvaluationReport {
    let model: String
    let engine: String
    let configuration: DetectorConfiguration
    /// The threshold each keyword had in the plain run.
    let thresholds: [String: Float]
    /// The model's keywords, in label order.
    let keywords: [String]
    let truthFile: String?
    let recordings: [StreamRecording]
    let total: StreamScore
    let sweep: OperatingPointSweep?
    /// Each spoken keyword found or missed, and each false alarm (`--events`).
    let events: StreamEventList?

    func json() -> String {
        var fields: [(String, String)] = [
            ("type", JSONText.string("stream_evaluation")), ("model", JSONText.string(model)), ("engine", JSONText.string(engine)),
            ("hop_ms", String(configuration.hopMilliseconds)), ("smoothing_ms", String(configuration.smoothingMilliseconds)),
            ("refractory_ms", String(configuration.refractoryMilliseconds)),
            ("thresholds", JSONText.object(keywords.map { ($0, Self.number(thresholds[$0])) })),
        ]
        fields += Self.scoreFields(total)
        fields.append(("timing_error_mean_s", total.meanTimingError.map { JSONText.number($0, digits: 4) } ?? "null"))
        fields.append(("timing_error_max_s", total.hitCount == 0 ? "null" : JSONText.number(total.timingErrorMax, digits: 4)))
        fields.append(("per_keyword", JSONText.object(keywords.map { keyword in
            (keyword, JSONText.object([
                ("events", String(total.events[keyword] ?? 0)), ("hits", String(total.hits[keyword] ?? 0)),
                ("misses", String((total.events[keyword] ?? 0) - (total.hits[keyword] ?? 0))),
                ("recall", total.recall(of: keyword).map { JSONText.number($0, digits: 6) } ?? "null"),
                ("false_alarms", String(total.falseAlarms[keyword] ?? 0)),
                ("false_alarms_per_hour", JSONText.number(total.falseAlarmsPerHour(of: keyword), digits: 6)),
            ]))
        })))
        fields.append(("files", "[" + recordings.enumerated().map { index, recording in
            JSONText.object([("file", JSONText.string(recording.file)),
                             ("truth", index == 0 ? truthFile.map(JSONText.string) ?? "null" : "null")] + Self.scoreFields(recording.score))
        }.joined(separator: ",") + "]"))
        if let events { fields.append(("events", events.json())) }
        if let sweep {
            fields.append(("keywords", Self.sweepJSON(sweep, keywords: keywords, separator: "")))
            fields.append(("total", "[" + sweep.totals.map(Self.row).joined(separator: ",") + "]"))
        }
        return JSONText.object(fields)
    }

    func text() -> [String] {
        let recordingCount = recordings.count == 1 ? "1 file" : "\(recordings.count) files"
        var lines = ["model \(model), engine \(engine): \(recordingCount), " + String(cFormat: "%.4g h (%.1f s)", total.hours, total.seconds)
                        + " of audio; hop \(configuration.hopMilliseconds) ms, smoothing \(configuration.smoothingMilliseconds) ms, "
                        + "refractory \(configuration.refractoryMilliseconds) ms"]
        let distinct = Set(keywords.compactMap { thresholds[$0] })
        lines.append("thresholds: " + (distinct.count == 1 ? Self.number(distinct.first) + " for every keyword"
                                                              : keywords.map { "\($0) \(Self.number(thresholds[$0]))" }.joined(separator: ", ")))
        let recall = total.recall.map { String(cFormat: "recall %.1f%% (%d of %d events, %d missed)", $0 * 100, total.hitCount, total.eventCount, total.missCount) }
            ?? "no keyword events (no --truth, or an empty one): every detection is a false alarm"
        let timing = total.meanTimingError.map { String(cFormat: "; timing error mean %.3f s, max %.3f s", $0, total.timingErrorMax) } ?? ""
        lines.append(recall + String(cFormat: "; %d false alarms (%.2f per hour)", total.falseAlarmCount, total.falseAlarmsPerHour) + timing)
        lines += ["", "keyword     events  hits   recall  false alarms  per hour"]
        for keyword in keywords {
            let spoken = total.events[keyword] ?? 0
            lines.append(keyword.padding(toLength: 10, withPad: " ", startingAt: 0) + String(spoken).leftPadded(8)
                         + String(total.hits[keyword] ?? 0).leftPadded(6)
                         + (total.recall(of: keyword).map { String(cFormat: "%.1f%%", $0 * 100) } ?? "–").leftPadded(9)
                         + String(total.falseAlarms[keyword] ?? 0).leftPadded(14)
                         + String(cFormat: "%.2f", total.falseAlarmsPerHour(of: keyword)).leftPadded(10))
        }
        lines += ["", "file: hours, events, hits, false alarms (per hour)"]
        for recording in recordings {
            let score = recording.score
            lines.append("  \(recording.file): " + String(cFormat: "%.4g h, %d events, %d hits, %d false alarms (%.2f/h)",
                                                          score.hours, score.eventCount, score.hitCount, score.falseAlarmCount, score.falseAlarmsPerHour))
        }
        if let events { lines += events.text() }
        if let sweep {
            lines += ["", "sweep: [threshold, recall, own false alarms per hour] per keyword, every keyword at the same threshold",
                      "(the \"keywords\" of a model's operating_points, Models/FORMAT.md; negative_hours "
                        + String(cFormat: "%.6g", total.hours) + ", positive_events \(total.eventCount)):",
                      Self.sweepJSON(sweep, keywords: keywords, separator: "\n")]
        }
        return lines
    }

    /// The counts and rates of one score, as JSON fields.
    private static func scoreFields(_ score: StreamScore) -> [(String, String)] {
        [("hours", JSONText.number(score.hours, digits: 6)), ("events", String(score.eventCount)), ("hits", String(score.hitCount)),
         ("misses", String(score.missCount)), ("recall", score.recall.map { JSONText.number($0, digits: 6) } ?? "null"),
         ("false_alarms", String(score.falseAlarmCount)), ("false_alarms_per_hour", JSONText.number(score.falseAlarmsPerHour, digits: 6))]
    }

    /// The sweep's `keywords` object, one keyword per line when `separator` is a newline.
    static func sweepJSON(_ sweep: OperatingPointSweep, keywords: [String], separator: String) -> String {
        "{" + separator + keywords.map { keyword in
            JSONText.string(keyword) + ":[" + sweep.points(of: keyword).map(row).joined(separator: ",") + "]"
        }.joined(separator: "," + separator) + separator + "}"
    }

    /// `[threshold, recall, false alarms per hour]` as the operating-point table writes a row (recall null
    /// when nothing was spoken), rounded to 4 decimals.
    static func row(_ point: SweepPoint) -> String {
        func rounded(_ value: Double) -> String { ((value * 10_000).rounded() / 10_000).description }
        return "[\(point.threshold.description),\(point.recall.map(rounded) ?? "null"),\(rounded(point.falseAlarmsPerHour))]"
    }

    private static func number(_ value: Float?) -> String { value.map { $0.description } ?? "null" }
}
