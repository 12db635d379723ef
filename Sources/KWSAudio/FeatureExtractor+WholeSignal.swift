import KWSCore

extension FeatureExtractor {
    /// The features of a whole signal (at `config.sampleRate`):
    /// `config.frameCount(samples: samples.count)` rows of `config.coefficients` values.
    ///
    /// Reads each window straight from `samples`; the result equals, bit for bit, what a
    /// `FeatureExtractor` emits when the same signal is appended in any chunking.
    /// - Throws: `FrontEndConfigError` or `FFTError`, as `MFCC.init`.
    public static func features(of samples: [Float], config: FrontEndConfig = .tcResNet) throws -> FeatureMatrix {
        let mfcc = try MFCC(config: config)
        let frames = config.frameCount(samples: samples.count)
        var matrix = FeatureMatrix(frames: frames, coefficients: config.coefficients)
        let width = config.coefficients
        samples.withUnsafeBufferPointer { samples in
            matrix.values.withUnsafeMutableBufferPointer { values in
                for frame in 0..<frames {
                    let start = frame * config.hopLength
                    let window = UnsafeBufferPointer(rebasing: samples[start ..< start + config.windowLength])
                    let row = UnsafeMutableBufferPointer(rebasing: values[frame * width ..< (frame + 1) * width])
                    mfcc.compute(frame: window, into: row)
                }
            }
        }
        return matrix
    }
}
