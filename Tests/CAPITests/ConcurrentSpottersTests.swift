import CKWSHeader
import Foundation
import XCTest

/// Distinct spotters are independent: two threads on two streams hear what sequential runs hear.
final class ConcurrentSpottersTests: XCTestCase {
    func testTwoThreadsWithTwoHandlesMatchSequentialRuns() throws {
        let sequence = try CAPIFixtures.readWAV(try CAPIFixtures.sequencePath())
        // The second stream: every clip, half a second apart, at the clips' rate.
        var clips = [Float]()
        var clipRate: Int32 = 0
        for path in try CAPIFixtures.clipPaths() {
            let clip = try CAPIFixtures.readWAV(path)
            if clipRate == 0 { clipRate = clip.sampleRate }
            guard clip.sampleRate == clipRate else { continue }
            clips += clip.samples + [Float](repeating: 0, count: Int(clipRate) / 2)
        }
        let streams = [(sequence.samples, sequence.sampleRate), (clips, clipRate)]

        let sequential = try streams.map { try StreamRun.detections(try CAPIFixtures.spotter(self), $0.0, rate: $0.1) }
        XCTAssertFalse(sequential[0].isEmpty, "no detection in sequence.wav")

        for round in 0..<2 {
            let jobs = try streams.map { StreamJob(spotter: try CAPIFixtures.spotter(self), samples: $0.0, rate: $0.1) }
            let results = ConcurrentResults(count: streams.count)
            let group = DispatchGroup()
            for (index, job) in jobs.enumerated() {
                group.enter()
                Thread.detachNewThread {
                    results.store(index, Result { try StreamRun.detections(job.spotter, job.samples, rate: job.rate, chunkSizes: [512, 1600, 77]) })
                    group.leave()
                }
            }
            group.wait()
            for index in streams.indices {
                XCTAssertEqual(try results.value(index), sequential[index], "round \(round), stream \(index)")
            }
        }
    }
}

/// One thread's work: its own spotter (used by that thread alone) and stream.
private struct StreamJob: @unchecked Sendable {
    let spotter: OpaquePointer
    let samples: [Float]
    let rate: Int32
}

/// Results written by worker threads, read after they are done.
private final class ConcurrentResults: @unchecked Sendable {
    private var results: [Result<[DetectionRecord], Error>?]
    private let lock = NSLock()

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ result: Result<[DetectionRecord], Error>) {
        lock.withLock { results[index] = result }
    }

    func value(_ index: Int) throws -> [DetectionRecord] {
        guard let result = lock.withLock({ results[index] }) else { throw CAPIFailure(status: KWS_ERROR_INTERNAL, message: "no result") }
        return try result.get()
    }
}
