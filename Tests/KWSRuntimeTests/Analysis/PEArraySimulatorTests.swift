import KWSTestSupport
import XCTest
@testable import KWSAnalysis
@testable import KWSRuntime

/// The PE-array simulator: cycle counts of every policy on tiny layers worked by hand, outputs against the
/// integer reference on random sparse layers (empty channels, all-zero rows, residuals, zero points), work
/// counts against the zero statistics, and outputs against the int8 engine on real clips.
final class PEArraySimulatorTests: XCTestCase {
    static func array(_ pes: Int, _ groups: Int, depth: Int = 8, _ dataflow: PEArrayDataflow) -> PEArrayConfiguration {
        try! PEArrayConfiguration(pes: pes, groups: groups, queueDepth: depth, dataflow: dataflow)
    }

    static func runs(_ layer: Int8LayerTrace.Layer, _ array: PEArrayConfiguration) -> [ZeroSkipPolicy: PEArraySimulator.LayerRun] {
        Dictionary(uniqueKeysWithValues: ZeroSkipPolicy.allCases.map { ($0, PEArraySimulator.run(layer, on: array, policy: $0)) })
    }

    /// Activation broadcast, 2 PEs in one group, 1 output step, 4 input channels, k = 1, 4 kernels: kernels
    /// 0 and 2 have a nonzero weight on every channel, 1 and 3 none. Index order puts kernels {0, 2} on PE0
    /// and {1, 3} on PE1; zero-aware allocation puts 0 and 2 on different PEs.
    /// Each of the 4 activations is one bus item (cycles 0–3), taken the cycle after:
    /// - zero-agnostic: both PEs 2 MACs per item → PE busy 1–8 → 9 cycles, 16 MACs;
    /// - activation-only: the same (no zero activation) → 9, 16;
    /// - both zeros, index order: PE0 2 MACs per item, PE1 none → 9, 8;
    /// - ZeNA: 1 MAC per PE per item → busy 1–4 → 5, 8.
    func testActivationBroadcastAllocationByHand() {
        let shape = TemporalConvShape(inputLength: 1, inputChannels: 4, outputChannels: 4, kernelSize: 1, stride: 1)
        let weights: [Int8] = [1, 0, 2, 0,  3, 0, 1, 0,  1, 0, 1, 0,  2, 0, 2, 0]
        let layer = SparsityTestSupport.layer(shape: shape, weights: weights, rows: [[1, 1, 1, 1]])
        let runs = Self.runs(layer, Self.array(2, 1, .activation))
        XCTAssertEqual(ZeroSkipPolicy.allCases.map { runs[$0]!.cycles }, [9, 9, 9, 5])
        XCTAssertEqual(ZeroSkipPolicy.allCases.map { runs[$0]!.performedMACs }, [16, 16, 8, 8])
        XCTAssertEqual(ZeroSkipPolicy.allCases.map { runs[$0]!.effectualMACs }, [8, 8, 8, 8])
        XCTAssertEqual(runs[.bothZerosAllocated]!.utilisation(pes: 2), 0.8, accuracy: 1e-12)
        for run in runs.values { XCTAssertEqual(run.output, [7, 0, 6, 0]) }

        // One zero activation: zero-agnostic still 4 items (9); the others 3 items: 1 + 3·2 = 7, 7, 1 + 3 = 4.
        let sparse = SparsityTestSupport.layer(shape: shape, weights: weights, rows: [[1, 0, 1, 1]])
        let sparseRuns = Self.runs(sparse, Self.array(2, 1, .activation))
        XCTAssertEqual(ZeroSkipPolicy.allCases.map { sparseRuns[$0]!.cycles }, [9, 7, 7, 4])
        XCTAssertEqual(ZeroSkipPolicy.allCases.map { sparseRuns[$0]!.performedMACs }, [16, 12, 6, 6])

        // One FIFO entry per PE: ZeNA's items wait for the previous MAC: bus at 0, 2, 4, 6 → 8 cycles.
        XCTAssertEqual(PEArraySimulator.run(layer, on: Self.array(2, 1, depth: 1, .activation), policy: .bothZerosAllocated).cycles, 8)
    }

