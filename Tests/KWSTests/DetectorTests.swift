@testable import KWS
import XCTest

/// The detector's state machine on hand-made posterior sequences (no model involved).
final class DetectorTests: XCTestCase {
    private let labels = ["_silence_", "_unknown_", "yes", "no"]
    private let hop = 1600  // 100 ms at 16 kHz

    private func posteriors(_ label: String, _ score: Float) -> [Float] {
        var p = [Float](repeating: (1 - score) / Float(labels.count - 1), count: labels.count)
        p[labels.firstIndex(of: label)!] = score
        return p
    }

    /// Runs `sequence` (one posterior vector per hop) through a detector and collects detections.
    private func run(_ sequence: [[Float]], _ configuration: DetectorConfiguration = .init(smoothingMilliseconds: 100)) throws -> [Detection] {
        var detector = try Detector(labels: labels, configuration: configuration, sampleRate: 16000, windowSamples: 16000)
        var found = [Detection]()
        for (i, p) in sequence.enumerated() {
            if let d = detector.observe(posteriors: p, windowStart: i * hop) { found.append(d) }
        }
        if let d = detector.finish() { found.append(d) }
        return found
    }

    func testOneUtteranceFiresOnceAtTheMiddleOfItsRun() throws {
        let quiet = Array(repeating: posteriors("_silence_", 0.9), count: 10)
        let word = Array(repeating: posteriors("yes", 0.95), count: 5)
        let found = try run(quiet + word + quiet)
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.label, "yes")
        XCTAssertEqual(found.first?.startSample, 12 * hop)  // windows 10…14, middle 12
        XCTAssertEqual(found.first?.endSample, 12 * hop + 16000)
        XCTAssertEqual(Double(found.first?.score ?? 0), 0.95, accuracy: 1e-6)
    }

    func testADipMidWordNeitherSplitsNorShiftsTheWord() throws {
        let quiet = Array(repeating: posteriors("_silence_", 0.9), count: 10)
        let word = [0.75, 0.72, 0.5, 0.55, 0.8, 0.9, 0.85].map { posteriors("yes", Float($0)) }
        let found = try run(quiet + word + quiet)
        XCTAssertEqual(found.map(\.label), ["yes"])
        XCTAssertEqual(found.first?.startSample, 13 * hop, "the run is windows 10…16, middle 13")
    }

    func testSilenceAndUnknownNeverFire() throws {
        let found = try run(Array(repeating: posteriors("_unknown_", 1), count: 20) + Array(repeating: posteriors("_silence_", 1), count: 20))
        XCTAssertTrue(found.isEmpty)
    }

    func testBelowThresholdDoesNotFireAndPerKeywordThresholdsApply() throws {
        let sequence = Array(repeating: posteriors("yes", 0.6), count: 5)
        XCTAssertTrue(try run(sequence).isEmpty)
        let lowered = DetectorConfiguration(smoothingMilliseconds: 100, thresholds: ["yes": 0.5])
        XCTAssertEqual(try run(sequence, lowered).map(\.label), ["yes"])
    }

    func testRefractoryPeriodMergesCloseRunsButNotDistantOnes() throws {
        let word = Array(repeating: posteriors("yes", 0.95), count: 3)
        let gap = { (n: Int) in Array(repeating: self.posteriors("_silence_", 0.9), count: n) }
        XCTAssertEqual(try run(word + gap(2) + word).count, 1, "a 200 ms dip inside the 500 ms refractory period")
        XCTAssertEqual(try run(word + gap(8) + word).count, 2, "two words 800 ms apart")
    }

    func testSmoothingSuppressesOneWindowSpikes() throws {
        let quiet = Array(repeating: posteriors("_silence_", 0.9), count: 5)
        let spike = [posteriors("no", 0.99)]
        let smoothed = DetectorConfiguration(smoothingMilliseconds: 300)
        XCTAssertTrue(try run(quiet + spike + quiet, smoothed).isEmpty)
        XCTAssertEqual(try run(quiet + spike + quiet).count, 1, "without smoothing the spike fires")
    }

    func testAWordThatRisesDipsBelowThresholdButAboveHalfAndRisesAgainIsOneEvent() throws {
        let quiet = Array(repeating: posteriors("_silence_", 0.9), count: 10)
        let word = [0.5, 0.8, 0.9, 0.6, 0.45, 0.4, 0.6, 0.85, 0.9, 0.5].map { posteriors("yes", Float($0)) }
        let found = try run(quiet + word + quiet)
        XCTAssertEqual(found.map(\.label), ["yes"])
        XCTAssertEqual(found.first?.threshold, 0.7)
        XCTAssertEqual(found.first?.windowsAbove, 4, "0.8, 0.9, 0.85 and 0.9 reach 0.7")
        XCTAssertEqual(Double(found.first?.score ?? 0), 0.9, accuracy: 1e-6)
    }

    func testAKeywordHeldLongIsOneEventReportedWithinASecond() throws {
        var detector = try Detector(labels: labels, configuration: .init(smoothingMilliseconds: 100), sampleRate: 16000, windowSamples: 16000)
        var found = [(window: Int, detection: Detection)]()
        let sequence = Array(repeating: posteriors("_silence_", 0.9), count: 5) + Array(repeating: posteriors("yes", 0.99), count: 40)
            + Array(repeating: posteriors("_silence_", 0.9), count: 10)
        for (i, p) in sequence.enumerated() {
            if let d = detector.observe(posteriors: p, windowStart: i * hop) { found.append((i, d)) }
        }
        if let d = detector.finish() { found.append((sequence.count, d)) }
        XCTAssertEqual(found.map(\.detection.label), ["yes"], "4 s of one word")
        XCTAssertLessThanOrEqual(found.first?.window ?? 99, 5 + 10, "decided after at most 1 s of the word")
        XCTAssertEqual(found.first?.detection.windowsAbove, 10)
    }

    func testAWordAfterAHeldWordStillFires() throws {
        let held = Array(repeating: posteriors("yes", 0.99), count: 25)
        let gap = Array(repeating: posteriors("_silence_", 0.9), count: 8)
        let word = Array(repeating: posteriors("no", 0.95), count: 3)
        XCTAssertEqual(try run(held + gap + word).map(\.label), ["yes", "no"])
        XCTAssertEqual(try run(held + gap + held).map(\.label), ["yes", "yes"], "the same keyword spoken again")
    }

    func testDetectionsCarryTheThresholdTheyReached() throws {
        let sequence = Array(repeating: posteriors("yes", 0.6), count: 5)
        let found = try run(sequence, DetectorConfiguration(smoothingMilliseconds: 100, thresholds: ["yes": 0.55]))
        XCTAssertEqual(found.first?.threshold, 0.55)
        XCTAssertEqual(found.first?.windowsAbove, 5)
    }

    func testInvalidConfigurationsAreRejected() {
        XCTAssertThrowsError(try run([], DetectorConfiguration(hopMilliseconds: 15)))
        XCTAssertThrowsError(try run([], DetectorConfiguration(threshold: 0)))
        XCTAssertThrowsError(try run([], DetectorConfiguration(thresholds: ["maybe": 0.5])))
        XCTAssertThrowsError(try run([], DetectorConfiguration(refractoryMilliseconds: -1)))
        XCTAssertThrowsError(try run([], DetectorConfiguration(falseAlarmsPerHour: .nan)))
        XCTAssertThrowsError(try run([], DetectorConfiguration(falseAlarmsPerHour: 1)), "no operating points to look it up in")
    }
}
