import CKWSHeader
import Foundation
import KWSTestSupport
import XCTest

/// `kws_options.false_alarms_per_hour`, `kws_spotter_threshold` and the reason fields of `kws_detection`,
/// against the CLI on the same model file (a copy of the default model with the hand-made table of
/// ``OperatingPointFixture``).
final class OperatingPointCAPITests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try OperatingPointFixture.temporaryDirectory()
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(at: directory!) }
    }

    private func model(table: String? = OperatingPointFixture.tableJSON) throws -> String {
        try OperatingPointFixture.modelCopy(table: table, in: directory, name: table == nil ? "plain.safetensors" : "table.safetensors").path
    }

    private func spotter(_ path: String, threshold: Float = 0, budget: Float = 0) throws -> OpaquePointer {
        var options = kws_default_options()
        options.threshold = threshold
        options.false_alarms_per_hour = budget
        var spotter: OpaquePointer?
        let status = kws_spotter_create(path, &options, &spotter)
        guard status == KWS_OK, let spotter else { throw CAPIFailure(status: status, message: CAPIFixtures.lastError()) }
        addTeardownBlock { kws_spotter_free(spotter) }
        return spotter
    }

    private func thresholds(_ spotter: OpaquePointer) throws -> [String: Float] {
        var chosen = [String: Float]()
        for keyword in OperatingPointFixture.keywords {
            var value: Float = -1
            let status = kws_spotter_threshold(spotter, keyword, &value)
            guard status == KWS_OK else { throw CAPIFailure(status: status, message: CAPIFixtures.lastError()) }
            chosen[keyword] = value
        }
        return chosen
    }

    private func requireCLI() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TestPaths.kwsBinary.path), "kws binary not built")
    }

    /// What the CLI chose: the `thresholds` of `kws eval --stream --json`.
    private func cliThresholds(_ path: String, _ arguments: [String]) throws -> [String: Float] {
        let result = try ProcessRunner.kws(["eval", "--stream", try CAPIFixtures.sequencePath(), "--json", "--model", path] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try XCTUnwrap(object?["thresholds"] as? [String: Double]).mapValues { Float($0) }
    }

    func testTheCAPIAndTheCLIChooseTheSameThresholds() throws {
        try requireCLI()
        let path = try model()
        XCTAssertEqual(try thresholds(try spotter(path)), try cliThresholds(path, []), "the table's default")
        for budget: Float in [0.5, 1, 2, 5, 20] {
            let chosen = try thresholds(try spotter(path, budget: budget))
            XCTAssertEqual(chosen, try cliThresholds(path, ["--false-alarms-per-hour", "\(budget)"]), "at \(budget)/h")
        }
        XCTAssertEqual(try thresholds(try spotter(path, threshold: 0.6, budget: 5)), try cliThresholds(path, ["--false-alarms-per-hour", "5", "--threshold", "0.6"]))
        XCTAssertEqual(Set(try thresholds(try spotter(path, threshold: 0.6, budget: 5)).values), [0.6], "an explicit threshold wins")
        let plain = try model(table: nil)
        XCTAssertEqual(Set(try thresholds(try spotter(plain)).values), [0.7], "no table: the old default")
    }

    func testABudgetTheModelCannotMeetFailsCreationWithAReason() throws {
        let path = try model()
        for (budget, words) in [(Float.nan, "use a number > 0"), (-1, "use a number > 0"), (.infinity, "use a number > 0"),
                                (1e9, "outside the table"), (0.01, "below what the table reaches")] {
            var options = kws_default_options()
            options.false_alarms_per_hour = budget
            var spotter: OpaquePointer?
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["false alarms per hour", words]) { kws_spotter_create(path, &options, &spotter) }
            XCTAssertNil(spotter)
        }
        var options = kws_default_options()
        options.false_alarms_per_hour = 1
        var spotter: OpaquePointer?
        let plain = try model(table: nil)
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["no operating points"]) { kws_spotter_create(plain, &options, &spotter) }
        XCTAssertNil(spotter)
    }

    func testThresholdLookupRefusesWhatIsNotAKeyword() throws {
        let spotter = try spotter(try model())
        var value: Float = 0
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["kws_spotter_threshold", "NULL"]) { kws_spotter_threshold(nil, "yes", &value) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["label is NULL"]) { kws_spotter_threshold(spotter, nil, &value) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["out is NULL"]) { kws_spotter_threshold(spotter, "yes", nil) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["'_silence_' is not a keyword"]) { kws_spotter_threshold(spotter, "_silence_", &value) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["'maybe'", "yes"]) { kws_spotter_threshold(spotter, "maybe", &value) }
        expect(KWS_OK) { kws_spotter_threshold(spotter, "yes", &value) }
        XCTAssertEqual(value, 0.9, "the fixture's default budget, 1/h")
    }

    func testDetectStreamAndTheCAPIHearTheSameEvents() throws {
        try requireCLI()
        let path = try model()
        let sequence = try CAPIFixtures.sequencePath()
        let (samples, rate) = try CAPIFixtures.readWAV(sequence)
        let records = try StreamRun.detections(try spotter(path, budget: 5), samples, rate: rate, chunkSizes: [4000, 77])
        XCTAssertFalse(records.isEmpty)
        XCTAssertTrue(records.allSatisfy { $0.windowsAbove >= 1 && $0.score >= $0.threshold })
        // The CLI's JSON rounds: score and threshold to 4 decimals, times to 3.
        let expected = records.map { record in
            [record.label, String(format: "%.4f", record.score), String(format: "%.3f", Double(record.startSample) / 16000),
             String(format: "%.3f", Double(record.endSample) / 16000), String(format: "%.4f", record.threshold), String(record.windowsAbove)]
        }
        func events(_ result: ProcessResult) throws -> [[String]] {
            XCTAssertEqual(result.status, 0, result.stderr)
            return try result.lines.map { line in
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return [object["label"] as? String ?? "", String(format: "%.4f", object["score"] as? Double ?? -1),
                        String(format: "%.3f", object["start"] as? Double ?? -1), String(format: "%.3f", object["end"] as? Double ?? -1),
                        String(format: "%.4f", object["threshold"] as? Double ?? -1), String(object["windows_above"] as? Int ?? -1)]
            }
        }
        let options = ["--json", "--model", path, "--false-alarms-per-hour", "5"]
        XCTAssertEqual(try events(try ProcessRunner.kws(["detect"] + options + [sequence])), expected, "kws detect")
        let pcm = try CAPIFixtures.rawPCM(sequence)
        XCTAssertEqual(try events(try ProcessRunner.kws(["stream"] + options, stdin: pcm, chunkSizes: [1, 4093])), expected, "kws stream, odd chunks")
        XCTAssertEqual(try events(try ProcessRunner.kws(["stream"] + options, stdin: pcm, chunkSizes: [32000, 6])), expected, "kws stream, large chunks")
    }
}
