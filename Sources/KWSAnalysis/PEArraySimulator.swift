import KWSRuntime

/// A cycle-level model of a zero-aware PE array (after ZeNA, SPEC.md §4.1) running one traced int8
/// TC-ResNet convolution, which computes the layer's u8 output with the MACs it times.
///
/// **Hardware model.** `pes` PEs split into `groups` work groups (WGs) of `P = pes / groups`. A PE does one
/// u8 × s8 multiply-accumulate per cycle into its own accumulators and has a FIFO of `queueDepth` items.
/// Each WG has a broadcast bus that puts out at most one item (a value and its index) per cycle, in a fixed
/// order; an item waits on the bus until every PE that takes it has a free FIFO entry. A PE takes an item
/// only if it has at least one MAC to do with it, and then spends one cycle per MAC. Timing rules in
/// ``BroadcastTimeline``. A layer ends when every WG has drained (layers do not overlap: the next layer
/// needs the whole output); the requantization epilogue, the residual add and the FC head are not timed.
/// A cycle is therefore one MAC slot of one PE; memory bandwidth and buffer sizes are not modelled.
///
/// **Dataflows** (``PEArrayDataflow``):
/// - *activation broadcast*: WG `g` owns output steps `[g·T/G, (g+1)·T/G)`; kernels (output channels) are
///   dealt to the group's P PEs. The bus streams the padded input rows the tile needs, channel by channel;
///   for activation `x[r][i]` a PE does, for each of its kernels `o` and each tap `j` that maps row `r` into
///   the tile (`t = (r − j)/stride`), the MAC `acc[t][o] += x · w[j][i][o]`. Rows that feed no output of the
///   tile (odd rows of a 1×1 stride-2 conv) are not streamed.
/// - *kernel broadcast*: kernels are dealt to the G WGs; PE `p` of a group owns output steps `t ≡ p (mod P)`.
///   The bus streams each of the group's kernels weight by weight (`(j, i)` order); for weight `w[j][i][o]` a
///   PE does `acc[t][o] += x[t·stride + j][i] · w` for each of its steps.
///
/// **Policies** (``ZeroSkipPolicy``), all on the same array and dataflow:
/// - zero-agnostic: every item is broadcast and every MAC costs a cycle;
/// - activation zeros only (Cnvlutin-like): zero activations cost nothing (not broadcast under activation
///   broadcast; a PE skips the MAC under kernel broadcast), zero weights cost a cycle;
/// - both zeros: kernels are stored compressed, so zero weights cost nothing either (a PE skips them under
///   activation broadcast; they are never broadcast under kernel broadcast). A nonzero activation that no PE
///   has a nonzero weight for still takes its bus cycle: the bus does not know the PEs' weights;
/// - both zeros with zero-aware kernel allocation: kernels dealt by nonzero-weight count
///   (``WorkAllocation/zeroAware``) instead of index order.
///
/// Zero means the u8 code 0 and the s8 weight 0: their product is 0, so skipping them leaves the integer
/// accumulator unchanged and ``LayerRun/output`` equals the int8 engine's output (checked by tests and by
/// `kws zena-sim` on every layer it runs). The stem's input has per-coefficient zero points, so its real
/// zeros are not code 0 and are not skipped.
///
/// **What is ZeNA's and what is ours.** Confirmed from the paper's abstract: skipping both zero weights and
/// zero activations, work groups, activation- and kernel-broadcast dataflows, zero-induced load imbalance
/// and zero-aware kernel allocation, and the speedups against zero-agnostic and zero-activation-aware
/// designs. Ours: the per-item bus, the FIFO rule, one MAC per PE per cycle, the tile/kernel split per
/// dataflow, LPT as the allocation, no work stealing (the D&T version's), and 1-D TC-ResNet layers instead
/// of 2-D AlexNet/VGG ones.
public enum PEArraySimulator {
    /// The timed result of one layer under one policy.
    public struct LayerRun: Sendable, Equatable {
        /// Cycles from the layer's first broadcast to its last MAC (slowest work group).
        public let cycles: Int
        /// PE-cycles spent on MACs, zero products included (what the policy did not skip).
        public let performedMACs: Int
        /// Of those, MACs with a nonzero weight and a nonzero activation.
        public let effectualMACs: Int
        /// Items put on the work groups' buses, all groups together.
        public let broadcasts: Int
        /// The u8 output `[outputLength][outputChannels]` from the accumulators of the MACs above.
        public let output: [UInt8]

