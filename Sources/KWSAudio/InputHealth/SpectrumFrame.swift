/// What ``SpectrumFrameAnalyzer`` measures in one 32 ms frame at 16 kHz.
struct SpectrumFrame {
    /// Frame level in dB relative to a full-scale sine (Hann-windowed power, every bin once).
    var level: Float
    /// Σ power over all bins.
    var power: Double
    /// Σ power over the bins of the analyzer's high band.
    var highBandPower: Double
    /// Power-weighted mean frequency, Hz.
    var centroid: Float
    /// Fundamental frequency in Hz where the frame is voiced (a clear period between 70 and 800 Hz), else nil.
    var pitch: Float?
}
