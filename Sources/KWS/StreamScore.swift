/// How the detections in recordings compare with the keywords spoken in them: hits, misses and false
/// alarms per keyword, over so many hours of audio. Scores of several recordings add up (``add(_:)``).
///
/// The matching rule (``StreamMatch``): detections are taken earliest first; a detection of keyword L is a
/// hit when its window overlaps a not-yet-matched spoken L widened by ``tolerance`` on both sides (the
/// nearest such event by centre, then the earliest), and that event is then matched. Every other detection
/// is a false alarm of its own keyword: a second detection of one word, a wrong keyword, or one in the
/// middle of nothing.
public struct StreamScore: Sendable, Equatable {
    /// Seconds a spoken event is widened by on each side when matching.
    public static let tolerance = 0.25

    /// Seconds of audio scored.
    public private(set) var seconds: Double = 0
    /// Spoken events per keyword.
    public private(set) var events: [String: Int] = [:]
    /// Events found, per keyword.
    public private(set) var hits: [String: Int] = [:]
    /// Detections that found no event, per detected keyword.
    public private(set) var falseAlarms: [String: Int] = [:]
    /// Sum of |detection centre − event centre| over the hits, in seconds.
    public private(set) var timingErrorSum: Double = 0
    /// Largest |detection centre − event centre| over the hits, in seconds (0 without hits).
    public private(set) var timingErrorMax: Double = 0

    /// A score of nothing, to add recordings to.
    public init() {}

    /// Scores `detections` against `truth` in a recording of `seconds`.
    public init(detections: [Detection], truth: [KeywordEvent], seconds: Double) {
        self.seconds = seconds
        for event in truth { events[event.label, default: 0] += 1 }
        for entry in StreamMatch(detections: detections, truth: truth).entries {
            let detection = entry.detection
            if let event = entry.event {
                hits[detection.label, default: 0] += 1
                let error = abs(truth[event].centre - (detection.start + detection.end) / 2)
                timingErrorSum += error
                timingErrorMax = max(timingErrorMax, error)
            } else {
                falseAlarms[detection.label, default: 0] += 1
            }
        }
    }

    /// Adds another recording's score.
    public mutating func add(_ other: StreamScore) {
        seconds += other.seconds
        events.merge(other.events, uniquingKeysWith: +)
        hits.merge(other.hits, uniquingKeysWith: +)
        falseAlarms.merge(other.falseAlarms, uniquingKeysWith: +)
        timingErrorSum += other.timingErrorSum
        timingErrorMax = max(timingErrorMax, other.timingErrorMax)
    }

    /// Hours of audio scored.
    public var hours: Double { seconds / 3600 }
    /// Spoken events of all keywords.
    public var eventCount: Int { events.values.reduce(0, +) }
    /// Events found, all keywords.
    public var hitCount: Int { hits.values.reduce(0, +) }
    /// Events not found, all keywords.
    public var missCount: Int { eventCount - hitCount }
    /// False alarms, all keywords.
    public var falseAlarmCount: Int { falseAlarms.values.reduce(0, +) }

    /// Fraction of all events found; nil without events.
    public var recall: Double? { eventCount == 0 ? nil : Double(hitCount) / Double(eventCount) }
    /// Fraction of `keyword`'s events found; nil when it was never spoken.
    public func recall(of keyword: String) -> Double? {
        let spoken = events[keyword] ?? 0
        return spoken == 0 ? nil : Double(hits[keyword] ?? 0) / Double(spoken)
    }
    /// False alarms of all keywords per hour of audio (0 for no audio).
    public var falseAlarmsPerHour: Double { hours > 0 ? Double(falseAlarmCount) / hours : 0 }
    /// `keyword`'s own false alarms per hour of audio.
    public func falseAlarmsPerHour(of keyword: String) -> Double {
        hours > 0 ? Double(falseAlarms[keyword] ?? 0) / hours : 0
    }
    /// Mean |detection centre − event centre| over the hits, in seconds; nil without hits.
    public var meanTimingError: Double? { hitCount == 0 ? nil : timingErrorSum / Double(hitCount) }
}
