import CKWSHeader
import Foundation
import KWS
import KWSTestSupport
import XCTest

/// Every kind of bad input gets its documented status and a `kws_last_error()` message; nothing crashes.
final class MisuseTests: XCTestCase {
    private let silence = [Int16](repeating: 0, count: 1600)
    private let silenceF32 = [Float](repeating: 0, count: 1600)

    func testNullSpotterIsAnInvalidArgumentEverywhere() {
        var detection = kws_detection()
        var result = kws_classification()
        let calls: [(String, () -> kws_status)] = [
            ("kws_feed_s16", { kws_feed_s16(nil, self.silence, 1600, 16000, 1) }),
            ("kws_feed_f32", { kws_feed_f32(nil, self.silenceF32, 1600, 16000, 1) }),
            ("kws_finish", { kws_finish(nil) }),
            ("kws_reset", { kws_reset(nil) }),
            ("kws_next_detection", { kws_next_detection(nil, &detection) }),
            ("kws_set_detection_callback", { kws_set_detection_callback(nil, nil, nil) }),
            ("kws_classify_s16", { kws_classify_s16(nil, self.silence, 1600, 16000, 1, &result) }),
            ("kws_classify_f32", { kws_classify_f32(nil, self.silenceF32, 1600, 16000, 1, &result) }),
        ]
        for (name, call) in calls {
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: [name, "NULL"], call)
        }
        XCTAssertEqual(kws_label_count(nil), KWS_ERROR_INVALID_ARGUMENT.rawValue)
        XCTAssertNil(kws_label(nil, 0))
        XCTAssertTrue(CAPIFixtures.lastError().contains("kws_label"))
    }

    func testNullBuffersAndOutputs() throws {
        let spotter = try CAPIFixtures.spotter(self)
        var result = kws_classification()
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["NULL"]) { kws_feed_s16(spotter, nil, 1600, 16000, 1) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["NULL"]) { kws_feed_f32(spotter, nil, 1600, 16000, 1) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["NULL"]) { kws_classify_s16(spotter, nil, 1600, 16000, 1, &result) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["out is NULL"]) { kws_classify_f32(spotter, silenceF32, 1600, 16000, 1, nil) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["out is NULL"]) { kws_next_detection(spotter, nil) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["out is NULL"]) { kws_spotter_create(CAPIFixtures.modelPath, nil, nil) }
        var count = 0
        var rate: Int32 = 0
        var samples: UnsafeMutablePointer<Float>?
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["path is NULL"]) { kws_read_wav(nil, &samples, &count, &rate) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["NULL"]) { kws_read_wav("x.wav", nil, &count, &rate) }
    }

    func testZeroSamplesFeedNothingButAnEmptyClipIsAnError() throws {
        let spotter = try CAPIFixtures.spotter(self)
        var result = kws_classification()
        expect(KWS_OK) { kws_feed_s16(spotter, nil, 0, 16000, 1) }
        expect(KWS_OK) { kws_feed_f32(spotter, silenceF32, 0, 48000, 2) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["empty"]) { kws_classify_s16(spotter, silence, 0, 16000, 1, &result) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["empty"]) { kws_classify_f32(spotter, silenceF32, 0, 16000, 1, &result) }
    }

    func testAbsurdSampleRates() throws {
        let spotter = try CAPIFixtures.spotter(self)
        var result = kws_classification()
        for rate: Int32 in [0, -1, 1_000_000_000, .min, .max] {
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["sample rate", "\(rate)"]) { kws_feed_s16(spotter, silence, 1600, rate, 1) }
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["sample rate"]) { kws_feed_f32(spotter, silenceF32, 0, rate, 1) }
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["sample rate"]) { kws_classify_s16(spotter, silence, 1600, rate, 1, &result) }
        }
        // The extremes of the documented range work.
        expect(KWS_OK) { kws_classify_s16(spotter, silence, 1600, KWS_MAX_SAMPLE_RATE, 1, &result) }
        expect(KWS_OK) { kws_feed_s16(spotter, silence, 10, KWS_MIN_SAMPLE_RATE, 1) }
        expect(KWS_OK) { kws_finish(spotter) }
    }

    func testBadChannelCounts() throws {
        let spotter = try CAPIFixtures.spotter(self)
        var result = kws_classification()
        for channels: Int32 in [0, -1, KWS_MAX_CHANNELS + 1, .max] {
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["channels"]) { kws_feed_s16(spotter, silence, 100, 16000, channels) }
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["channels"]) { kws_classify_f32(spotter, silenceF32, 100, 16000, channels, &result) }
        }
    }

    func testFrameCountsThatOverflowAreRejectedBeforeAnyRead() throws {
        let spotter = try CAPIFixtures.spotter(self)
        // size_t values above SIZE_MAX / channels / sizeof(float); the buffer is never touched.
        for frames in [Int.max, -1, Int.max / 2 + 1] {
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["frames"]) { kws_feed_s16(spotter, silence, frames, 16000, 2) }
        }
    }

    func testBadModelNamesAndPaths() throws {
        var spotter: OpaquePointer? = OpaquePointer(bitPattern: 0x1)
        expect(KWS_ERROR_MODEL, mentioning: ["/no/such/dir/model.safetensors"]) {
            kws_spotter_create("/no/such/dir/model.safetensors", nil, &spotter)
        }
        XCTAssertNil(spotter, "out must be NULL after a failure")
        expect(KWS_ERROR_MODEL, mentioning: ["no-such-model"]) { kws_spotter_create("no-such-model", nil, &spotter) }
        // A file that exists but is no model: the loader names what is wrong.
        expect(KWS_ERROR_MODEL, mentioning: ["kws.h"]) { kws_spotter_create(TestPaths.file("include/kws.h").path, nil, &spotter) }
        expect(KWS_ERROR_MODEL) { kws_spotter_create(TestPaths.file("include").path + "/", nil, &spotter) }
        expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["empty"]) { kws_spotter_create("", nil, &spotter) }
        XCTAssertNil(spotter)
    }

    func testBadEngineName() {
        var spotter: OpaquePointer?
        var options = kws_default_options()
        "int3".withCString { name in
            options.engine = name
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: ["int3", "float"]) { kws_spotter_create(CAPIFixtures.modelPath, &options, &spotter) }
        }
        XCTAssertNil(spotter)
    }

    func testOptionsOutOfRange() {
        let cases: [(String, (inout kws_options) -> Void)] = [
            ("threshold", { $0.threshold = 1.5 }), ("threshold", { $0.threshold = -1 }),
            ("threshold", { $0.threshold = .nan }), ("threshold", { $0.threshold = .infinity }),
            ("hop", { $0.hop_ms = 15 }), ("hop", { $0.hop_ms = 0 }), ("hop", { $0.hop_ms = 2000 }), ("hop", { $0.hop_ms = -100 }),
            ("smoothing", { $0.smoothing_ms = -1 }), ("smoothing", { $0.smoothing_ms = .max }),
            ("refractory", { $0.refractory_ms = 60_001 }), ("refractory", { $0.refractory_ms = .min }),
            ("false alarms per hour", { $0.false_alarms_per_hour = .nan }), ("false alarms per hour", { $0.false_alarms_per_hour = -1 }),
            ("false alarms per hour", { $0.false_alarms_per_hour = .infinity }),
        ]
        for (word, change) in cases {
            var options = kws_default_options()
            change(&options)
            var spotter: OpaquePointer?
            expect(KWS_ERROR_INVALID_ARGUMENT, mentioning: [word]) { kws_spotter_create(CAPIFixtures.modelPath, &options, &spotter) }
            XCTAssertNil(spotter)
        }
    }

    func testFreeingNullIsANoOp() throws {
        // Like free(NULL): no crash, no error recorded, and the library goes on working.
        let before = String(cString: kws_last_error())
        kws_spotter_free(nil)
        kws_free_samples(nil)
        XCTAssertEqual(String(cString: kws_last_error()), before, "freeing NULL is not an error")
        let spotter = try CAPIFixtures.spotter(self)
        XCTAssertGreaterThan(kws_label_count(spotter), 2)
    }

    func testLabelIndexOutOfRange() throws {
        let spotter = try CAPIFixtures.spotter(self)
        let count = kws_label_count(spotter)
        XCTAssertGreaterThan(count, 2)
        for index in [-1, count, .max, .min] {
            _ = kws_label(nil, 0)
            XCTAssertNil(kws_label(spotter, index))
            XCTAssertTrue(CAPIFixtures.lastError().contains("index \(index)"), CAPIFixtures.lastError())
        }
        XCTAssertEqual(kws_label(spotter, 0).map { String(cString: $0) }, "_silence_")
    }

    func testChangingTheRateMidStreamIsAStateError() throws {
        let spotter = try CAPIFixtures.spotter(self)
        expect(KWS_OK) { kws_feed_s16(spotter, silence, 1600, 16000, 1) }
        expect(KWS_ERROR_STATE, mentioning: ["16000", "48000", "kws_finish"]) { kws_feed_s16(spotter, silence, 1600, 48000, 1) }
        // Channels may change; the rate may change once the stream has ended.
        expect(KWS_OK) { kws_feed_s16(spotter, silence, 800, 16000, 2) }
        expect(KWS_OK) { kws_finish(spotter) }
        expect(KWS_OK) { kws_feed_s16(spotter, silence, 1600, 48000, 1) }
        expect(KWS_OK) { kws_reset(spotter) }
        expect(KWS_OK) { kws_feed_f32(spotter, silenceF32, 1600, 8000, 1) }
    }

    func testReadWAVErrorsSayWhatWasWrong() throws {
        var samples: UnsafeMutablePointer<Float>? = UnsafeMutablePointer(bitPattern: 0x1)
        var count = 7
        var rate: Int32 = 7
        expect(KWS_ERROR_IO, mentioning: ["/no/such/file.wav"]) { kws_read_wav("/no/such/file.wav", &samples, &count, &rate) }
        XCTAssertNil(samples)
        XCTAssertEqual(count, 0)
        XCTAssertEqual(rate, 0)
        expect(KWS_ERROR_IO) { kws_read_wav(TestPaths.file("include").path, &samples, &count, &rate) }
        expect(KWS_ERROR_AUDIO, mentioning: ["RIFF"]) { kws_read_wav(TestPaths.file("include/kws.h").path, &samples, &count, &rate) }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("kws-capi-empty-\(UUID().uuidString).wav")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        defer { try? FileManager.default.removeItem(at: empty) }
        expect(KWS_ERROR_AUDIO) { kws_read_wav(empty.path, &samples, &count, &rate) }
        XCTAssertNil(samples)
    }

    func testCallingASpotterFromItsOwnCallbackIsAStateError() throws {
        final class Probe {
            var spotter: OpaquePointer?
            var feedStatuses: [Int32] = []
            var messages: [String] = []
            var labels: [String] = []
        }
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        let spotter = try CAPIFixtures.spotter(self)
        let probe = Probe()
        probe.spotter = spotter
        let callback: kws_detection_callback = { detection, userData in
            let probe = Unmanaged<Probe>.fromOpaque(userData!).takeUnretainedValue()
            var sample: Int16 = 0
            probe.feedStatuses.append(kws_feed_s16(probe.spotter, &sample, 1, 16000, 1).rawValue)
            probe.feedStatuses.append(kws_finish(probe.spotter).rawValue)
            probe.messages.append(CAPIFixtures.lastError())
            // Label look-ups are allowed, and give the very pointers the detection carries.
            probe.labels.append(kws_label(probe.spotter, 2) == nil ? "" : String(cString: detection!.pointee.label))
        }
        expect(KWS_OK) { kws_set_detection_callback(spotter, callback, Unmanaged.passUnretained(probe).toOpaque()) }
        expect(KWS_OK) { kws_feed_f32(spotter, samples, samples.count, rate, 1) }
        expect(KWS_OK) { kws_finish(spotter) }
        XCTAssertFalse(probe.labels.isEmpty, "no detection in sequence.wav")
        XCTAssertEqual(Set(probe.feedStatuses), [KWS_ERROR_STATE.rawValue])
        XCTAssertTrue(probe.messages.allSatisfy { $0.contains("kws_finish") && $0.contains("callback") }, "\(probe.messages)")
    }

    func testLastErrorIsPerThread() {
        final class Messages: @unchecked Sendable {
            var atStart = "unset"
            var afterFailure = ""
        }
        _ = kws_label(nil, 0)
        let mainMessage = CAPIFixtures.lastError()
        let other = Messages()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            other.atStart = CAPIFixtures.lastError()
            _ = kws_feed_s16(nil, nil, 0, 16000, 1)
            other.afterFailure = CAPIFixtures.lastError()
            done.signal()
        }
        done.wait()
        XCTAssertEqual(other.atStart, "", "a new thread starts without a message")
        XCTAssertTrue(other.afterFailure.contains("kws_feed_s16"), other.afterFailure)
        XCTAssertEqual(CAPIFixtures.lastError(), mainMessage)
    }

    func testVersionAndDefaults() {
        XCTAssertEqual(String(cString: kws_version()), KWS_VERSION_STRING)
        XCTAssertEqual(KWS_VERSION_STRING, "\(KWS_VERSION_MAJOR).\(KWS_VERSION_MINOR).\(KWS_VERSION_PATCH)")
        // The C defaults are the Swift (and so the CLI's) defaults.
        let options = kws_default_options()
        let swift = DetectorConfiguration()
        XCTAssertNil(options.engine)
        XCTAssertNil(swift.threshold)
        XCTAssertEqual(options.threshold, 0, "not set: the model's operating point, else 0.7")
        XCTAssertNil(swift.falseAlarmsPerHour)
        XCTAssertEqual(options.false_alarms_per_hour, 0, "not set")
        XCTAssertEqual(Int(options.hop_ms), swift.hopMilliseconds)
        XCTAssertEqual(Int(options.smoothing_ms), swift.smoothingMilliseconds)
        XCTAssertEqual(Int(options.refractory_ms), swift.refractoryMilliseconds)
    }
}
