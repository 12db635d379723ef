/// Running sums over a stretch of input samples, split by the parity of each sample's index in the
/// stream, from which ``InputSampleChecks`` decides. Sums of blocks add up to the sums of the whole.
struct InputSampleBlock {
    /// Samples counted.
    var count = 0
    /// Σ x (for the DC offset).
    var sum: Double = 0
    /// Σ x² of even- and odd-indexed samples.
    var energy: (even: Double, odd: Double) = (0, 0)
    /// Σ (x[i] − x[i−1])² where i is even, and where i is odd: for interleaved stereo one is the difference
    /// of two channels at the same instant, the other a step in time of different channels.
    var difference: (even: Double, odd: Double) = (0, 0)
    /// Samples other than 0, by parity.
    var nonZero: (even: Int, odd: Int) = (0, 0)
    /// Samples with 0.4 ≤ |x| ≤ 0.6, by parity: the upper 16 bits of an IEEE float in 2⁻¹⁶…1 read as an
    /// integer (sign, exponent 111…126 and 7 mantissa bits) always land there.
    var floatExponentBand: (even: Int, odd: Int) = (0, 0)
    /// Samples no audio has: |x| > 8, or 0 < |x| < 10⁻¹⁵ (integers read as floats give both).
    var absurd = 0
    /// Samples at full scale: 0.999 ≤ |x| ≤ 1.
    var clipped = 0

    /// Counts `x`, the sample at index `index` of the stream, whose predecessor was `previous` (nil for the
    /// first sample of the stream).
    /// A NaN or infinite sample counts as absurd and otherwise as 0, as the rest of kws hears it.
    @inline(__always)
    mutating func add(_ raw: Float, index: Int, previous: Float?) {
        let isOdd = index & 1 == 1
        count += 1
        guard raw.isFinite else {
            absurd += 1
            if isOdd { nonZero.odd += 1 } else { nonZero.even += 1 }
            return
        }
        let x = raw
        let value = Double(x)
        let magnitude = abs(x)
        sum += value
        let step = previous.map { (value - Double($0)) * (value - Double($0)) } ?? 0
        if isOdd {
            energy.odd += value * value
            difference.odd += step
        } else {
            energy.even += value * value
            difference.even += step
        }
        guard magnitude > 0 else { return }
        if isOdd { nonZero.odd += 1 } else { nonZero.even += 1 }
        if magnitude >= 0.4, magnitude <= 0.6 {
            if isOdd { floatExponentBand.odd += 1 } else { floatExponentBand.even += 1 }
        }
        if magnitude > 8 || magnitude < 1e-15 { absurd += 1 }
        if magnitude >= 0.999, magnitude <= 1 { clipped += 1 }
    }

    /// Adds another block's sums to this one.
    mutating func merge(_ other: InputSampleBlock) {
        count += other.count
        sum += other.sum
        energy.even += other.energy.even
        energy.odd += other.energy.odd
        difference.even += other.difference.even
        difference.odd += other.difference.odd
        nonZero.even += other.nonZero.even
        nonZero.odd += other.nonZero.odd
        floatExponentBand.even += other.floatExponentBand.even
        floatExponentBand.odd += other.floatExponentBand.odd
        absurd += other.absurd
        clipped += other.clipped
    }
}
