import CKWSHeader
import Foundation
import KWSTestSupport
import XCTest

/// Models, audio and small wrappers the C API tests share.
enum CAPIFixtures {
    /// The trained default model when it is in the checkout, else the random-weight runtime test model
    /// (every comparison here holds for any model).
    static var modelPath: String {
        let trained = TestPaths.file("Models/tc-resnet8.safetensors").path
        if FileManager.default.fileExists(atPath: trained) { return trained }
        return TestPaths.file("Tests/KWSRuntimeTests/Fixtures/tc-resnet8-ref.safetensors").path
    }

    /// The random-weight model, for tests that need a model file outside Models/.
    static let fixtureModelPath = TestPaths.file("Tests/KWSRuntimeTests/Fixtures/tc-resnet8-ref.safetensors").path

    /// Samples/ (`KWS_SAMPLES_DIR` points the tests at another folder of clips and a sequence.wav).
    static var samplesDirectory: URL {
        ProcessInfo.processInfo.environment["KWS_SAMPLES_DIR"].map { URL(fileURLWithPath: $0) } ?? TestPaths.file("Samples")
    }

    /// The one-word clips of Samples/ (every .wav but sequence.wav), sorted.
    static func clipPaths() throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samplesDirectory.path)) ?? []
        let clips = names.filter { $0.hasSuffix(".wav") && $0 != "sequence.wav" }.sorted()
        try XCTSkipIf(clips.isEmpty, "no clips in \(samplesDirectory.path) (Training/make_samples.py makes them)")
        return clips.map { samplesDirectory.appendingPathComponent($0).path }
    }

    /// Samples/sequence.wav, the long recording.
    static func sequencePath() throws -> String {
        let path = samplesDirectory.appendingPathComponent("sequence.wav").path
        try XCTSkipUnless(FileManager.default.fileExists(atPath: path), "no \(path) (Training/make_samples.py makes it)")
        return path
    }

    /// Mono samples and rate of a WAV file, through `kws_read_wav`.
    static func readWAV(_ path: String) throws -> (samples: [Float], sampleRate: Int32) {
        var buffer: UnsafeMutablePointer<Float>?
        var count = 0
        var rate: Int32 = 0
        let status = kws_read_wav(path, &buffer, &count, &rate)
        defer { kws_free_samples(buffer) }
        guard status == KWS_OK, let buffer else { throw CAPIFailure(status: status, message: lastError()) }
        return (Array(UnsafeBufferPointer(start: buffer, count: count)), rate)
    }

    /// Raw s16le PCM of a 16 kHz s16 WAV file (exact: its samples are multiples of 1/32768).
    static func rawPCM(_ path: String, repeatedToAtLeast seconds: Double = 0) throws -> Data {
        let (samples, rate) = try readWAV(path)
        XCTAssertEqual(rate, KWS_SAMPLE_RATE, "\(path) is not 16 kHz")
        let pcm = samples.map { Int16(clamping: Int(($0 * 32768).rounded())) }
        let once = pcm.withUnsafeBytes { Data($0) }
        var data = once
        while Double(data.count / 2) < seconds * Double(KWS_SAMPLE_RATE) { data.append(once) }
        return data
    }

    static func lastError() -> String { String(cString: kws_last_error()) }

    /// One clip through `kws_classify_f32` on a spotter made for `model` with `engine` (the file's default engine
    /// when nil): the label and the posteriors. Throws ``CAPIFailure`` when the spotter cannot be made.
    static func classify(_ model: String, engine: String?, clip: String) throws -> (label: String, posteriors: [Float]) {
        var options = kws_default_options()
        var spotter: OpaquePointer?
        let status: kws_status = engine.map { name in
            name.withCString { options.engine = $0; return kws_spotter_create(model, &options, &spotter) }
        } ?? kws_spotter_create(model, &options, &spotter)
        guard status == KWS_OK, let spotter else { throw CAPIFailure(status: status, message: lastError()) }
        defer { kws_spotter_free(spotter) }
        let (samples, rate) = try readWAV(clip)
        var result = kws_classification()
        XCTAssertEqual(kws_classify_f32(spotter, samples, samples.count, rate, 1, &result), KWS_OK, lastError())
        return (String(cString: result.label), Array(UnsafeBufferPointer(start: result.posteriors, count: result.label_count)))
    }

    /// A spotter on `modelPath`; freed when the test ends.
    static func spotter(_ test: XCTestCase, options: kws_options = kws_default_options()) throws -> OpaquePointer {
        var options = options
        var spotter: OpaquePointer?
        let status = kws_spotter_create(modelPath, &options, &spotter)
        guard status == KWS_OK, let spotter else { throw CAPIFailure(status: status, message: lastError()) }
        test.addTeardownBlock { kws_spotter_free(spotter) }
        return spotter
    }
}

/// A C API call that failed where the test needed it to succeed.
struct CAPIFailure: Error, CustomStringConvertible {
    let status: kws_status
    let message: String
    var description: String { "status \(status.rawValue): \(message)" }
}

/// A detection copied out of C memory, comparable across runs.
struct DetectionRecord: Equatable, CustomStringConvertible {
    let label: String
    let score: Float
    let startSample: Int64
    let endSample: Int64
    let threshold: Float
    let windowsAbove: Int32

    init(_ detection: kws_detection) {
        label = detection.label.map { String(cString: $0) } ?? "(null)"
        score = detection.score
        startSample = detection.start_sample
        endSample = detection.end_sample
        threshold = detection.threshold
        windowsAbove = detection.windows_above
    }

    var description: String { "\(label) \(score) \(startSample)..<\(endSample) (threshold \(threshold), \(windowsAbove) windows above)" }
}

extension XCTestCase {
    /// Runs `call` and asserts its status; for an error status, also that the call replaced this thread's
    /// `kws_last_error()` with a message mentioning `words`.
    func expect(_ expected: kws_status, mentioning words: [String] = [], file: StaticString = #filePath, line: UInt = #line,
                _ call: () -> kws_status) {
        _ = kws_label(nil, 0) // a known message, so a stale one cannot pass for the call's own
        let sentinel = CAPIFixtures.lastError()
        let status = call()
        let message = CAPIFixtures.lastError()
        XCTAssertEqual(status.rawValue, expected.rawValue, "last error: \(message)", file: file, line: line)
        guard expected.rawValue < 0 else { return }
        XCTAssertNotEqual(message, sentinel, "kws_last_error() was not set", file: file, line: line)
        for word in words {
            XCTAssertTrue(message.contains(word), "'\(message)' does not mention '\(word)'", file: file, line: line)
        }
    }
}