    /// A 1×1 stride-2 layer streams only the rows that feed an output: of padded rows 0–2, row 1 feeds
    /// nothing, so 2 items on one PE → 3 cycles, for every policy (no zeros here).
    func testActivationBroadcastSkipsRowsThatFeedNoOutput() {
        let shape = TemporalConvShape(inputLength: 4, inputChannels: 1, outputChannels: 1, kernelSize: 1, stride: 2)
        let layer = SparsityTestSupport.layer(shape: shape, weights: [2], rows: [[1], [2], [3], [4]])
        for run in Self.runs(layer, Self.array(1, 1, .activation)).values {
            XCTAssertEqual(run.cycles, 3)
            XCTAssertEqual(run.broadcasts, 2)
            XCTAssertEqual(run.output, [2, 6])
        }
    }

    /// Kernel broadcast, one group of 2 PEs: PE0 owns steps 0 and 2, PE1 steps 1 and 3. Input x = 1, 0, 2, 0;
    /// kernel 0 has weight 3, kernel 1 weight 0.
    /// - zero-agnostic: 2 items, each 2 MACs per PE: busy 1–4 → 5 cycles, 8 MACs;
    /// - activation-only: 2 items, PE0 2 MACs each, PE1 none → 5, 4;
    /// - both zeros (and ZeNA): kernel 1's zero weight is never broadcast: 1 item, PE0 busy 1–2 → 3, 2.
    func testKernelBroadcastPoliciesByHand() {
        let shape = TemporalConvShape(inputLength: 4, inputChannels: 1, outputChannels: 2, kernelSize: 1, stride: 1)
        let layer = SparsityTestSupport.layer(shape: shape, weights: [3, 0], rows: [[1], [0], [2], [0]])
        let runs = Self.runs(layer, Self.array(2, 1, depth: 4, .kernel))
        XCTAssertEqual(ZeroSkipPolicy.allCases.map { runs[$0]!.cycles }, [5, 5, 3, 3])
        XCTAssertEqual(ZeroSkipPolicy.allCases.map { runs[$0]!.performedMACs }, [8, 4, 2, 2])
        for run in runs.values { XCTAssertEqual(run.output, [3, 0, 0, 0, 6, 0, 0, 0]) }
    }

    /// Kernel broadcast, 2 groups of 1 PE, 4 kernels over 2 channels: kernels 0 and 2 dense, 1 and 3 empty.
    /// Index order gives group 0 kernels {0, 2} (4 weight items → 5 cycles) and group 1 nothing; zero-aware
    /// allocation gives each group one dense kernel (2 items → 3 cycles). Zero-agnostic: 4 items per group → 5.
    func testKernelBroadcastAllocationAcrossGroupsByHand() {
        let shape = TemporalConvShape(inputLength: 1, inputChannels: 2, outputChannels: 4, kernelSize: 1, stride: 1)
        let layer = SparsityTestSupport.layer(shape: shape, weights: [1, 0, 2, 0,  1, 0, 1, 0], rows: [[1, 1]])
        let runs = Self.runs(layer, Self.array(2, 2, .kernel))
        XCTAssertEqual(ZeroSkipPolicy.allCases.map { runs[$0]!.cycles }, [5, 5, 5, 3])
        XCTAssertEqual(ZeroSkipPolicy.allCases.map { runs[$0]!.performedMACs }, [8, 8, 4, 4])
        for run in runs.values { XCTAssertEqual(run.output, [2, 0, 3, 0]) }
    }

