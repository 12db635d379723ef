import Foundation
import KWS
import KWSAudio
import KWSTestSupport
import XCTest

/// The streaming detector on real keyword clips laid end to end with silence between them.
final class KeywordSpotterStreamTests: XCTestCase {
    private let keywords = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]

    /// Sample clips the default model classifies correctly and confidently on their own, so that this test
    /// measures the detector (one detection each, at the right time), not the model's recall.
    private func recognisedClips(_ spotter: KeywordSpotter) throws -> [(label: String, samples: [Float])] {
        try keywords.compactMap { keyword in
            let audio = try AudioFile(contentsOf: TestPaths.file("Samples/\(keyword).wav"))
            let result = try spotter.classify(clip: audio.samples, sampleRate: KeywordSpotter.sampleRate)
            return result.label == keyword && result.score >= 0.8 ? (keyword, audio.samples) : nil
        }
    }

    /// Where the word is in a clip: the span whose 50 ms energy exceeds 5% of the clip's peak energy.
    private func spokenSpan(_ samples: [Float]) -> ClosedRange<Int> {
        let width = 800
        var energy = [Float](repeating: 0, count: samples.count)
        var running: Float = 0
        for i in samples.indices {
            running += samples[i] * samples[i]
            if i >= width { running -= samples[i - width] * samples[i - width] }
            energy[i] = running
        }
        let limit = (energy.max() ?? 0) * 0.05
        let first = energy.firstIndex { $0 > limit } ?? 0, last = energy.lastIndex { $0 > limit } ?? samples.count - 1
        return max(0, first - width / 2)...max(0, last - width / 2)
    }

    func testEachClipIsDetectedOnceAtItsTimeWhateverTheChunking() throws {
        // One threshold for every keyword (not the model's quiet operating point), so that every clip the
        // model recognises alone is also heard in the stream: this test is about chunking and timing.
        let spotter = try KeywordSpotter(model: ModelCatalog.load(), configuration: DetectorConfiguration(threshold: 0.7))
        let clips = try recognisedClips(spotter)
        XCTAssertGreaterThanOrEqual(clips.count, 5, "the default model should recognise most sample clips")
        let gap = [Float](repeating: 0, count: 16000)
        var stream = [Float](repeating: 0, count: 8000), words = [ClosedRange<Int>]()
        for clip in clips {
            let span = spokenSpan(clip.samples)
            words.append(stream.count + span.lowerBound...stream.count + span.upperBound)
            stream += clip.samples + gap
        }
        var generator = SplitMix64(seed: 0x64)
        for chunking in ["whole", "random"] {
            spotter.reset()
            var found = [Detection]()
            if chunking == "whole" {
                found = spotter.feed(stream)
            } else {
                var offset = 0
                while offset < stream.count {
                    let size = Int.random(in: 1...5000, using: &generator)
                    found += spotter.feed(Array(stream[offset..<min(stream.count, offset + size)]))
                    offset += size
                }
            }
            found += spotter.finish()
            XCTAssertEqual(found.map(\.label), clips.map(\.label), chunking)
            for (detection, word) in zip(found, words) {
                // The window's centre points at the word, within 100 ms of its spoken span.
                let centre = (detection.startSample + detection.endSample) / 2
                XCTAssertTrue((word.lowerBound - 1600...word.upperBound + 1600).contains(centre),
                              "\(detection.label) (\(chunking)): window centre \(centre), word \(word)")
                XCTAssertEqual(detection.endSample - detection.startSample, 16000)
            }
        }
    }

    func testResampledInputGivesTheSameDetections() throws {
        let model = try ModelCatalog.load()
        let spotter16k = try KeywordSpotter(model: model)
        let clips = try recognisedClips(spotter16k)
        var stream = [Float](repeating: 0, count: 8000)
        for clip in clips { stream += clip.samples + [Float](repeating: 0, count: 12000) }
        let reference = spotter16k.feed(stream) + spotter16k.finish()
        let spotter44k = try KeywordSpotter(model: model, inputSampleRate: 44100)
        let upsampled = try Resampler.resample(stream, from: 16000, to: 44100)
        let found = spotter44k.feed(upsampled) + spotter44k.finish()
        XCTAssertEqual(found.map(\.label), reference.map(\.label))
        for (a, b) in zip(found, reference) { XCTAssertLessThanOrEqual(abs(a.startSample - b.startSample), 1600) }
    }
}

