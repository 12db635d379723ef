import CKWSHeader
import Foundation
import XCTest

/// Issue 14, item 8: one spotter used from two threads at once gets KWS_ERROR_BUSY, never a corrupted heap.
final class BusySpotterTests: XCTestCase {
    /// What the second thread saw while the first was inside the spotter (in its detection callback).
    final class Intruder: @unchecked Sendable {
        let spotter: OpaquePointer
        var statuses: [kws_status] = []
        var messages: [String] = []
        init(_ spotter: OpaquePointer) { self.spotter = spotter }
    }

    func testASecondThreadIsToldTheSpotterIsBusy() throws {
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        let spotter = try CAPIFixtures.spotter(self)
        let intruder = Intruder(spotter)
        let callback: kws_detection_callback = { _, userData in
            // Inside kws_feed/kws_finish on this thread: another thread's calls must be refused, not run.
            let intruder = Unmanaged<Intruder>.fromOpaque(userData!).takeUnretainedValue()
            guard intruder.statuses.isEmpty else { return }
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                var detection = kws_detection()
                var silence = [Float](repeating: 0, count: 1600)
                intruder.statuses = [kws_reset(intruder.spotter), kws_finish(intruder.spotter),
                                     kws_feed_f32(intruder.spotter, &silence, silence.count, 16000, 1),
                                     kws_next_detection(intruder.spotter, &detection),
                                     kws_set_detection_callback(intruder.spotter, nil, nil)]
                intruder.messages.append(String(cString: kws_last_error()))
                done.signal()
            }
            done.wait()
        }
        XCTAssertEqual(kws_set_detection_callback(spotter, callback, Unmanaged.passUnretained(intruder).toOpaque()), KWS_OK)
        XCTAssertEqual(kws_feed_f32(spotter, samples, samples.count, rate, 1), KWS_OK)
        XCTAssertEqual(kws_finish(spotter), KWS_OK)
        XCTAssertEqual(intruder.statuses, Array(repeating: KWS_ERROR_BUSY, count: 5))
        XCTAssertTrue(intruder.messages.first?.contains("another thread") ?? false, "\(intruder.messages)")
        // Once the owner is out, the spotter works for anyone.
        XCTAssertEqual(kws_reset(spotter), KWS_OK)
    }

    func testTwoThreadsHammeringOneSpotterNeverCorruptIt() throws {
        let (samples, rate) = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        let spotter = try CAPIFixtures.spotter(self)
        final class Tally: @unchecked Sendable {
            let lock = NSLock()
            var counts: [Int32: Int] = [:]
            func add(_ status: kws_status) { lock.lock(); counts[status.rawValue, default: 0] += 1; lock.unlock() }
        }
        let tally = Tally()
        let chunk = 1600
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            var detection = kws_detection()
            for start in stride(from: 0, to: samples.count - chunk, by: chunk) {
                let status = samples.withUnsafeBufferPointer { kws_feed_f32(spotter, $0.baseAddress! + start, chunk, rate, 1) }
                tally.add(status)
                tally.add(kws_next_detection(spotter, &detection) == KWS_ERROR_BUSY ? KWS_ERROR_BUSY : KWS_OK)
            }
        }
        XCTAssertEqual(Set(tally.counts.keys), Set(tally.counts.keys).intersection([KWS_OK.rawValue, KWS_ERROR_BUSY.rawValue]),
                       "\(tally.counts)")
        XCTAssertEqual(kws_finish(spotter), KWS_OK)
    }
}
