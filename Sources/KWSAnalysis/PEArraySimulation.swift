import KWSRuntime

/// ``PEArraySimulator`` runs of every convolution of a network under every ``ZeroSkipPolicy``, summed over
/// traced windows, with each run's output checked against the int8 engine's (the trace).
public struct PEArraySimulation: Sendable {
    /// Totals of one layer under one policy, over all windows.
    public struct Totals: Sendable, Equatable {
        /// Cycles.
        public var cycles = 0
        /// PE-cycles spent on MACs.
        public var performedMACs = 0
        /// MACs with both operands nonzero.
        public var effectualMACs = 0

        /// All zero.
        public init() {}

        init(cycles: Int, performedMACs: Int, effectualMACs: Int) {
            self.cycles = cycles
            self.performedMACs = performedMACs
            self.effectualMACs = effectualMACs
        }

        /// `performedMACs / (pes × cycles)`.
        public func utilisation(pes: Int) -> Double {
            cycles > 0 ? Double(performedMACs) / (Double(pes) * Double(cycles)) : 0
        }

        mutating func add(_ run: PEArraySimulator.LayerRun) {
            cycles += run.cycles
            performedMACs += run.performedMACs
            effectualMACs += run.effectualMACs
        }

        static func + (lhs: Totals, rhs: Totals) -> Totals {
            Totals(cycles: lhs.cycles + rhs.cycles, performedMACs: lhs.performedMACs + rhs.performedMACs,
                   effectualMACs: lhs.effectualMACs + rhs.effectualMACs)
        }
    }

    /// One convolution's results.
    public struct Layer: Sendable, Equatable {
        /// Model-file prefix, e.g. `blocks.0.conv1`.
        public let name: String
        /// Geometry.
        public let shape: TemporalConvShape
        /// Per policy (in ``ZeroSkipPolicy/allCases`` order).
        public internal(set) var totals: [ZeroSkipPolicy: Totals]
    }

    /// The array simulated.
    public let array: PEArrayConfiguration
    /// Per convolution, in execution order.
    public private(set) var layers: [Layer]
    /// Windows added.
    public private(set) var windows = 0
    /// Layer runs whose output differed from the engine's (0 unless the simulator is wrong).
    public private(set) var mismatchedOutputs = 0
    /// Layer runs compared with the engine's output.
    public private(set) var checkedOutputs = 0

    /// Empty totals for `network` on `array`.
    public init(network: QuantizedTCResNet, array: PEArrayConfiguration) {
        self.array = array
        layers = network.convolutions.map { conv in
            Layer(name: conv.name, shape: conv.shape,
                  totals: Dictionary(uniqueKeysWithValues: ZeroSkipPolicy.allCases.map { ($0, Totals()) }))
        }
    }

    /// Simulates every layer of `trace` under every policy and checks each output against the trace's.
    public mutating func add(_ trace: Int8LayerTrace) {
        precondition(trace.layers.count == layers.count, "PEArraySimulation: trace of another network")
        windows += 1
        for (index, layer) in trace.layers.enumerated() {
            for policy in ZeroSkipPolicy.allCases {
                let run = PEArraySimulator.run(layer, on: array, policy: policy)
                checkedOutputs += 1
                if run.output != layer.output { mismatchedOutputs += 1 }
                layers[index].totals[policy, default: Totals()].add(run)
            }
        }
    }

    /// The whole network under `policy` (layers run one after another, so cycles add).
    public func total(_ policy: ZeroSkipPolicy) -> Totals {
        layers.reduce(Totals()) { $0 + ($1.totals[policy] ?? Totals()) }
    }

    /// Cycles under `baseline` ÷ cycles under `policy`, for the network or one layer.
    public func speedup(of policy: ZeroSkipPolicy, over baseline: ZeroSkipPolicy, layer: Int? = nil) -> Double {
        let totals = layer.map { layers[$0].totals }
        let numerator = totals.map { $0[baseline]?.cycles ?? 0 } ?? total(baseline).cycles
        let denominator = totals.map { $0[policy]?.cycles ?? 0 } ?? total(policy).cycles
        return denominator > 0 ? Double(numerator) / Double(denominator) : 0
    }
}
