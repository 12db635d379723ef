import Foundation
import KWSRuntime

/// Engines timed side by side: each run times every engine once on the same clip, so load from other processes
/// falls on all of them alike and their ratios hold even on a busy machine.
struct InterleavedEngine {
    let label: String
    let engine: any Engine
    /// Microseconds per timed run.
    var samples = [Double]()

    /// Times every row `warmup + runs` times, interleaved over `clips`, keeping the last `runs` samples.
    static func measure(_ rows: inout [InterleavedEngine], clips: [[Float]], runs: Int, warmup: Int) {
        var logits = [Float](repeating: 0, count: rows[0].engine.model.labels.count)
        for index in rows.indices { rows[index].samples.reserveCapacity(runs) }
        for run in 0..<(warmup + runs) {
            let clip = clips[run % clips.count]
            for index in rows.indices {
                let engine = rows[index].engine
                let start = DispatchTime.now().uptimeNanoseconds
                engine.computeLogits(clip, into: &logits)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000
                if run >= warmup { rows[index].samples.append(elapsed) }
            }
        }
    }
}
