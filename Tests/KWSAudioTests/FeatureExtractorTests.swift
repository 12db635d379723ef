import KWSAudio
import KWSCore
import KWSTestSupport
import XCTest

final class FeatureExtractorTests: XCTestCase {
    /// Property: any chunking of the stream yields exactly (bit for bit) the whole-signal features.
    func testRandomChunksGiveBitIdenticalFeatures() throws {
        let signals = [
            try MFCCGolden.floats("speech_yes.input.f32"),
            try MFCCGolden.floats("chirp_1_37s.input.f32"),
        ]
        for config in [FrontEndConfig.tcResNet, .audioOps] {
            for (signalIndex, signal) in signals.enumerated() {
                let whole = try FeatureExtractor.features(of: signal, config: config)
                for seed in 1...4 {
                    var generator = SplitMix64(seed: UInt64(seed))
                    let fixedSizes: [Int] = seed == 1 ? [1] : seed == 2 ? [37] : seed == 3 ? [16000] : []
                    let streamed = try stream(signal, config: config) {
                        fixedSizes.first ?? Int.random(in: 0...700, using: &generator)
                    }
                    XCTAssertEqual(streamed.frames, whole.frames, "signal \(signalIndex) seed \(seed)")
                    XCTAssertTrue(streamed.values == whole.values,
                                  "signal \(signalIndex) \(config.variant) seed \(seed): streamed features differ")
                }
            }
        }
    }

    func testCountersAndFrameIndices() throws {
        let extractor = try FeatureExtractor()
        var indices = [Int]()
        extractor.append([Float](repeating: 0.1, count: 479)) { index, _ in indices.append(index) }
        XCTAssertEqual(indices, [])
        extractor.append([0.1]) { index, coefficients in
            indices.append(index)
            XCTAssertEqual(coefficients.count, 40)
        }
        XCTAssertEqual(indices, [0])
        extractor.append([Float](repeating: 0.1, count: 16000 - 480)) { index, _ in indices.append(index) }
        XCTAssertEqual(indices, Array(0..<98))
        XCTAssertEqual(extractor.framesProduced, 98)
        XCTAssertEqual(extractor.samplesConsumed, 16000)
        extractor.reset()
        XCTAssertEqual(extractor.framesProduced, 0)
        XCTAssertEqual(extractor.samplesConsumed, 0)
    }

    func testResetForgetsBufferedAudio() throws {
        let signal = try MFCCGolden.floats("speech_yes.input.f32")
        let extractor = try FeatureExtractor()
        extractor.append(Array(signal[0..<1000])) { _, _ in }
        extractor.reset()
        var first = [Float]()
        extractor.append(signal) { index, coefficients in if index == 0 { first = coefficients } }
        XCTAssertEqual(first, Array(try FeatureExtractor.features(of: signal).row(0)))
    }

    func testShortSignalsGiveNoFrames() throws {
        XCTAssertEqual(try FeatureExtractor.features(of: []).frames, 0)
        XCTAssertEqual(try FeatureExtractor.features(of: [Float](repeating: 1, count: 479)).frames, 0)
        XCTAssertEqual(try FeatureExtractor.features(of: [Float](repeating: 1, count: 480)).frames, 1)
    }

    /// A hop longer than the window skips the samples in between, in whole and streamed form alike.
    func testHopLongerThanWindow() throws {
        var config = FrontEndConfig.tcResNet
        config.hopLength = 700
        let signal = try MFCCGolden.floats("chirp_1_37s.input.f32")
        let whole = try FeatureExtractor.features(of: signal, config: config)
        XCTAssertEqual(whole.frames, config.frameCount(samples: signal.count))
        var generator = SplitMix64(seed: 99)
        let streamed = try stream(signal, config: config) { Int.random(in: 1...900, using: &generator) }
        XCTAssertTrue(streamed.values == whole.values)
    }

    func testRejectsInvalidConfig() {
        var config = FrontEndConfig.tcResNet
        config.sampleRate = 8000
        XCTAssertThrowsError(try FeatureExtractor(config: config))
        XCTAssertThrowsError(try FeatureExtractor.features(of: [0], config: config))
    }

    private func stream(_ signal: [Float], config: FrontEndConfig, nextSize: () -> Int) throws -> FeatureMatrix {
        let extractor = try FeatureExtractor(config: config)
        var matrix = FeatureMatrix(frames: config.frameCount(samples: signal.count), coefficients: config.coefficients)
        var start = 0
        while start < signal.count {
            let end = min(signal.count, start + nextSize())
            extractor.append(Array(signal[start..<end])) { index, coefficients in
                guard index < matrix.frames else { return XCTFail("extra frame \(index)") }
                matrix.values.replaceSubrange(index * matrix.coefficients ..< (index + 1) * matrix.coefficients, with: coefficients)
            }
            start = end
        }
        XCTAssertEqual(extractor.framesProduced, matrix.frames)
        XCTAssertEqual(extractor.samplesConsumed, signal.count)
        return matrix
    }
}

