import FoundationEssentials
import Glibc
import KWSAnalysis
import KWSCore
import KWSRuntime

/// Text and JSON renderings of a ``PEArraySimulation``: cycles per window and PE utilisation per layer and
/// policy, speedups of ZeNA over both baselines and the gain from zero-aware allocation, beside the talk's
/// AlexNet / VGG-16 figures.
struct ZenaSimReport {
    let simulation: PEArraySimulation
    let model: String
    let source: String

    static let policies = ZeroSkipPolicy.allCases
    static let shortNames: [ZeroSkipPolicy: String] = [.zeroAgnostic: "zero-agnostic", .activationZeros: "act-zeros only",
                                                       .bothZeros: "w+a zeros", .bothZerosAllocated: "ZeNA (w+a+alloc)"]

    var array: PEArrayConfiguration { simulation.array }
    var windows: Double { Double(max(1, simulation.windows)) }

    /// ZeNA over zero-agnostic, over activation-only, and ZeNA over index-order kernels, for the network.
    var speedupVsZeroAgnostic: Double { simulation.speedup(of: .bothZerosAllocated, over: .zeroAgnostic) }
    var speedupVsActivationOnly: Double { simulation.speedup(of: .bothZerosAllocated, over: .activationZeros) }
    var allocationGain: Double { simulation.speedup(of: .bothZerosAllocated, over: .bothZeros) - 1 }

    var arrayText: String {
        "\(array.pes) PEs (\(array.groups) work groups × \(array.pesPerGroup), FIFO \(array.queueDepth)), \(array.dataflow.rawValue) broadcast"
    }

    var text: [String] {
        var lines = ["model \(model) on \(arrayText); \(simulation.windows) clips under \(source)",
                     "cycles per window (PE utilisation = MAC cycles ÷ PE cycles):", ""]
        let widths = [24, 9] + [Int](repeating: 19, count: Self.policies.count) + [9, 9, 10]
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { $0.offset == 0 ? $0.element.0.padding(toLength: $0.element.1, withPad: " ", startingAt: 0)
                : $0.element.0.leftPadded($0.element.1) }.joined()
        }
        lines.append(line(["layer", "MACs"] + Self.policies.map { Self.shortNames[$0] ?? $0.rawValue } + ["vs agn.", "vs act.", "alloc"]))
        func cells(_ totals: [ZeroSkipPolicy: PEArraySimulation.Totals], macs: Int, name: String, layer: Int?) -> [String] {
            let policyCells = Self.policies.map { policy -> String in
                let total = totals[policy] ?? PEArraySimulation.Totals()
                return String(cFormat: "%.0f (%3.0f%%)", Double(total.cycles) / windows, total.utilisation(pes: array.pes) * 100)
            }
            let vsAgnostic = simulation.speedup(of: .bothZerosAllocated, over: .zeroAgnostic, layer: layer)
            let vsActivation = simulation.speedup(of: .bothZerosAllocated, over: .activationZeros, layer: layer)
            let gain = simulation.speedup(of: .bothZerosAllocated, over: .bothZeros, layer: layer) - 1
            return [name, String(macs)] + policyCells
                + [String(cFormat: "%.2f×", vsAgnostic), String(cFormat: "%.2f×", vsActivation), String(cFormat: "%+.1f%%", gain * 100)]
        }
        for (index, layer) in simulation.layers.enumerated() {
            lines.append(line(cells(layer.totals, macs: layer.shape.macs, name: layer.name, layer: index)))
        }
        let totals = Dictionary(uniqueKeysWithValues: Self.policies.map { ($0, simulation.total($0)) })
        lines.append(line(cells(totals, macs: simulation.layers.reduce(0) { $0 + $1.shape.macs }, name: "total", layer: nil)))
        lines += ["",
                  String(cFormat: "ZeNA vs zero-agnostic (Eyeriss-like):          %6.2f×   talk: 4× AlexNet, 5.2× VGG-16", speedupVsZeroAgnostic),
                  String(cFormat: "ZeNA vs activation zeros only (Cnvlutin-like): %6.2f×   talk: 1.8×, 2.1×", speedupVsActivationOnly),
                  String(cFormat: "zero-aware allocation vs index-order kernels:  %+5.1f%%   talk: +19.6%%, +25.8%%", allocationGain * 100),
                  verification]
        return lines
    }

    var verification: String {
        simulation.mismatchedOutputs == 0
            ? "verified: all \(simulation.checkedOutputs) simulated layer outputs (layers × policies × clips) equal the int8 engine's"
            : "MISMATCH: \(simulation.mismatchedOutputs) of \(simulation.checkedOutputs) simulated layer outputs differ from the int8 engine's"
    }

    var json: String {
        func policies(_ totals: [ZeroSkipPolicy: PEArraySimulation.Totals]) -> String {
            JSONText.object(Self.policies.map { policy in
                let total = totals[policy] ?? PEArraySimulation.Totals()
                return (policy.rawValue, JSONText.object([
                    ("cycles_per_window", JSONText.number(Double(total.cycles) / windows, digits: 2)),
                    ("utilisation", JSONText.number(total.utilisation(pes: array.pes))),
                    ("performed_macs_per_window", JSONText.number(Double(total.performedMACs) / windows, digits: 1)),
                    ("effectual_macs_per_window", JSONText.number(Double(total.effectualMACs) / windows, digits: 1))]))
            })
        }
        let layers = simulation.layers.enumerated().map { index, layer in
            JSONText.object([("name", JSONText.string(layer.name)), ("macs", String(layer.shape.macs)),
                             ("policies", policies(layer.totals)),
                             ("speedup_vs_zero_agnostic", JSONText.number(simulation.speedup(of: .bothZerosAllocated, over: .zeroAgnostic, layer: index))),
                             ("speedup_vs_activation_only", JSONText.number(simulation.speedup(of: .bothZerosAllocated, over: .activationZeros, layer: index))),
                             ("allocation_gain", JSONText.number(simulation.speedup(of: .bothZerosAllocated, over: .bothZeros, layer: index) - 1))])
        }
        let totals = Dictionary(uniqueKeysWithValues: Self.policies.map { ($0, simulation.total($0)) })
        let arrayObject = JSONText.object([("pes", String(array.pes)), ("groups", String(array.groups)),
                                           ("queue_depth", String(array.queueDepth)), ("dataflow", JSONText.string(array.dataflow.rawValue))])
        let names = JSONText.object(Self.policies.map { ($0.rawValue, JSONText.string($0.title)) })
        return JSONText.object([("type", JSONText.string("zena_sim")), ("model", JSONText.string(model)), ("source", JSONText.string(source)),
                                ("clips", String(simulation.windows)), ("array", arrayObject), ("policies", names),
                                ("layers", "[" + layers.joined(separator: ",") + "]"), ("total", policies(totals)),
                                ("speedup_vs_zero_agnostic", JSONText.number(speedupVsZeroAgnostic)),
                                ("speedup_vs_activation_only", JSONText.number(speedupVsActivationOnly)),
                                ("allocation_gain", JSONText.number(allocationGain)),
                                ("checked_outputs", String(simulation.checkedOutputs)),
                                ("mismatched_outputs", String(simulation.mismatchedOutputs))])
    }
}
