import KWSTestSupport
import XCTest
@testable import KWSAnalysis
@testable import KWSRuntime

/// Index order, LPT and the zero-aware policy: hand cases, random cases against index order, and small
/// cases against a brute-force optimum within Graham's LPT bound.
final class WorkAllocationTests: XCTestCase {
    func testNaiveIsRoundRobinByIndex() {
        let assignment = WorkAllocation.naive.assign(costs: [5, 1, 1, 1, 5], workers: 2)
        XCTAssertEqual(assignment.items, [[0, 2, 4], [1, 3]])
        XCTAssertEqual(assignment.loads, [11, 2])
        XCTAssertEqual(assignment.imbalance, 11 / 6.5, accuracy: 1e-12)
    }

    /// Graham's tight example for two workers: LPT 10 against an optimum of 9 (5+4 | 3+3+3), exactly
    /// (4/3 − 1/6)·9 rounded down; index order gives 11.
    func testLPTOnGrahamsExample() {
        let costs = [5, 4, 3, 3, 3]
        let lpt = WorkAllocation.lpt.assign(costs: costs, workers: 2)
        XCTAssertEqual(lpt.items, [[0, 3], [1, 2, 4]])
        XCTAssertEqual(lpt.maxLoad, 10)
        XCTAssertEqual(Self.optimum(costs, workers: 2), 9)
        XCTAssertEqual(WorkAllocation.naive.assign(costs: costs, workers: 2).maxLoad, 11)
        XCTAssertEqual(WorkAllocation.zeroAware.assign(costs: costs, workers: 2).maxLoad, 10)
    }

    /// LPT alone can lose to a lucky index order; the zero-aware policy keeps the better of the two.
    func testLPTCanLoseToIndexOrderAndZeroAwareDoesNot() {
        let costs = [2, 3, 2, 3, 2]
        XCTAssertEqual(WorkAllocation.naive.assign(costs: costs, workers: 2).maxLoad, 6)
        XCTAssertEqual(WorkAllocation.lpt.assign(costs: costs, workers: 2).maxLoad, 7)
        XCTAssertEqual(WorkAllocation.zeroAware.assign(costs: costs, workers: 2).maxLoad, 6)
    }

    func testRandomCasesNeverWorseThanIndexOrder() {
        var random = SplitMix64(seed: 3)
        var lptWins = 0, lptLosses = 0
        for iteration in 0..<3000 {
            let workers = Int.random(in: 1...9, using: &random)
            let count = Int.random(in: 0...48, using: &random)
            // Kernel-like costs: a dense count with pruning's spread, some channels empty.
            let costs = (0..<count).map { _ in Int.random(in: 0..<6, using: &random) == 0 ? 0 : Int.random(in: 1...300, using: &random) }
            let naive = WorkAllocation.naive.assign(costs: costs, workers: workers)
            let lpt = WorkAllocation.lpt.assign(costs: costs, workers: workers)
            let zeroAware = WorkAllocation.zeroAware.assign(costs: costs, workers: workers)
            for assignment in [naive, lpt, zeroAware] {
                XCTAssertEqual(assignment.items.count, workers)
                XCTAssertEqual(assignment.items.flatMap { $0 }.sorted(), Array(0..<count), "iteration \(iteration)")
                XCTAssertEqual(assignment.loads.reduce(0, +), costs.reduce(0, +))
            }
            XCTAssertLessThanOrEqual(zeroAware.maxLoad, naive.maxLoad, "iteration \(iteration): \(costs) on \(workers)")
            XCTAssertLessThanOrEqual(zeroAware.maxLoad, lpt.maxLoad)
            // LPT ≤ (4/3 − 1/(3W))·OPT ≤ (4/3 − 1/(3W))·naive.
            XCTAssertLessThanOrEqual(Double(lpt.maxLoad) * Double(3 * workers), Double(naive.maxLoad) * Double(4 * workers - 1))
            if lpt.maxLoad < naive.maxLoad { lptWins += 1 }
            if lpt.maxLoad > naive.maxLoad { lptLosses += 1 }
        }
        // On these costs LPT should usually win and seldom lose; if this flips, LPT is broken.
        XCTAssertGreaterThan(lptWins, 20 * max(1, lptLosses))
    }

    func testLPTIsWithinGrahamsBoundOfTheBruteForceOptimum() {
        var random = SplitMix64(seed: 5)
        var optimal = 0, cases = 0
        for _ in 0..<400 {
            let workers = Int.random(in: 2...4, using: &random)
            let count = Int.random(in: 1...(workers == 4 ? 7 : 9), using: &random)
            let costs = (0..<count).map { _ in Int.random(in: 0...40, using: &random) }
            let best = Self.optimum(costs, workers: workers)
            let lpt = WorkAllocation.lpt.assign(costs: costs, workers: workers).maxLoad
            let zeroAware = WorkAllocation.zeroAware.assign(costs: costs, workers: workers).maxLoad
            XCTAssertGreaterThanOrEqual(lpt, best)
            XCTAssertGreaterThanOrEqual(zeroAware, best)
            // lpt ≤ (4/3 − 1/(3W))·best, in integers.
            XCTAssertLessThanOrEqual(3 * workers * lpt, (4 * workers - 1) * best, "\(costs) on \(workers)")
            if count <= workers { XCTAssertEqual(lpt, costs.max() ?? 0) }
            cases += 1
            if lpt == best { optimal += 1 }
        }
        // LPT is optimal on most small instances.
        XCTAssertGreaterThan(optimal, cases * 3 / 4)
    }

    /// The smallest maximum load over every assignment (branch and bound; small inputs only).
    static func optimum(_ costs: [Int], workers: Int) -> Int {
        let order = costs.sorted(by: >)
        var loads = [Int](repeating: 0, count: workers)
        var best = Int.max
        func place(_ index: Int, _ currentMax: Int) {
            if currentMax >= best { return }
            if index == order.count { best = currentMax; return }
            var tried = Set<Int>()
            for worker in 0..<workers where tried.insert(loads[worker]).inserted {
                loads[worker] += order[index]
                place(index + 1, max(currentMax, loads[worker]))
                loads[worker] -= order[index]
            }
        }
        place(0, 0)
        return best
    }
}
