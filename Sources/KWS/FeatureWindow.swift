/// The last `frames` feature vectors of a stream, as a ring, copied out time-major on demand.
struct FeatureWindow {
    let frames: Int
    let coefficients: Int
    private var ring: [Float]
    private var next = 0
    private(set) var count = 0

    init(frames: Int, coefficients: Int) {
        self.frames = frames
        self.coefficients = coefficients
        ring = [Float](repeating: 0, count: frames * coefficients)
    }

    var isFull: Bool { count >= frames }

    mutating func append(_ vector: [Float]) {
        precondition(vector.count == coefficients, "feature vector of \(vector.count) values, expected \(coefficients)")
        ring.replaceSubrange(next * coefficients ..< (next + 1) * coefficients, with: vector)
        next = (next + 1) % frames
        count += 1
    }

    /// Copies the window, oldest frame first, into `output` (resized once to `frames × coefficients`).
    func copy(into output: inout [Float]) {
        if output.count != ring.count { output = [Float](repeating: 0, count: ring.count) }
        let split = next * coefficients
        let tail = ring.count - split
        output.withUnsafeMutableBufferPointer { out in
            ring.withUnsafeBufferPointer { source in
                for i in 0..<tail { out[i] = source[split + i] }
                for i in 0..<split { out[tail + i] = source[i] }
            }
        }
    }

    mutating func reset() {
        next = 0
        count = 0
    }
}
