/// MFCC features of a signal: `frames` rows of `coefficients` values, row-major.
public struct FeatureMatrix: Sendable, Equatable {
    /// Number of feature frames (rows), one per hop.
    public let frames: Int
    /// Coefficients per frame (columns).
    public let coefficients: Int
    /// `frames × coefficients` values, frame-major (`values[frame * coefficients + coefficient]`).
    public var values: [Float]

    /// A matrix of the given shape filled with zeros (negative sizes count as zero).
    public init(frames: Int, coefficients: Int) {
        self.frames = max(frames, 0)
        self.coefficients = max(coefficients, 0)
        values = [Float](repeating: 0, count: self.frames * self.coefficients)
    }

    /// Wraps existing values; `nil` unless `values.count == frames × coefficients`.
    public init?(frames: Int, coefficients: Int, values: [Float]) {
        guard frames >= 0, coefficients >= 0, values.count == frames * coefficients else { return nil }
        self.frames = frames
        self.coefficients = coefficients
        self.values = values
    }

    /// The value at (`frame`, `coefficient`). Out-of-range indices trap, as for `Array`.
    public subscript(frame: Int, coefficient: Int) -> Float {
        precondition(frame >= 0 && frame < frames && coefficient >= 0 && coefficient < coefficients,
                     "FeatureMatrix index (\(frame), \(coefficient)) outside \(frames) × \(coefficients)")
        return values[frame * coefficients + coefficient]
    }

    /// The coefficients of one frame. Out-of-range frames trap, as for `Array`.
    public func row(_ frame: Int) -> ArraySlice<Float> {
        values[frame * coefficients ..< (frame + 1) * coefficients]
    }
}
