import CKWSHeader
import Foundation
import XCTest

/// The streaming and clip calls: what comes out does not depend on how the audio is handed in.
final class StreamingAPITests: XCTestCase {
    func testChunkSizesDoNotChangeDetections() throws {
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        let whole = try StreamRun.detections(try CAPIFixtures.spotter(self), samples, rate: rate, chunkSizes: [samples.count])
        let chunked = try StreamRun.detections(try CAPIFixtures.spotter(self), samples, rate: rate, chunkSizes: [1, 7, 160, 4096, 333, 12345])
        XCTAssertFalse(whole.isEmpty, "no detection in sequence.wav")
        XCTAssertEqual(chunked, whole)
    }

    /// kws_stream_samples counts every frame fed, across chunks and channel counts, keeps the count of the
    /// stream kws_finish ended until the next feed, and starts over after kws_reset.
    func testStreamSamplesCountEveryFrameFed() throws {
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        let spotter = try CAPIFixtures.spotter(self)
        var count: Int64 = -1
        XCTAssertEqual(kws_stream_samples(spotter, &count), KWS_OK)
        XCTAssertEqual(count, 0)
        var offset = 0
        for (index, size) in [1, 7, 4096, 333].cycled(until: samples.count).enumerated() {
            let chunk = Array(samples[offset..<(offset + size)])
            // Every other chunk as stereo with equal channels: frames, not values, are counted.
            let status = index % 2 == 0 ? kws_feed_f32(spotter, chunk, chunk.count, rate, 1)
                                        : kws_feed_f32(spotter, chunk.flatMap { [$0, $0] }, chunk.count, rate, 2)
            XCTAssertEqual(status, KWS_OK)
            offset += size
        }
        XCTAssertEqual(kws_stream_samples(spotter, &count), KWS_OK)
        XCTAssertEqual(count, Int64(samples.count))
        XCTAssertEqual(kws_finish(spotter), KWS_OK)
        XCTAssertEqual(kws_stream_samples(spotter, &count), KWS_OK)
        XCTAssertEqual(count, Int64(samples.count), "the ended stream's count stays until the next feed")
        XCTAssertEqual(kws_feed_f32(spotter, samples, 160, rate, 1), KWS_OK)
        XCTAssertEqual(kws_stream_samples(spotter, &count), KWS_OK)
        XCTAssertEqual(count, 160)
        XCTAssertEqual(kws_reset(spotter), KWS_OK)
        XCTAssertEqual(kws_stream_samples(spotter, &count), KWS_OK)
        XCTAssertEqual(count, 0)
        XCTAssertEqual(kws_stream_samples(spotter, nil), KWS_ERROR_INVALID_ARGUMENT)
        XCTAssertEqual(kws_stream_samples(nil, &count), KWS_ERROR_INVALID_ARGUMENT)
    }

    func testS16AndF32FeedsAgree() throws {
        let path = try CAPIFixtures.sequencePath()
        let (samples, rate) = try CAPIFixtures.readWAV(path)
        let pcm = try CAPIFixtures.rawPCM(path)
        let spotter = try CAPIFixtures.spotter(self)
        let status = pcm.withUnsafeBytes { kws_feed_s16(spotter, $0.bindMemory(to: Int16.self).baseAddress, pcm.count / 2, rate, 1) }
        XCTAssertEqual(status, KWS_OK)
        XCTAssertEqual(kws_finish(spotter), KWS_OK)
        XCTAssertEqual(StreamRun.drain(spotter), try StreamRun.detections(try CAPIFixtures.spotter(self), samples, rate: rate))
    }

    func testStereoWithEqualChannelsHearsTheMonoSignal() throws {
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        let stereo = samples.flatMap { [$0, $0] }
        let spotter = try CAPIFixtures.spotter(self)
        XCTAssertEqual(kws_feed_f32(spotter, stereo, samples.count, rate, 2), KWS_OK)
        XCTAssertEqual(kws_finish(spotter), KWS_OK)
        XCTAssertEqual(StreamRun.drain(spotter), try StreamRun.detections(try CAPIFixtures.spotter(self), samples, rate: rate))
    }

    func testCallbackAndPollingDeliverTheSameDetections() throws {
        final class Collected { var records: [DetectionRecord] = [] }
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        let polled = try StreamRun.detections(try CAPIFixtures.spotter(self), samples, rate: rate)
        let spotter = try CAPIFixtures.spotter(self)
        let collected = Collected()
        let status = kws_set_detection_callback(spotter, { detection, userData in
            Unmanaged<Collected>.fromOpaque(userData!).takeUnretainedValue().records.append(DetectionRecord(detection!.pointee))
        }, Unmanaged.passUnretained(collected).toOpaque())
        XCTAssertEqual(status, KWS_OK)
        XCTAssertEqual(kws_feed_f32(spotter, samples, samples.count, rate, 1), KWS_OK)
        XCTAssertEqual(kws_finish(spotter), KWS_OK)
        XCTAssertEqual(collected.records, polled)
        var detection = kws_detection()
        XCTAssertEqual(kws_next_detection(spotter, &detection), KWS_NO_DETECTION, "a callback's detections are not queued too")
    }