        /// `performedMACs / (pes × cycles)`: the share of PE-cycles doing a MAC.
        public func utilisation(pes: Int) -> Double {
            cycles > 0 ? Double(performedMACs) / (Double(pes) * Double(cycles)) : 0
        }
    }

    /// Runs `layer` on `array` under `policy`.
    public static func run(_ layer: Int8LayerTrace.Layer, on array: PEArrayConfiguration, policy: ZeroSkipPolicy) -> LayerRun {
        let shape = layer.shape
        let bias = layer.conv.bias.map(Int64.init)
        var accumulators = (0..<shape.outputLength).flatMap { _ in bias }
        let kernelCosts = kernelCosts(layer.conv, skipsWeightZeros: policy.skipsWeightZeros)
        var timing: (cycles: Int, performed: Int, effectual: Int, broadcasts: Int)
        switch array.dataflow {
        case .activation:
            let assignment = policy.allocation.assign(costs: kernelCosts, workers: array.pesPerGroup)
            timing = activationBroadcast(layer, array: array, policy: policy, kernels: assignment.items,
                                         accumulators: &accumulators)
        case .kernel:
            let assignment = policy.allocation.assign(costs: kernelCosts, workers: array.groups)
            timing = kernelBroadcast(layer, array: array, policy: policy, kernels: assignment.items,
                                     accumulators: &accumulators)
        }
        return LayerRun(cycles: timing.cycles, performedMACs: timing.performed, effectualMACs: timing.effectual,
                        broadcasts: timing.broadcasts, output: requantize(layer, accumulators))
    }

    /// MACs per output step each kernel costs: its nonzero weights when zero weights are skipped, else all.
    static func kernelCosts(_ conv: QuantizedConv, skipsWeightZeros: Bool) -> [Int] {
        let shape = conv.shape
        let depth = shape.kernelSize * shape.inputChannels
        guard skipsWeightZeros else { return [Int](repeating: depth, count: shape.outputChannels) }
        var costs = [Int](repeating: 0, count: shape.outputChannels)
        for (index, weight) in conv.weights.enumerated() where weight != 0 { costs[index % shape.outputChannels] += 1 }
        return costs
    }

    private static func activationBroadcast(_ layer: Int8LayerTrace.Layer, array: PEArrayConfiguration, policy: ZeroSkipPolicy,
                                            kernels: [[Int]], accumulators: inout [Int64])
        -> (cycles: Int, performed: Int, effectual: Int, broadcasts: Int) {
        let shape = layer.shape
        let (channels, outputs, taps, stride) = (shape.inputChannels, shape.outputChannels, shape.kernelSize, shape.stride)
        let pes = array.pesPerGroup
        // Per PE, its (kernel, weight) pairs for each (tap, input) operand, compressed as the policy stores them.
        let operands = taps * channels
        var starts = [[Int]](), owners = [[Int]](), weights = [[Int64]]()
        for pe in 0..<pes {
            var start = [0], owner = [Int](), weight = [Int64]()
            for operand in 0..<operands {
                for kernel in kernels[pe] {
                    let value = layer.conv.weights[operand * outputs + kernel]
                    if value == 0 && policy.skipsWeightZeros { continue }
                    owner.append(kernel)
                    weight.append(Int64(value))
                }
                start.append(owner.count)
            }
            starts.append(start)
            owners.append(owner)
            weights.append(weight)
        }
        let input = layer.paddedInput
        var result = (cycles: 0, performed: 0, effectual: 0, broadcasts: 0)
        var costs = [Int](repeating: 0, count: pes)
        for group in 0..<array.groups {
            let first = group * shape.outputLength / array.groups, end = (group + 1) * shape.outputLength / array.groups
            guard first < end else { continue }
            var timeline = BroadcastTimeline(pes: pes, queueDepth: array.queueDepth)
            for row in (first * stride)...((end - 1) * stride + taps - 1) {
                // The (tap, output step) pairs through which this row feeds the group's tile.
                let feeds = (0..<taps).compactMap { tap -> (tap: Int, step: Int)? in
                    let offset = row - tap
                    guard offset >= 0, offset % stride == 0, (first..<end).contains(offset / stride) else { return nil }
                    return (tap, offset / stride)
                }
                guard !feeds.isEmpty else { continue }
                for channel in 0..<channels {
                    let x = Int64(input[row * channels + channel])
                    if x == 0 && policy.skipsActivationZeros { continue }
                    for pe in 0..<pes {
                        var cost = 0
                        let (start, owner, weight) = (starts[pe], owners[pe], weights[pe])
                        for feed in feeds {
                            let operand = feed.tap * channels + channel, base = feed.step * outputs
                            for entry in start[operand]..<start[operand + 1] {
                                accumulators[base + owner[entry]] += x * weight[entry]
                                cost += 1
                                if x != 0 && weight[entry] != 0 { result.effectual += 1 }
                            }
                        }
                        costs[pe] = cost
                    }
                    timeline.broadcast(costs)
                }
            }
            result.cycles = max(result.cycles, timeline.finishCycle)
            result.performed += timeline.busyCycles
            result.broadcasts += timeline.broadcasts
        }
        return result
    }