    /// Random sparse layers on several arrays and both dataflows: the output is the reference's under every
    /// policy, the work done is what the zero statistics say each policy leaves, and no policy beats the
    /// one-MAC-per-PE-per-cycle bound.
    func testRandomLayersComputeTheReferenceOutputAndTheCountedWork() {
        var random = SplitMix64(seed: 23)
        let arrays = [(1, 1), (4, 1), (4, 2), (6, 3), (8, 8), (3, 1)]
        for iteration in 0..<80 {
            let shape = SparsityTestSupport.shapes[iteration % SparsityTestSupport.shapes.count]
            let layer = SparsityTestSupport.randomLayer(&random, shape: shape, weightZeros: [0, 0.5, 0.85, 1][iteration % 4],
                                                        activationZeros: [0.5, 0, 0.8][iteration % 3],
                                                        zeroPointInput: iteration % 7 == 0, withResidual: iteration % 2 == 1)
            var counts = LayerSparsity(conv: layer.conv)
            counts.add(layer)
            let (pes, groups) = arrays[iteration % arrays.count]
            for dataflow in PEArrayDataflow.allCases {
                let array = Self.array(pes, groups, depth: 1 + iteration % 3, dataflow)
                let runs = Self.runs(layer, array)
                let label = "iteration \(iteration) \(dataflow) \(pes)/\(groups)"
                for (policy, run) in runs {
                    XCTAssertEqual(run.output, layer.output, "\(label) \(policy)")
                    XCTAssertEqual(run.effectualMACs, counts.effectualMACs, "\(label) \(policy)")
                    XCTAssertGreaterThanOrEqual(run.cycles * pes, run.performedMACs, "\(label) \(policy)")
                }
                XCTAssertEqual(runs[.zeroAgnostic]!.performedMACs, counts.macs, label)
                XCTAssertEqual(runs[.activationZeros]!.performedMACs, counts.macs - counts.activationZeroMACs, label)
                XCTAssertEqual(runs[.bothZeros]!.performedMACs, counts.effectualMACs, label)
                XCTAssertEqual(runs[.bothZerosAllocated]!.performedMACs, counts.effectualMACs, label)
                XCTAssertLessThanOrEqual(runs[.activationZeros]!.cycles, runs[.zeroAgnostic]!.cycles, label)
            }
        }
    }

    /// On real clips through the shipped int8 models, every simulated layer output equals the engine's (the
    /// trace), under every policy and dataflow, and ZeNA beats zero-agnostic on the whole network.
    func testSimulatedOutputsEqualTheEngineOnRealClips() throws {
        let models = try SparsityTestSupport.shippedInt8Models().filter { $0.name.hasPrefix("tc-resnet8") }
        try XCTSkipIf(models.isEmpty, "no Models/tc-resnet8*-int8.safetensors")
        for model in models {
            let network = try XCTUnwrap(model.quantized)
            for dataflow in PEArrayDataflow.allCases {
                var simulation = PEArraySimulation(network: network, array: Self.array(16, 2, depth: 4, dataflow))
                for window in try SparsityTestSupport.sampleWindows(config: model.frontEnd, limit: 2) {
                    simulation.add(try Int8LayerTrace(model: model, features: window))
                }
                XCTAssertEqual(simulation.checkedOutputs, 2 * network.convolutions.count * ZeroSkipPolicy.allCases.count)
                XCTAssertEqual(simulation.mismatchedOutputs, 0, "\(model.name) \(dataflow)")
                XCTAssertGreaterThan(simulation.speedup(of: .bothZerosAllocated, over: .zeroAgnostic), 1, "\(model.name) \(dataflow)")
            }
        }
    }

    func testConfigurationRejectsBadCounts() {
        XCTAssertThrowsError(try PEArrayConfiguration(pes: 0, groups: 1, queueDepth: 1, dataflow: .activation)) {
            XCTAssertEqual($0 as? PEArrayConfigurationError, .notPositive(name: "PEs", value: 0))
        }
        XCTAssertThrowsError(try PEArrayConfiguration(pes: 6, groups: 4, queueDepth: 1, dataflow: .kernel)) {
            XCTAssertEqual($0 as? PEArrayConfigurationError, .unevenGroups(pes: 6, groups: 4))
        }
        XCTAssertThrowsError(try PEArrayConfiguration(pes: 4, groups: 2, queueDepth: 0, dataflow: .kernel))
    }
}
