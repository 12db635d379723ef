import Foundation
import KWSCore
@_spi(Benchmark) import KWSAudio

/// `kws-bench audio`: the signal-processing front end, one thread.
///
/// - MFCC per second of 16 kHz audio (98 frames), whole-signal (`FeatureExtractor.features`)
///   and streaming (`FeatureExtractor.append` in 10 ms chunks), default `.tcResNet` config, with the
///   C pass after the FFT (kws_mfcc.h, the variant `KWS_ISA` selects); beside it the same frames with
///   the Swift stages (the reference the C pass reproduces bit for bit), and the floor: the 98 FFTW
///   r2c 512 transforms alone.
/// - One MFCC frame, and the FFTW r2c 512 inside it, per frame.
/// - Resampling throughput, 48 kHz and 44.1 kHz → 16 kHz, as a multiple of real time.
enum AudioBenchmarks {
    static func run() throws {
        print("audio: medians of repeated runs after warm-up; inputs are seeded white noise")
        let second = noise(count: 16000, seed: 1)
        let config = FrontEndConfig.tcResNet
        let frames = config.frameCount(samples: second.count)
        let plan = try FFTRealForward.planDescription(length: config.fftLength)
        print("  mfcc pass \(try MFCC(config: config).kernelName); fft r2c \(config.fftLength): fftw \(plan.source.rawValue)")

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

        // The same 98 frames with the Swift stages after the FFT (whole-signal loop, one MFCC per run as
        // `FeatureExtractor.features` makes one).
        var row = [Float](repeating: 0, count: config.coefficients)
        var rowSum: Float = 0
        let swiftStages = BenchmarkTiming.measure(runs: 300) {
            guard let reference = try? MFCC(config: config, swiftReference: true) else { return }
            for frame in 0..<frames {
                let start = frame * config.hopLength
                reference.compute(frame: second[start ..< start + config.windowLength], into: &row)
                rowSum += row[0]
            }
        }
        blackHole(rowSum)
        report("MFCC whole-signal, Swift stages", swiftStages, perAudioSecond: 1)

        let floorFFT = try FFTRealForward(length: config.fftLength)
        floorFFT.withInput { input in for i in 0..<480 { input[i] = second[i] } }
        let floor = BenchmarkTiming.measure(runs: 300) {
            for _ in 0..<frames { floorFFT.execute() }
        }
        blackHole(floorFFT.withSpectrum { $0[1] })
        report("FFTW floor: 98 × r2c 512 alone", floor, perAudioSecond: 1)

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
