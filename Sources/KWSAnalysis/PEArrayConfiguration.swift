import KWSRuntime

/// Which operand a work group broadcasts to its PEs (SPEC.md §4.1).
public enum PEArrayDataflow: String, Sendable, CaseIterable {
    /// Work groups split the output time steps; inside a group each PE owns output-channel kernels and the
    /// group broadcasts input activations, each multiplied by every owning PE's weights (activation reuse).
    case activation
    /// Work groups split the output-channel kernels; inside a group each PE owns output time steps and the
    /// group broadcasts one kernel weight at a time, multiplied by every PE's activations (weight reuse).
    case kernel
}

/// What the array skips, and how it deals kernels out: the two baselines and the zero-aware design with and
/// without zero-aware kernel allocation, all on the same array.
public enum ZeroSkipPolicy: String, Sendable, CaseIterable {
    /// Every MAC costs a cycle, zero or not (an Eyeriss-like, zero-agnostic array); kernels in index order.
    case zeroAgnostic = "zero-agnostic"
    /// Zero activations are skipped, zero weights still cost a cycle (Cnvlutin-like); kernels in index order.
    case activationZeros = "activation-only"
    /// Zero weights and zero activations are skipped; kernels in index order (the design the talk's
    /// +19.6% / +25.8% allocation gains are measured against).
    case bothZeros = "zero-aware"
    /// As ``bothZeros``, with zero-aware kernel allocation (``WorkAllocation/zeroAware`` by nonzero weights
    /// per kernel): ZeNA.
    case bothZerosAllocated = "zena"

    /// Whether a zero activation costs nothing.
    public var skipsActivationZeros: Bool { self != .zeroAgnostic }
    /// Whether a zero weight costs nothing.
    public var skipsWeightZeros: Bool { self == .bothZeros || self == .bothZerosAllocated }
    /// How kernels are dealt to PEs (activation broadcast) or work groups (kernel broadcast).
    public var allocation: WorkAllocation { self == .bothZerosAllocated ? .zeroAware : .naive }

    /// Label for tables and plots.
    public var title: String {
        switch self {
        case .zeroAgnostic: return "zero-agnostic (Eyeriss-like)"
        case .activationZeros: return "activation zeros only (Cnvlutin-like)"
        case .bothZeros: return "weight+activation zeros, index-order kernels"
        case .bothZerosAllocated: return "weight+activation zeros, zero-aware allocation (ZeNA)"
        }
    }
}

/// Why a ``PEArrayConfiguration`` cannot be built.
public enum PEArrayConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A count that must be at least 1 was not.
    case notPositive(name: String, value: Int)
    /// The PEs do not split evenly into work groups.
    case unevenGroups(pes: Int, groups: Int)

    public var description: String {
        switch self {
        case let .notPositive(name, value): return "\(name) must be at least 1 (got \(value))"
        case let .unevenGroups(pes, groups): return "\(pes) PEs do not split into \(groups) equal work groups"
        }
    }
}

/// The simulated array: `pes` PEs in `groups` work groups, each PE with a FIFO of `queueDepth` items.
public struct PEArrayConfiguration: Sendable, Equatable {
    /// PEs in the whole array.
    public let pes: Int
    /// Work groups (each with its own broadcast bus).
    public let groups: Int
    /// FIFO entries per PE, the item in progress included.
    public let queueDepth: Int
    /// What is broadcast.
    public let dataflow: PEArrayDataflow

    /// PEs per work group.
    public var pesPerGroup: Int { pes / groups }

    /// - Throws: ``PEArrayConfigurationError`` unless all counts are positive and `groups` divides `pes`.
    public init(pes: Int, groups: Int, queueDepth: Int, dataflow: PEArrayDataflow) throws {
        for (name, value) in [("PEs", pes), ("work groups", groups), ("queue depth", queueDepth)] where value < 1 {
            throw PEArrayConfigurationError.notPositive(name: name, value: value)
        }
        guard pes % groups == 0 else { throw PEArrayConfigurationError.unevenGroups(pes: pes, groups: groups) }
        self.pes = pes
        self.groups = groups
        self.queueDepth = queueDepth
        self.dataflow = dataflow
    }
}
