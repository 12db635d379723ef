/// A keyword spoken in a recording: the truth a stream evaluation scores detections against.
public struct KeywordEvent: Sendable, Equatable {
    /// The keyword (a model label).
    public let label: String
    /// Where it starts, in seconds from the start of the recording.
    public let start: Double
    /// Where it ends, in seconds (> `start`).
    public let end: Double
    /// The line of the truth file it came from (1-based), or 0 when it was not read from a file.
    public let line: Int

    /// An event; `line` is where a ``TruthFile`` read it.
    public init(label: String, start: Double, end: Double, line: Int = 0) {
        self.label = label
        self.start = start
        self.end = end
        self.line = line
    }

    /// The middle of the spoken span, in seconds.
    public var centre: Double { (start + end) / 2 }
}
