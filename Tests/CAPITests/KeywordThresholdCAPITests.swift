import CKWSHeader
import Foundation
import KWSTestSupport
import XCTest

/// Issue 15, item 6: per-keyword thresholds and the false-alarm budget set on a C spotter
/// (`kws_spotter_set_threshold`, `kws_spotter_set_false_alarms_per_hour`) choose what the CLI's
/// `--threshold LABEL=X` and `--false-alarms-per-hour` choose, and change what the spotter hears.
final class KeywordThresholdCAPITests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try OperatingPointFixture.temporaryDirectory()
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(at: directory!) }
    }

    private func spotter(_ path: String) throws -> OpaquePointer {
        var options = kws_default_options()
        var spotter: OpaquePointer?
        let status = kws_spotter_create(path, &options, &spotter)
        guard status == KWS_OK, let spotter else { throw CAPIFailure(status: status, message: CAPIFixtures.lastError()) }
        addTeardownBlock { kws_spotter_free(spotter) }
        return spotter
    }

    private func threshold(_ spotter: OpaquePointer, _ label: String) -> Float {
        var value: Float = -1
        XCTAssertEqual(kws_spotter_threshold(spotter, label, &value), KWS_OK, CAPIFixtures.lastError())
        return value
    }

    /// The labels and scores detected in Samples/sequence.wav.
    private func heard(_ spotter: OpaquePointer) throws -> [(label: String, score: Float)] {
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        XCTAssertEqual(samples.withUnsafeBufferPointer { kws_feed_f32(spotter, $0.baseAddress, samples.count, rate, 1) }, KWS_OK)
        XCTAssertEqual(kws_finish(spotter), KWS_OK)
        var found = [(label: String, score: Float)]()
        var detection = kws_detection()
        while kws_next_detection(spotter, &detection) == KWS_OK { found.append((String(cString: detection.label), detection.score)) }
        return found
    }

    func testOneKeywordsThresholdChangesOnlyThatKeyword() throws {
        let spotter = try spotter(try OperatingPointFixture.modelCopy(in: directory, name: "table.safetensors").path)
        let before = OperatingPointFixture.keywords.map { threshold(spotter, $0) }
        XCTAssertEqual(kws_spotter_set_threshold(spotter, "yes", 0.999), KWS_OK, CAPIFixtures.lastError())
        XCTAssertEqual(threshold(spotter, "yes"), 0.999)
        for (index, keyword) in OperatingPointFixture.keywords.enumerated() where keyword != "yes" {
            XCTAssertEqual(threshold(spotter, keyword), before[index], keyword)
        }
        XCTAssertEqual(kws_spotter_set_threshold(spotter, nil, 0.6), KWS_OK)
        XCTAssertEqual(Set(OperatingPointFixture.keywords.map { threshold(spotter, $0) }), [0.6])
    }

    func testTheCLIChoosesTheSameThresholdsFromTheSameSettings() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TestPaths.kwsBinary.path), "kws binary not built")
        let path = try OperatingPointFixture.modelCopy(in: directory, name: "table.safetensors").path
        let spotter = try spotter(path)
        XCTAssertEqual(kws_spotter_set_false_alarms_per_hour(spotter, 5), KWS_OK, CAPIFixtures.lastError())
        XCTAssertEqual(kws_spotter_set_threshold(spotter, "go", 0.42), KWS_OK)
        let result = try ProcessRunner.kws(["eval", "--stream", try CAPIFixtures.sequencePath(), "--json", "--model", path,
                                            "--false-alarms-per-hour", "5", "--threshold", "go=0.42"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let cli = try XCTUnwrap(object?["thresholds"] as? [String: Double]).mapValues { Float($0) }
        for keyword in OperatingPointFixture.keywords { XCTAssertEqual(threshold(spotter, keyword), cli[keyword], keyword) }
        // The budget replaces every threshold set before it; 0 goes back to the model's default.
        XCTAssertEqual(kws_spotter_set_false_alarms_per_hour(spotter, 0), KWS_OK)
        let fresh = try self.spotter(path)
        for keyword in OperatingPointFixture.keywords { XCTAssertEqual(threshold(spotter, keyword), threshold(fresh, keyword), keyword) }
    }

    func testAThresholdAboveAWordsPeakSilencesItInTheStream() throws {
        let spotter = try spotter(CAPIFixtures.modelPath)
        let all = try heard(spotter)
        // A keyword heard once whose peak score leaves room above it.
        let target = try XCTUnwrap(all.first { word in word.score < 0.99 && all.filter { $0.label == word.label }.count == 1 },
                                   "\(all)")
        XCTAssertEqual(kws_spotter_set_threshold(spotter, target.label, min(1, target.score + 0.005)), KWS_OK)
        let after = try heard(spotter)
        XCTAssertEqual(after.map(\.label), all.map(\.label).filter { $0 != target.label }, "\(target.label) raised above its peak")
    }

    func testSettingsAreRefusedMidStreamAndWhenOutOfRange() throws {
        let spotter = try spotter(CAPIFixtures.modelPath)
        XCTAssertEqual(kws_spotter_set_threshold(spotter, "yes", 0), KWS_ERROR_INVALID_ARGUMENT)
        XCTAssertEqual(kws_spotter_set_threshold(spotter, "yes", 1.5), KWS_ERROR_INVALID_ARGUMENT)
        XCTAssertEqual(kws_spotter_set_threshold(spotter, "_silence_", 0.5), KWS_ERROR_INVALID_ARGUMENT)
        XCTAssertTrue(CAPIFixtures.lastError().contains("not a keyword"), CAPIFixtures.lastError())
        XCTAssertEqual(kws_spotter_set_threshold(nil, "yes", 0.5), KWS_ERROR_INVALID_ARGUMENT)
        XCTAssertEqual(kws_spotter_set_false_alarms_per_hour(spotter, -1), KWS_ERROR_INVALID_ARGUMENT)
        XCTAssertEqual(kws_spotter_set_false_alarms_per_hour(spotter, .nan), KWS_ERROR_INVALID_ARGUMENT)
        let samples = [Int16](repeating: 0, count: 1600)
        XCTAssertEqual(samples.withUnsafeBufferPointer { kws_feed_s16(spotter, $0.baseAddress, 1600, 16000, 1) }, KWS_OK)
        XCTAssertEqual(kws_spotter_set_threshold(spotter, "yes", 0.5), KWS_ERROR_STATE)
        XCTAssertTrue(CAPIFixtures.lastError().contains("stream is in progress"), CAPIFixtures.lastError())
        XCTAssertEqual(kws_reset(spotter), KWS_OK)
        XCTAssertEqual(kws_spotter_set_threshold(spotter, "yes", 0.5), KWS_OK)
    }
}
