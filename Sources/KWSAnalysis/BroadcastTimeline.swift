import KWSRuntime

/// The timing of one work group of the simulated PE array: a broadcast bus feeding `pes` PEs, each with a
/// FIFO of `queueDepth` entries, items timed one by one in bus order (see ``PEArraySimulator`` for the model).
///
/// Cycle rules, for an item whose per-PE MAC counts are `costs` (0 = the PE has no effectual MAC for it and
/// does not take it):
/// - the bus puts out at most one item per cycle, in order: cycle `b ≥ previous b + 1`;
/// - it waits until every PE taking the item has a free FIFO entry: an entry is held from the cycle the
///   item arrives until the PE's last MAC on it, so with `queueDepth` items still unfinished a PE blocks
///   the bus until its oldest finishes (`b ≥` that item's finish);
/// - a PE starts an item the cycle after its broadcast, or when it finishes the previous item, whichever is
///   later, and spends one cycle per MAC: `start = max(b + 1, free)`, `finish = start + cost`.
///
/// The group is done at `max(last b + 1, every PE's finish)`. This is the exact cycle-by-cycle behaviour of
/// those rules, computed per item instead of per cycle (O(items × PEs)).
struct BroadcastTimeline {
    let pes: Int
    let queueDepth: Int
    /// `pes × queueDepth`: finish cycles of each PE's last `queueDepth` items, as a ring.
    private var finishes: [Int]
    private var accepted: [Int]
    /// Per PE, the first cycle after its last MAC so far.
    private var free: [Int]
    private(set) var lastBroadcast = -1
    /// Items put on the bus.
    private(set) var broadcasts = 0
    /// PE-cycles spent on MACs (the sum of all costs).
    private(set) var busyCycles = 0

    init(pes: Int, queueDepth: Int) {
        precondition(pes >= 1 && queueDepth >= 1, "BroadcastTimeline needs a PE and a queue entry")
        self.pes = pes
        self.queueDepth = queueDepth
        finishes = [Int](repeating: 0, count: pes * queueDepth)
        accepted = [Int](repeating: 0, count: pes)
        free = [Int](repeating: 0, count: pes)
    }

    /// Times one item; `costs[p]` MACs for PE `p`.
    mutating func broadcast(_ costs: [Int]) {
        precondition(costs.count == pes, "one cost per PE")
        var cycle = lastBroadcast + 1
        for pe in 0..<pes where costs[pe] > 0 && accepted[pe] >= queueDepth {
            // The oldest of the PE's last `queueDepth` items sits where the new one will go in the ring.
            cycle = max(cycle, finishes[pe * queueDepth + accepted[pe] % queueDepth])
        }
        lastBroadcast = cycle
        broadcasts += 1
        for pe in 0..<pes where costs[pe] > 0 {
            let finish = max(cycle + 1, free[pe]) + costs[pe]
            free[pe] = finish
            finishes[pe * queueDepth + accepted[pe] % queueDepth] = finish
            accepted[pe] += 1
            busyCycles += costs[pe]
        }
    }

    /// Cycles from the first broadcast to the last MAC of the group (0 when nothing was broadcast).
    var finishCycle: Int {
        broadcasts == 0 ? 0 : max(lastBroadcast + 1, free.max() ?? 0)
    }
}
