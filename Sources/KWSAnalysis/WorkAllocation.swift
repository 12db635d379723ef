import KWSRuntime

/// An assignment of work items (kernels, windows) with known costs to workers (PEs, work groups, threads).
public struct WorkAssignment: Sendable, Equatable {
    /// Per worker, the items it runs, in the order it runs them.
    public let items: [[Int]]
    /// Per worker, the sum of its items' costs.
    public let loads: [Int]

    /// Builds the assignment for `items` and computes the loads from `costs`.
    public init(items: [[Int]], costs: [Int]) {
        self.items = items
        loads = items.map { $0.reduce(0) { $0 + costs[$1] } }
    }

    /// The most loaded worker's load: the makespan when every unit of cost takes the same time.
    public var maxLoad: Int { loads.max() ?? 0 }
    /// Mean load over all workers (idle ones included).
    public var meanLoad: Double { loads.isEmpty ? 0 : Double(loads.reduce(0, +)) / Double(loads.count) }
    /// `max / mean`: 1 is perfect balance, `workers` is everything on one worker (1 when there is no work).
    public var imbalance: Double { meanLoad > 0 ? Double(maxLoad) / meanLoad : 1 }
    /// Worker of each item.
    public func worker(of item: Int) -> Int? { items.firstIndex { $0.contains(item) } }
}

/// How items are dealt to workers.
public enum WorkAllocation: String, Sendable, CaseIterable {
    /// Index order, round robin: item `i` to worker `i mod W` (a zero-agnostic design's kernel order, which
    /// balances item counts, not work).
    case naive
    /// Longest processing time first (Graham 1969): items by cost, largest first (ties by index), each to the
    /// least-loaded worker so far (ties to the lowest worker). Makespan ≤ (4/3 − 1/(3W)) × optimum.
    case lpt
    /// ZeNA's zero-aware kernel allocation as kws deploys it: the LPT assignment, unless index order happens
    /// to have a smaller maximum load. LPT alone can lose to index order on a lucky order (costs
    /// 2, 3, 2, 3, 2 on two workers: index order 6, LPT 7); costs are known before allocating, so comparing
    /// both costs nothing at run time and this policy is never worse than ``naive``.
    case zeroAware = "zero-aware"

    /// Assigns items `0..<costs.count` with non-negative `costs` to `workers` (≥ 1) workers.
    public func assign(costs: [Int], workers: Int) -> WorkAssignment {
        precondition(workers >= 1, "WorkAllocation needs at least one worker")
        switch self {
        case .naive:
            var items = [[Int]](repeating: [], count: workers)
            for item in costs.indices { items[item % workers].append(item) }
            return WorkAssignment(items: items, costs: costs)
        case .lpt:
            var items = [[Int]](repeating: [], count: workers)
            var loads = [Int](repeating: 0, count: workers)
            let order = costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
            for item in order {
                // Linear scan: worker counts here are PEs per group or threads (tens), not thousands.
                var best = 0
                for worker in 1..<workers where loads[worker] < loads[best] { best = worker }
                items[best].append(item)
                loads[best] += costs[item]
            }
            return WorkAssignment(items: items, costs: costs)
        case .zeroAware:
            let lpt = WorkAllocation.lpt.assign(costs: costs, workers: workers)
            let naive = WorkAllocation.naive.assign(costs: costs, workers: workers)
            return naive.maxLoad < lpt.maxLoad ? naive : lpt
        }
    }
}
