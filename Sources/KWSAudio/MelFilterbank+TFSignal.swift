#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KWSCore

extension MelFilterbank {
    /// HTK mel scale with the natural log: mel(f) = 1127·ln(1 + f/700).
    static func mel(hertz: Double) -> Double {
        1127 * log(1 + hertz / 700)
    }

    /// `tf.signal.linear_to_mel_weight_matrix` (SPEC.md §1.2 step 3, §2.3) as a dense
    /// bins × mels matrix in `Double`.
    ///
    /// Band edges are `melBins + 2` points evenly spaced in mel from `lowerHz` to `upperHz`;
    /// band m rises from edge m to edge m+1 and falls to edge m+2; bin k sits at
    /// k·(sampleRate/2)/(bins − 1) Hz (TF's linspace over [0, Nyquist]); the DC row is zero.
    static func tfSignalWeights(_ config: FrontEndConfig) -> [Double] {
        let bins = config.fftLength / 2 + 1
        let mels = config.melBins
        let melLow = mel(hertz: config.lowerHz)
        let melHigh = mel(hertz: config.upperHz)
        let edges = (0..<(mels + 2)).map { melLow + (melHigh - melLow) * Double($0) / Double(mels + 1) }
        let nyquist = Double(config.sampleRate) / 2
        var matrix = [Double](repeating: 0, count: bins * mels)
        for bin in 1..<bins {  // from 1: HTK leaves out the DC bin
            let binMel = mel(hertz: nyquist * Double(bin) / Double(bins - 1))
            for band in 0..<mels {
                let rising = (binMel - edges[band]) / (edges[band + 1] - edges[band])
                let falling = (edges[band + 2] - binMel) / (edges[band + 2] - edges[band + 1])
                matrix[bin * mels + band] = max(0, min(rising, falling))
            }
        }
        return matrix
    }
}
