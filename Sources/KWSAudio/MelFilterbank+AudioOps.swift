import KWSCore

extension MelFilterbank {
    /// TensorFlow's `MfccMelFilterbank` (SPEC.md §2.2 steps 2–6) as a dense bins × mels matrix
    /// in `Double`, to be applied to the magnitude spectrum.
    ///
    /// Same triangles as `tfSignalWeights`, built TF's way: C + 1 centres spaced
    /// (mel_hi − mel_lo)/(C + 1) apart; each bin in [⌊1.5 + lower/Δf⌋, ⌊upper/Δf⌋] gives weight w
    /// to the band whose falling edge it is on and 1 − w to the next band's rising edge. The
    /// start index also drops the lowest in-band bin that `tf.signal` keeps.
    static func audioOpsWeights(_ config: FrontEndConfig) -> [Double] {
        let bins = config.fftLength / 2 + 1
        let channels = config.melBins
        let melLow = mel(hertz: config.lowerHz)
        let melHigh = mel(hertz: config.upperHz)
        let spacing = (melHigh - melLow) / Double(channels + 1)
        let centres = (0...channels).map { melLow + spacing * Double($0 + 1) }
        let hertzPerBin = Double(config.sampleRate) / 2 / Double(bins - 1)
        // Clamped so that an extreme configuration reads no bin outside the spectrum.
        let startBin = max(1, Int((1.5 + config.lowerHz / hertzPerBin).rounded(.down)))
        let endBin = min(bins - 1, Int((config.upperHz / hertzPerBin).rounded(.down)))
        var matrix = [Double](repeating: 0, count: bins * channels)
        guard startBin <= endBin else { return matrix }
        var channel = 0
        for bin in startBin...endBin {
            let binMel = mel(hertz: Double(bin) * hertzPerBin)
            // TF's band mapper: bins are increasing, so the channel only moves forward.
            while channel < channels && centres[channel] < binMel { channel += 1 }
            let falling = channel - 1
            let weight = falling >= 0
                ? (centres[falling + 1] - binMel) / (centres[falling + 1] - centres[falling])
                : (centres[0] - binMel) / (centres[0] - melLow)
            if falling >= 0 { matrix[bin * channels + falling] += weight }
            if falling + 1 < channels { matrix[bin * channels + falling + 1] += 1 - weight }
        }
        return matrix
    }
}
