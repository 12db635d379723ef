/// The checks made on the samples themselves, at the input rate: misread formats (floats read as integers
/// and the reverse), interleaved channels read as one, clipping, DC offset and digital silence.
///
/// Sums are kept per half second; decisions look at the last ``windowBlocks`` of them (5 s), so memory is
/// fixed whatever the stream's length. Thresholds were set on real audio (Speech Commands clips and
/// Samples/, which none of them trips) against misread copies of Samples/sequence.wav, which each trip
/// theirs within 2 s.
struct InputSampleChecks {
    /// Blocks kept for a decision: 10 half seconds.
    static let windowBlocks = 10
    /// A share of samples at full scale that is clipping, not the odd peak (Speech Commands' test split
    /// reaches 0.01% over 5 s; its two worst training clips, which are audibly clipped, 16%).
    static let clippedShare = 0.005
    /// |mean| that is an offset (the test split's 5 s windows reach 0.03; a single 1 s noise clip 0.18).
    static let dcOffset = 0.1
    /// Seconds of exact zeros that make a muted source (Speech Commands' longest run is 0.66 s).
    static let silenceSeconds = 5.0
    /// Share of non-zero samples in the float-exponent band (per parity) that betrays float bit patterns.
    static let floatBandShare = 0.8
    /// Share of non-zero samples that no audio has, which betrays integer bit patterns read as floats.
    static let absurdShare = 0.5
    /// Odd/even energy or step ratio below which the two parities are two different signals (mono speech
    /// stays above 0.84 and 0.69 over 2 s).
    static let parityRatio = 0.3

    let sampleRate: Int
    private let blockSize: Int
    private var block = InputSampleBlock()
    private var window: [InputSampleBlock] = []
    private var next = 0
    private(set) var samplesSeen = 0
    private var previous: Float?
    private var zeroRun = 0

    init(sampleRate: Int) {
        self.sampleRate = sampleRate
        blockSize = max(1, sampleRate / 2)
        window.reserveCapacity(Self.windowBlocks)
    }

    /// Counts `samples` and returns the findings decided on the way (possibly several kinds, possibly a
    /// kind already reported: ``InputHealth`` keeps the first of each).
    mutating func observe(_ samples: ArraySlice<Float>) -> [InputWarning] {
        var found: [InputWarning] = []
        let silenceRun = Int(Self.silenceSeconds * Double(sampleRate))
        for x in samples {
            block.add(x, index: samplesSeen, previous: previous)
            previous = x.isFinite ? x : 0
            samplesSeen += 1
            zeroRun = x == 0 ? zeroRun + 1 : 0
            if zeroRun == silenceRun {
                found.append(warning(.digitalSilence, "every sample has been 0 for \(WarningNumber.fixed(Self.silenceSeconds, 1)) s: the source is muted or disconnected"))
            }
            if block.count == blockSize {
                if window.count < Self.windowBlocks { window.append(block) } else { window[next] = block }
                next = (next + 1) % Self.windowBlocks
                block = InputSampleBlock()
                found += decide()
            }
        }
        return found
    }

    private var seconds: Double { Double(samplesSeen) / Double(sampleRate) }

    private func warning(_ kind: InputWarning.Kind, _ message: String) -> InputWarning {
        InputWarning(kind: kind, message: message, seconds: seconds)
    }

    private func decide() -> [InputWarning] {
        var total = InputSampleBlock()
        for part in window { total.merge(part) }
        let span = Double(total.count) / Double(sampleRate)
        var found: [InputWarning] = []
        let nonZero = total.nonZero.even + total.nonZero.odd
        // Formats: at least 1 s, a quarter of it not silent.
        if span >= 1, nonZero * 4 >= total.count {
            let even = Double(total.floatExponentBand.even) / Double(max(1, total.nonZero.even))
            let odd = Double(total.floatExponentBand.odd) / Double(max(1, total.nonZero.odd))
            if min(even, odd) >= Self.floatBandShare {
                found.append(warning(.floatAsInteger, "\(WarningNumber.percent(min(even, odd))) of the samples over the last \(WarningNumber.fixed(span, 1)) s have "
                    + "|x| in 0.4…0.6, the bit pattern of 32-bit floats read as 32-bit integers"))
            } else if max(even, odd) >= Self.floatBandShare {
                found.append(warning(.floatAsInteger, "\(WarningNumber.percent(max(even, odd))) of every other sample over the last \(WarningNumber.fixed(span, 1)) s "
                    + "have |x| in 0.4…0.6, the bit pattern of 32-bit floats read as 16-bit integers"))
            }
            let absurd = Double(total.absurd) / Double(nonZero)
            if absurd >= Self.absurdShare {
                found.append(warning(.integerAsFloat, "\(WarningNumber.percent(absurd)) of the samples over the last \(WarningNumber.fixed(span, 1)) s are beyond ±8 "
                    + "or below 1e-15 (or not numbers), the bit patterns of integers read as floats"))
            }
        }
        guard span >= 2 else { return found }
        let meanEnergy = (total.energy.even + total.energy.odd) / Double(total.count)
        let largestStep = max(total.difference.even, total.difference.odd)
        if meanEnergy > 1e-6, largestStep > 0 {
            let energyRatio = min(total.energy.even, total.energy.odd) / max(total.energy.even, total.energy.odd)
            let stepRatio = min(total.difference.even, total.difference.odd) / largestStep
            if energyRatio < Self.parityRatio || stepRatio < Self.parityRatio {
                found.append(warning(.interleavedChannels, "odd and even samples behave like two signals over the last \(WarningNumber.fixed(span, 1)) s "
                    + "(energy ratio \(WarningNumber.fixed(energyRatio, 2)), sample-to-sample step ratio \(WarningNumber.fixed(stepRatio, 2)); mono audio "
                    + "has about 1 for both): interleaved channels read as one"))
            }
        }
        let clipped = Double(total.clipped) / Double(total.count)
        if clipped >= Self.clippedShare {
            found.append(warning(.clipping, "\(WarningNumber.percent(clipped)) of the samples over the last \(WarningNumber.fixed(span, 1)) s are at full scale: "
                + "the input is clipping (turn the gain down)"))
        }
        let mean = total.sum / Double(total.count)
        if span >= 4, abs(mean) >= Self.dcOffset {
            found.append(warning(.dcOffset, "the mean sample over the last \(WarningNumber.fixed(span, 1)) s is \(WarningNumber.fixed(mean, 3)) of full scale: "
                + "a DC offset"))
        }
        return found
    }
}
