import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

final class ResamplerTests: XCTestCase {
    // MARK: quality

    /// Tones in the passband come out at their input level (≤ 0.1 dB lost) and on time: output
    /// n matches the tone at instant n/16000, which shows the group delay is compensated.
    func testPassbandTonesKeepLevelAndTiming() throws {
        var worstLoss = 0.0
        var worstMisfit: Float = 0
        defer { print("resampler passband: worst |loss| \(worstLoss) dB, worst |output − tone| \(worstMisfit)") }
        for inputRate in [48000, 44100, 22050, 11025, 8000, 96000, 7999] {
            let nyquist = Double(min(inputRate, 16000)) / 2
            for frequency in [100.0, 1000.0, 3000.0, 7000.0].filter({ $0 <= 0.875 * nyquist }) {
                let input = Self.tone(frequency, rate: inputRate, seconds: 0.25)
                let output = try Resampler.resample(input, from: inputRate, to: 16000)
                let expected = Array(Self.tone(frequency, rate: 16000, seconds: 0.3)[..<output.count])
                let interior = Self.interior(output.count)
                let gain = Self.rms(output[interior]) / Self.rms(expected[interior])
                let lossDB = -20 * log10(gain)
                worstLoss = max(worstLoss, abs(lossDB))
                XCTAssertLessThanOrEqual(abs(lossDB), 0.1, "\(frequency) Hz tone from \(inputRate) Hz: \(lossDB) dB")
                let misfit = zip(output[interior], expected[interior]).map { abs($0 - $1) }.max() ?? 1
                worstMisfit = max(worstMisfit, misfit)
                XCTAssertLessThan(misfit, 2e-3, "\(frequency) Hz tone from \(inputRate) Hz is misaligned")
            }
        }
    }

    /// Tones above 8 kHz would alias into the 16 kHz output: they must be ≥ 60 dB down.
    func testStopbandTonesAreAttenuatedBy60dB() throws {
        var weakest = Double.infinity
        defer { print("resampler stopband: weakest attenuation \(weakest) dB") }
        for inputRate in [48000, 44100, 96000] {
            for frequency in [8200.0, 9000.0, 12000.0, 20000.0] {
                let input = Self.tone(frequency, rate: inputRate, seconds: 0.25)
                let output = try Resampler.resample(input, from: inputRate, to: 16000)
                let attenuationDB = 20 * log10(Self.rms(input[...]) / Self.rms(output[Self.interior(output.count)]))
                weakest = min(weakest, attenuationDB)
                XCTAssertGreaterThanOrEqual(attenuationDB, 60, "\(frequency) Hz from \(inputRate) Hz")
            }
        }
    }

    /// Upsampling must not create images above the input's Nyquist frequency.
    func testUpsamplingLeavesNoImages() throws {
        let input = Self.tone(3000, rate: 8000, seconds: 0.25)
        let output = try Resampler.resample(input, from: 8000, to: 16000)
        let interior = Self.interior(output.count)
        // The image of 3 kHz at 8 kHz sampling lies at 5 kHz: project the output onto it.
        let image = Self.tone(5000, rate: 16000, seconds: 0.25)
        let imageLevel = Self.projection(output[interior], image[interior])
        XCTAssertLessThan(imageLevel, 1e-3)
    }

    // MARK: streaming

    func testRandomChunksGiveBitIdenticalOutput() throws {
        var generator = SplitMix64(seed: 7)
        let signal = (0..<30000).map { _ in Float.random(in: -1...1, using: &generator) }
        for inputRate in [48000, 44100, 22050, 11025, 8000, 7999, 96000] {
            let whole = try Resampler.resample(signal, from: inputRate)
            let resampler = try Resampler(inputRate: inputRate)
            var streamed = [Float]()
            var start = 0
            var sizes = [0, 1, 37, 16000]
            while start < signal.count {
                let size = sizes.isEmpty ? Int.random(in: 0...3000, using: &generator) : sizes.removeFirst()
                let end = min(signal.count, start + size)
                streamed += resampler.process(Array(signal[start..<end]))
                start = end
            }
            streamed += resampler.flush()
            XCTAssertEqual(streamed.count, whole.count, "\(inputRate) Hz")
            XCTAssertTrue(streamed == whole, "\(inputRate) Hz: chunked output differs from whole-signal output")
        }
    }

