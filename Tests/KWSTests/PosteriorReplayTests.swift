import Foundation
import KWS
import KWSTestSupport
import XCTest

/// Replaying the detector on stored posteriors gives what the live spotter gave, so a threshold sweep
/// describes the real detector.
final class PosteriorReplayTests: XCTestCase {
    private func live(_ configuration: DetectorConfiguration) throws -> (detections: [Detection], track: PosteriorTrack) {
        let audio = try AudioFile(contentsOf: TestPaths.file("Samples/sequence.wav"))
        let spotter = try KeywordSpotter(model: ModelCatalog.load(), configuration: configuration)
        spotter.recordsPosteriors = true
        var detections = [Detection]()
        for start in stride(from: 0, to: audio.samples.count, by: 12_345) {
            detections += spotter.feed(Array(audio.samples[start..<min(audio.samples.count, start + 12_345)]))
        }
        detections += spotter.finish()
        return (detections, spotter.posteriorTrack)
    }

    func testReplayingTheTrackGivesTheLiveDetections() throws {
        let configuration = DetectorConfiguration(threshold: 0.6)
        let (detections, track) = try live(configuration)
        XCTAssertFalse(detections.isEmpty)
        XCTAssertEqual(track.audioSamples, try AudioFile(contentsOf: TestPaths.file("Samples/sequence.wav")).samples.count)
        XCTAssertEqual(track.count, track.windowStarts.count)
        XCTAssertEqual(try track.detections(configuration: configuration), detections)
        XCTAssertThrowsError(try track.detections(configuration: DetectorConfiguration(hopMilliseconds: 50)), "recorded at another hop")
    }

    func testTheSweepAtOneThresholdScoresWhatALiveRunAtThatThresholdScores() throws {
        let truth = try TruthFile.load(path: TestPaths.file("Samples/sequence.txt").path)
        let (_, track) = try live(DetectorConfiguration())
        let sweep = try OperatingPointSweep(recordings: [(track, truth)], configuration: DetectorConfiguration())
        XCTAssertEqual(sweep.thresholds, OperatingPointSweep.defaultThresholds)
        XCTAssertEqual(sweep.thresholds.count, 84)
        for threshold: Float in [0.5, 0.8, 0.95] {
            let index = try XCTUnwrap(sweep.thresholds.firstIndex(of: threshold))
            let run = try live(DetectorConfiguration(threshold: threshold))
            XCTAssertEqual(sweep.scores[index], StreamScore(detections: run.detections, truth: truth, seconds: Double(track.audioSamples) / 16000), "at \(threshold)")
        }
    }

    /// `kws eval --stream --jobs N` sweeps each recording on its own thread and adds the sweeps.
    func testAddingTheSweepsOfEachRecordingGivesTheSweepOfAllTogether() throws {
        let truth = try TruthFile.load(path: TestPaths.file("Samples/sequence.txt").path)
        let (_, track) = try live(DetectorConfiguration())
        let recordings = [(track: track, truth: truth), (track: track, truth: [KeywordEvent]())]
        let together = try OperatingPointSweep(recordings: recordings, configuration: DetectorConfiguration())
        var added = try OperatingPointSweep(recordings: [], configuration: DetectorConfiguration())
        for recording in recordings { added.add(try OperatingPointSweep(recordings: [recording], configuration: DetectorConfiguration())) }
        XCTAssertEqual(added.scores, together.scores)
        XCTAssertGreaterThan(added.scores[0].seconds, 0)
    }
}
