import Foundation
import KWS
import KWSAudio
import KWSTestSupport
import XCTest

/// Issue 19: `kws train --recordings` reads any WAV kws reads, refuses what training could not use, and hands
/// the pipeline plain 16 kHz mono copies.
final class KeywordRecordingsTests: XCTestCase {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kws-recordings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func tone(_ seconds: Double, rate: Int) -> [Float] {
        (0 ..< Int(seconds * Double(rate))).map { Float(sin(Double($0) * 2 * .pi * 440 / Double(rate))) * 0.5 }
    }

    func testAnyRateAndLayoutBecomesSixteenKilohertzMono() throws {
        let root = try folder()
        let words = root.appendingPathComponent("lights_on")
        try FileManager.default.createDirectory(at: words, withIntermediateDirectories: true)
        try TestWAV.s16(tone(0.5, rate: 8000), sampleRate: 8000).write(to: words.appendingPathComponent("a.wav"))
        try TestWAV.f32(tone(0.5, rate: 48000), sampleRate: 48000).write(to: words.appendingPathComponent("b.wav"))
        try TestWAV.s16(tone(0.5, rate: 16000)).write(to: words.appendingPathComponent("c.WAV"))
        let recordings = try KeywordRecordings(directory: root.path, phrases: [KeywordPhrase("lights on")], windowSamples: 16000)
        XCTAssertEqual(recordings.clips["lights_on"]?.map(\.count), [8000, 8000, 8000])
        let out = root.appendingPathComponent("out")
        try recordings.write(to: out.path)
        for (index, clip) in recordings.clips["lights_on"]!.enumerated() {
            let decoded = try WAVDecoder.decode(contentsOf: out.appendingPathComponent("lights_on/00\(index).wav"))
            XCTAssertEqual(decoded.sampleRate, 16000)
            XCTAssertEqual(decoded.samples.count, clip.count)
            XCTAssertEqual(zip(decoded.samples, clip).map { abs($0 - $1) }.max() ?? 1, 0, accuracy: 1.0 / 32767 + 1e-6)
        }
    }

    func testWhatTrainingCannotUseIsRefusedByName() throws {
        let root = try folder()
        XCTAssertThrowsError(try KeywordRecordings(directory: root.appendingPathComponent("none").path, phrases: [KeywordPhrase("stop")], windowSamples: 16000)) {
            XCTAssertEqual($0 as? DirectoryError, .missing(root.appendingPathComponent("none").path))
        }
        XCTAssertThrowsError(try KeywordRecordings(directory: root.path, phrases: [KeywordPhrase("stop")], windowSamples: 16000)) {
            XCTAssertTrue(String(describing: $0).contains("no folder of recordings for 'stop'"), "\($0)")
        }
        let stop = root.appendingPathComponent("stop")
        try FileManager.default.createDirectory(at: stop, withIntermediateDirectories: true)
        for name in ["1.wav", "2.wav", "3.wav"] { try TestWAV.s16(tone(0.4, rate: 16000)).write(to: stop.appendingPathComponent(name)) }
        XCTAssertNoThrow(try KeywordRecordings(directory: root.path, phrases: [KeywordPhrase("stop")], windowSamples: 16000))
        try TestWAV.s16(tone(4.5, rate: 16000)).write(to: stop.appendingPathComponent("4.wav"))
        XCTAssertThrowsError(try KeywordRecordings(directory: root.path, phrases: [KeywordPhrase("stop")], windowSamples: 16000)) {
            XCTAssertTrue(String(describing: $0).hasSuffix("4.wav: lasts 4.5 s; a recording should hold one utterance of the word (at most 4 s)"), "\($0)")
        }
        // A 1.5 s window allows recordings up to 6 s.
        XCTAssertNoThrow(try KeywordRecordings(directory: root.path, phrases: [KeywordPhrase("stop")], windowSamples: 24000))
    }
}