    private static func kernelBroadcast(_ layer: Int8LayerTrace.Layer, array: PEArrayConfiguration, policy: ZeroSkipPolicy,
                                        kernels: [[Int]], accumulators: inout [Int64])
        -> (cycles: Int, performed: Int, effectual: Int, broadcasts: Int) {
        let shape = layer.shape
        let (channels, outputs, taps, stride) = (shape.inputChannels, shape.outputChannels, shape.kernelSize, shape.stride)
        let pes = array.pesPerGroup
        let steps = (0..<pes).map { pe in Array(Swift.stride(from: pe, to: shape.outputLength, by: pes)) }
        let input = layer.paddedInput
        var result = (cycles: 0, performed: 0, effectual: 0, broadcasts: 0)
        var costs = [Int](repeating: 0, count: pes)
        for group in 0..<array.groups {
            var timeline = BroadcastTimeline(pes: pes, queueDepth: array.queueDepth)
            for kernel in kernels[group] {
                for tap in 0..<taps {
                    for channel in 0..<channels {
                        let w = Int64(layer.conv.weights[(tap * channels + channel) * outputs + kernel])
                        if w == 0 && policy.skipsWeightZeros { continue }
                        for pe in 0..<pes {
                            var cost = 0
                            for step in steps[pe] {
                                let x = Int64(input[(step * stride + tap) * channels + channel])
                                if x == 0 && policy.skipsActivationZeros { continue }
                                accumulators[step * outputs + kernel] += x * w
                                cost += 1
                                if x != 0 && w != 0 { result.effectual += 1 }
                            }
                            costs[pe] = cost
                        }
                        timeline.broadcast(costs)
                    }
                }
            }
            result.cycles = max(result.cycles, timeline.finishCycle)
            result.performed += timeline.busyCycles
            result.broadcasts += timeline.broadcasts
        }
        return result
    }

    /// The kernels' epilogue in integer form (``QuantizedConv``): residual rescaled into the accumulator,
    /// then requantization and the ReLU/u8 clamp.
    private static func requantize(_ layer: Int8LayerTrace.Layer, _ accumulators: [Int64]) -> [UInt8] {
        let conv = layer.conv
        let outputs = conv.shape.outputChannels
        return accumulators.enumerated().map { index, accumulator in
            let channel = index % outputs
            var acc = accumulator
            if let residual = layer.residual, let rescale = conv.residualRescale {
                acc += rescale[channel].apply(Int64(residual[index]))
            }
            return UInt8(min(255, max(0, conv.requantization[channel].apply(acc))))
        }
    }
}
