import FoundationEssentials
import Glibc

/// Works on a list of inputs (files) on several threads and hands the results back on the calling thread in
/// input order, so that what a command prints does not depend on how many threads it ran (`kws detect`,
/// `kws eval`: `--jobs`).
///
/// Work is split between inputs, never inside one: one inference takes ~20 µs, less than waking a thread.
/// Each thread builds its own worker once (`makeWorker`): a ``KWS/KeywordSpotter`` and its engine are for one
/// thread at a time, while the model is an immutable `Sendable` value that every worker shares.
///
/// Memory stays bounded: a thread starts input `i` only while `i` is less than twice the thread count ahead of
/// the next result the caller takes, so a slow file holds back a few finished results, not the whole list.
enum OrderedParallelMap {
    /// Runs `makeWorker()`'s function on each of `inputs`, on up to `jobs` threads, and calls `consume(index,
    /// output)` on the calling thread for index 0, 1, 2, … in turn.
    ///
    /// With `jobs` 1 (or a single input) everything runs on the calling thread, one input after another,
    /// each result consumed before the next input starts. If `consume` throws, inputs not yet started are
    /// dropped and the error is rethrown at once; threads inside an input finish it and end.
    static func run<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], jobs: Int,
        makeWorker: @escaping @Sendable () -> (Input) -> Output,
        consume: (Int, Output) throws -> Void
    ) rethrows {
        let threads = min(jobs, inputs.count)
        guard threads > 1 else {
            let work = makeWorker()
            for (index, input) in inputs.enumerated() { try consume(index, work(input)) }
            return
        }
        let board = ResultBoard<Output>(count: inputs.count, window: 2 * threads)
        for _ in 0..<threads {
            // Secondary threads get 512 KB by default; give them what the main thread has.
            startThread(stackSize: 8 << 20) {
                let work = makeWorker()
                while let index = board.claim() { board.deliver(work(inputs[index]), at: index) }
            }
        }
        defer { board.cancel() }
        for index in inputs.indices { try consume(index, board.take(index)) }
    }
}

/// The state the threads of ``OrderedParallelMap`` share: which input is next, and the finished results
/// not yet taken. Every property is read and written only while `condition` is locked.
private final class ResultBoard<Output: Sendable>: @unchecked Sendable {
    private let condition = POSIXCondition()
    private let count: Int
    private let window: Int
    private var results: [Int: Output] = [:]
    private var nextClaim = 0
    private var nextTake = 0
    private var cancelled = false
    // Who is waiting, so that a thread is woken only when what it waits for happened: most results are
    // delivered while the caller still waits for an earlier one, and most claims find room in the window.
    private var awaited: Int?
    private var claimsWaiting = 0

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    /// The next input to work on, once it is within `window` of the next result taken; nil when none is left.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled, nextClaim < count, nextClaim >= nextTake + window {
            claimsWaiting += 1
            condition.wait()
            claimsWaiting -= 1
        }
        guard !cancelled, nextClaim < count else { return nil }
        defer { nextClaim += 1 }
        return nextClaim
    }

    func deliver(_ output: Output, at index: Int) {
        condition.lock()
        defer { condition.unlock() }
        results[index] = output
        if awaited == index { condition.broadcast() }
    }

    /// Waits for input `index`'s result and takes it, letting the threads start further inputs.
    func take(_ index: Int) -> Output {
        condition.lock()
        defer { condition.unlock() }
        awaited = index
        while results[index] == nil { condition.wait() }
        awaited = nil
        nextTake = index + 1
        if claimsWaiting > 0 { condition.broadcast() }
        return results.removeValue(forKey: index)!
    }

    /// No input starts after this (the caller is done, or gave up).
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }
}
