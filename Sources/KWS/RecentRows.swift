/// The last `capacity` rows of `width` scores, each with a stream position, the oldest overwritten in place:
/// the detector's smoothing history and recent smoothed scores, kept without an allocation per window.
struct RecentRows {
    private var values: [Float]
    private var starts: [Int]
    private let width: Int
    /// Rows held, at most `capacity`.
    private(set) var count = 0
    /// The slot of the newest row.
    private var newest = -1

    init(capacity: Int, width: Int) {
        precondition(capacity > 0 && width > 0, "RecentRows needs a capacity and a width")
        values = [Float](repeating: 0, count: capacity * width)
        starts = [Int](repeating: 0, count: capacity)
        self.width = width
    }

    /// Adds `row` (its first `width` values) as the newest, dropping the oldest when full.
    mutating func push(_ row: [Float], start: Int = 0) {
        newest = (newest + 1) % starts.count
        let base = newest * width
        values.withUnsafeMutableBufferPointer { values in
            for column in 0..<width { values[base + column] = row[column] }
        }
        starts[newest] = start
        count = min(count + 1, starts.count)
    }

    /// The value in `column` of the row `age` rows older than the newest (0: the newest; `age < count`).
    func value(age: Int, _ column: Int) -> Float { values[slot(age) * width + column] }

    /// The stream position pushed with the row `age` rows older than the newest.
    func start(age: Int) -> Int { starts[slot(age)] }

    mutating func removeAll() {
        count = 0
        newest = -1
    }

    private func slot(_ age: Int) -> Int { (newest - age + starts.count) % starts.count }
}
