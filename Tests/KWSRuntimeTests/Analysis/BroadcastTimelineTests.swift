import KWSTestSupport
import XCTest
@testable import KWSAnalysis
@testable import KWSRuntime

/// The per-item timing recurrence against hand-worked cases and a literal cycle-by-cycle simulation of the
/// same bus/FIFO rules.
final class BroadcastTimelineTests: XCTestCase {
    func testOnePEWithOneAndTwoQueueEntries() {
        // Q = 1: item 0 on the bus at 0, MACs at 1–2; item 1 waits for the entry: bus at 3, MACs 4–5 → 6.
        XCTAssertEqual(Self.cycles([[2], [2]], pes: 1, depth: 1), 6)
        // Q = 2: item 1 on the bus at 1, MACs 3–4 → 5.
        XCTAssertEqual(Self.cycles([[2], [2]], pes: 1, depth: 2), 5)
    }

    func testQueuesDecoupleUnevenPEs() {
        // Q = 1: bus at 0; PE0 busy 1–3, PE1 1; item 1 waits for PE0: bus at 4, PE1 busy 5–7 → 8.
        XCTAssertEqual(Self.cycles([[3, 1], [1, 3]], pes: 2, depth: 1), 8)
        // Deep FIFOs: item 1 on the bus at 1; PE0 does it at 4, PE1 at 2–4 → 5.
        XCTAssertEqual(Self.cycles([[3, 1], [1, 3]], pes: 2, depth: 8), 5)
    }

    func testAnItemNobodyTakesStillTakesItsBusCycle() {
        XCTAssertEqual(Self.cycles([[0, 0]], pes: 2, depth: 2), 1)
        XCTAssertEqual(Self.cycles([[1, 0], [0, 0], [0, 0], [0, 0]], pes: 2, depth: 2), 4)
        XCTAssertEqual(Self.cycles([], pes: 2, depth: 2), 0)
        var timeline = BroadcastTimeline(pes: 3, queueDepth: 1)
        timeline.broadcast([2, 0, 1])
        XCTAssertEqual(timeline.busyCycles, 3)
        XCTAssertEqual(timeline.broadcasts, 1)
    }

    func testRecurrenceEqualsACycleByCycleSimulation() {
        var random = SplitMix64(seed: 17)
        for iteration in 0..<600 {
            let pes = Int.random(in: 1...5, using: &random)
            let depth = Int.random(in: 1...4, using: &random)
            let items = (0..<Int.random(in: 0...30, using: &random)).map { _ in
                (0..<pes).map { _ in Int.random(in: 0..<3, using: &random) == 0 ? 0 : Int.random(in: 1...6, using: &random) }
            }
            XCTAssertEqual(Self.cycles(items, pes: pes, depth: depth), Self.literal(items, pes: pes, depth: depth),
                           "iteration \(iteration): \(items) on \(pes) PEs, depth \(depth)")
        }
    }

    static func cycles(_ items: [[Int]], pes: Int, depth: Int) -> Int {
        var timeline = BroadcastTimeline(pes: pes, queueDepth: depth)
        for costs in items { timeline.broadcast(costs) }
        return timeline.finishCycle
    }

    /// The rules stepped one cycle at a time: at the start of a cycle each PE with an item that arrived in
    /// an earlier cycle does one MAC on its oldest item (freeing the entry at the end of the cycle when it is
    /// done); in the same cycle the bus puts out the next item if every PE taking it has fewer than `depth`
    /// unfinished items (counted at the start of the cycle), and the item arrives at the end of the cycle.
    static func literal(_ items: [[Int]], pes: Int, depth: Int) -> Int {
        var queues = [[(remaining: Int, arrival: Int)]](repeating: [], count: pes)
        var next = 0, cycle = 0
        while next < items.count || queues.contains(where: { !$0.isEmpty }) {
            let occupancy = queues.map(\.count)
            for pe in 0..<pes where !queues[pe].isEmpty && queues[pe][0].arrival < cycle {
                queues[pe][0].remaining -= 1
                if queues[pe][0].remaining == 0 { queues[pe].removeFirst() }
            }
            if next < items.count, (0..<pes).allSatisfy({ items[next][$0] == 0 || occupancy[$0] < depth }) {
                for pe in 0..<pes where items[next][pe] > 0 { queues[pe].append((items[next][pe], cycle)) }
                next += 1
            }
            cycle += 1
        }
        return cycle
    }
}