    func testFinishStartsANewStreamAtTimeZeroAndResetDropsTheQueue() throws {
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        let spotter = try CAPIFixtures.spotter(self)
        let first = try StreamRun.detections(spotter, samples, rate: rate)
        XCTAssertEqual(try StreamRun.detections(spotter, samples, rate: rate), first)

        XCTAssertEqual(kws_feed_f32(spotter, samples, samples.count, rate, 1), KWS_OK)
        XCTAssertEqual(kws_finish(spotter), KWS_OK)
        XCTAssertEqual(kws_reset(spotter), KWS_OK)
        XCTAssertEqual(StreamRun.drain(spotter), [])
    }

    func testDetectionsAreOnThe16kHzTimeBaseWithLabelsOwnedByTheSpotter() throws {
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        let spotter = try CAPIFixtures.spotter(self)
        let labels = (0..<kws_label_count(spotter)).map { kws_label(spotter, $0) }
        XCTAssertEqual(kws_feed_f32(spotter, samples, samples.count, rate, 1), KWS_OK)
        XCTAssertEqual(kws_finish(spotter), KWS_OK)
        var detection = kws_detection()
        var seen = 0
        while kws_next_detection(spotter, &detection) == KWS_OK {
            seen += 1
            XCTAssertEqual(detection.start_seconds, Double(detection.start_sample) / 16000)
            XCTAssertEqual(detection.end_seconds, Double(detection.end_sample) / 16000)
            XCTAssertLessThanOrEqual(detection.end_sample - detection.start_sample, Int64(KWS_SAMPLE_RATE))
            XCTAssertTrue(labels.contains(detection.label), "label pointer is not one of kws_label's")
            XCTAssertFalse(String(cString: detection.label).hasPrefix("_"))
            XCTAssertTrue((0...1).contains(detection.score))
        }
        XCTAssertGreaterThan(seen, 0)
    }

    func testClassificationIsADistributionOverTheLabels() throws {
        let clip = try CAPIFixtures.clipPaths()[0]
        let (samples, rate) = try CAPIFixtures.readWAV(clip)
        let spotter = try CAPIFixtures.spotter(self)
        var result = kws_classification()
        XCTAssertEqual(kws_classify_f32(spotter, samples, samples.count, rate, 1, &result), KWS_OK)
        XCTAssertEqual(result.label_count, Int(kws_label_count(spotter)))
        let posteriors = Array(UnsafeBufferPointer(start: result.posteriors, count: result.label_count))
        XCTAssertEqual(posteriors.reduce(0, +), 1, accuracy: 1e-4)
        XCTAssertEqual(posteriors.max(), result.score)
        XCTAssertEqual(result.label, kws_label(spotter, result.index))

        // s16 input of the same clip gives the same answer.
        let pcm = samples.map { Int16(clamping: Int(($0 * 32768).rounded())) }
        var fromS16 = kws_classification()
        XCTAssertEqual(kws_classify_s16(spotter, pcm, pcm.count, rate, 1, &fromS16), KWS_OK)
        XCTAssertEqual(fromS16.index, result.index)
        XCTAssertEqual(fromS16.score, result.score)
    }
}

/// Feeding a whole stream through one spotter and collecting its polled detections.
enum StreamRun {
    static func detections(_ spotter: OpaquePointer, _ samples: [Float], rate: Int32, chunkSizes: [Int] = [1600]) throws -> [DetectionRecord] {
        var offset = 0, turn = 0
        try samples.withUnsafeBufferPointer { buffer in
            while offset < buffer.count {
                let count = min(max(1, chunkSizes[turn % chunkSizes.count]), buffer.count - offset)
                let status = kws_feed_f32(spotter, buffer.baseAddress! + offset, count, rate, 1)
                guard status == KWS_OK else { throw CAPIFailure(status: status, message: CAPIFixtures.lastError()) }
                offset += count
                turn += 1
            }
        }
        let status = kws_finish(spotter)
        guard status == KWS_OK else { throw CAPIFailure(status: status, message: CAPIFixtures.lastError()) }
        return drain(spotter)
    }

    static func drain(_ spotter: OpaquePointer) -> [DetectionRecord] {
        var records = [DetectionRecord]()
        var detection = kws_detection()
        while kws_next_detection(spotter, &detection) == KWS_OK { records.append(DetectionRecord(detection)) }
        return records
    }
}

private extension Array where Element == Int {
    /// These sizes repeated, the last cut short, summing to exactly `total`.
    func cycled(until total: Int) -> [Int] {
        var sizes = [Int]()
        var sum = 0
        while sum < total {
            let size = Swift.min(self[sizes.count % count], total - sum)
            sizes.append(size)
            sum += size
        }
        return sizes
    }
}