    func testFlushStartsANewStream() throws {
        let resampler = try Resampler(inputRate: 44100)
        let signal = Self.tone(440, rate: 44100, seconds: 0.1)
        let first = resampler.process(signal) + resampler.flush()
        let second = resampler.process(signal) + resampler.flush()
        XCTAssertEqual(first, second)
    }

    // MARK: lengths and identity

    func testOutputLengthIsCeilingOfNTimesLOverM() throws {
        let cases: [(rate: Int, samples: Int, expected: Int)] = [
            (48000, 48000, 16000), (44100, 44100, 16000), (22050, 22050, 16000), (11025, 11025, 16000),
            (8000, 8000, 16000), (7999, 7999, 16000), (96000, 96000, 16000),
            (44100, 100, 37),  // ⌈100·160/441⌉ = ⌈36.28⌉
            (48000, 1, 1), (48000, 2, 1), (48000, 3, 1), (48000, 4, 2), (8000, 1, 2), (48000, 0, 0),
        ]
        for (rate, samples, expected) in cases {
            let output = try Resampler.resample([Float](repeating: 0.5, count: samples), from: rate)
            XCTAssertEqual(output.count, expected, "\(samples) samples at \(rate) Hz")
        }
    }

    func testEqualRatesPassSamplesThrough() throws {
        let signal = Self.tone(1234, rate: 16000, seconds: 0.1)
        let resampler = try Resampler(inputRate: 16000)
        XCTAssertEqual(resampler.process(signal), signal)
        XCTAssertEqual(resampler.flush(), [])
        XCTAssertEqual(try Resampler.resample(signal, from: 16000), signal)
        XCTAssertEqual(resampler.lookahead, 0)
    }

    func testRatioIsReducedByGCD() throws {
        let resampler = try Resampler(inputRate: 44100)
        XCTAssertEqual(resampler.upFactor, 160)
        XCTAssertEqual(resampler.downFactor, 441)
    }

    func testRejectsRatesOutOfRange() {
        for (input, output) in [(0, 16000), (-8000, 16000), (1_000_001, 16000), (48000, 0)] {
            XCTAssertThrowsError(try Resampler(inputRate: input, outputRate: output)) { error in
                XCTAssertTrue(String(describing: error).contains("outside the supported range"))
            }
        }
    }

    func testExtremeRatesDoNotTrap() throws {
        XCTAssertEqual(try Resampler.resample([Float](repeating: 1, count: 10), from: 1_000_000, to: 1).count, 1)
        XCTAssertEqual(try Resampler.resample([1, 0, -1], from: 3, to: 1000).count, 1000)
        // 999 999 Hz → 16 kHz has L = 16 000: the interpolated-phase table.
        let dc = try Resampler.resample([Float](repeating: 1, count: 10000), from: 999_999, to: 16000)
        XCTAssertEqual(dc.count, 161)  // ⌈10 000·16 000/999 999⌉
        XCTAssertEqual(dc[80], 1, accuracy: 1e-3)  // 2510-sample half-width fits inside the signal
    }

    // MARK: helpers

    static func tone(_ frequency: Double, rate: Int, seconds: Double) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { Float(0.5 * sin(2 * Double.pi * frequency * Double($0) / Double(rate))) }
    }

    /// Output samples far enough from both ends that the zero history and zero padding do not reach.
    static func interior(_ count: Int) -> Range<Int> {
        min(400, count / 4) ..< max(min(400, count / 4), count - min(400, count / 4))
    }

    static func rms(_ samples: ArraySlice<Float>) -> Double {
        (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(samples.count, 1))).squareRoot()
    }

    /// Amplitude of `signal` along `direction`, relative to the direction's own amplitude.
    static func projection(_ signal: ArraySlice<Float>, _ direction: ArraySlice<Float>) -> Double {
        let dot = zip(signal, direction).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let norm = direction.reduce(0.0) { $0 + Double($1) * Double($1) }
        return abs(dot / norm)
    }
}
