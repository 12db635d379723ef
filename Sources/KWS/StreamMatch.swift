/// Which detection found which spoken keyword in one recording: the matching rule of ``StreamScore``, kept
/// per detection so a report can list each keyword as found or missed (`kws eval --stream --events`).
///
/// Detections are taken earliest first; a detection of keyword L finds a not-yet-found spoken L whose span,
/// widened by ``StreamScore/tolerance`` on both sides, its window overlaps (the nearest such event by centre,
/// then the earliest). Every other detection is a false alarm.
public struct StreamMatch: Sendable {
    /// A detection and the index in the truth of the event it found, or nil for a false alarm.
    public struct Entry: Sendable {
        public let detection: Detection
        public let event: Int?
    }

    /// Every detection, earliest first.
    public let entries: [Entry]
    /// For each spoken event, in truth order, the detection that found it; nil when it was missed.
    public let found: [Detection?]

    /// Matches `detections` against `truth`.
    public init(detections: [Detection], truth: [KeywordEvent]) {
        var found = [Detection?](repeating: nil, count: truth.count)
        var entries = [Entry]()
        let ordered = detections.enumerated().sorted { ($0.element.startSample, $0.offset) < ($1.element.startSample, $1.offset) }
        for detection in ordered.map(\.element) {
            let centre = (detection.start + detection.end) / 2
            var best: Int?
            for (index, event) in truth.enumerated() where found[index] == nil && event.label == detection.label
                && detection.start < event.end + StreamScore.tolerance && detection.end > event.start - StreamScore.tolerance {
                if let current = best, abs(truth[current].centre - centre) <= abs(event.centre - centre) { continue }
                best = index
            }
            if let best { found[best] = detection }
            entries.append(Entry(detection: detection, event: best))
        }
        self.entries = entries
        self.found = found
    }

    /// The detections that found no event, earliest first.
    public var falseAlarms: [Detection] { entries.filter { $0.event == nil }.map(\.detection) }
}
