import Foundation
import KWSAudio

/// `kws-bench audio`: the signal-processing front end, one thread.
///
/// - MFCC per second of 16 kHz audio (98 frames), whole-signal (`FeatureExtractor.features`)
///   and streaming (`FeatureExtractor.append` in 10 ms chunks), default `.tcResNet` config.
/// - One MFCC frame, and the FFTW r2c 512 inside it, per frame.
/// - Resampling throughput, 48 kHz and 44.1 kHz → 16 kHz, as a multiple of real time.
enum AudioBenchmarks {
    static func run() throws {
        print("audio: medians of repeated runs after warm-up; inputs are seeded white noise")
        let second = noise(count: 16000, seed: 1)

        let whole = BenchmarkTiming.measure(runs: 300) {
            blackHole(try? FeatureExtractor.features(of: second))
        }
        report("MFCC whole-signal, 1 s (98 frames)", whole, perAudioSecond: 1)

        let extractor = try FeatureExtractor()
        let chunks = stride(from: 0, to: second.count, by: 160).map { Array(second[$0 ..< $0 + 160]) }
        var checksum: Float = 0
        let streaming = BenchmarkTiming.measure(runs: 300) {
            extractor.reset()
            for chunk in chunks {
                extractor.append(chunk) { _, coefficients in checksum += coefficients[0] }
            }
        }
        blackHole(checksum)
        report("MFCC streaming, 1 s in 10 ms chunks", streaming, perAudioSecond: 1)

        let mfcc = try MFCC(config: .tcResNet)
        var coefficients = [Float](repeating: 0, count: mfcc.coefficientCount)
        let frame = second[0 ..< 480]
        let perFrame = BenchmarkTiming.measure(runs: 20000, warmup: 2000) {
            mfcc.compute(frame: frame, into: &coefficients)
        }
        blackHole(coefficients[0])
        print("  MFCC one frame (480 → 40):           \(perFrame)")

        let fft = try FFTRealForward(length: 512)
        fft.withInput { input in for i in 0..<480 { input[i] = second[i] } }
        let transform = BenchmarkTiming.measure(runs: 20000, warmup: 2000) { fft.execute() }
        blackHole(fft.withSpectrum { $0[1] })
        print("  FFTW r2c 512, one frame:             \(transform)")

        for inputRate in [48000, 44100] {
            let seconds = 10
            let input = noise(count: inputRate * seconds, seed: 2)
            let timing = BenchmarkTiming.measure(runs: 15, warmup: 2) {
                blackHole(try? Resampler.resample(input, from: inputRate, to: 16000))
            }
            let realTime = Double(seconds) / (timing.median / 1e6)
            print(String(format: "  resample %5d → 16000 Hz, %d s:       %8.0f× real time  (%@)",
                         inputRate, seconds, realTime, timing.description))
        }
    }

    private static func report(_ label: String, _ timing: BenchmarkTiming.Summary, perAudioSecond seconds: Double) {
        let padded = label.padding(toLength: 38, withPad: " ", startingAt: 0)
        print(String(format: "  %@ %7.1f µs per audio second  (%@)", padded, timing.median / seconds, timing.description))
    }

    private static func noise(count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int32(truncatingIfNeeded: state >> 32)) / Float(Int32.max) * 0.3
        }
    }

    /// Keeps the optimiser from discarding a result.
    @inline(never)
    private static func blackHole<T>(_ value: T) {
        withExtendedLifetime(value) {}
    }
}
