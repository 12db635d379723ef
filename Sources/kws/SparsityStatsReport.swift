import FoundationEssentials
import Glibc
import KWSAnalysis
import KWSCore
import KWSRuntime

/// `kws info --stats`: per-layer zero weights, zero activations measured on real clips, and the MACs each
/// kind of zero makes skippable, as text or JSON.
enum SparsityStatsReport {
    static let definitions = [
        "zero weights: s8 weights equal to 0",
        "zero activations: u8 input codes equal to 0, over the real (non-padding) input rows each layer reads",
        "MACs: one (output step, tap, input channel, output channel) product per window, padding taps included",
        "w=0: MACs with a zero weight; a=0: MACs with a zero activation (post-ReLU padding is 0)",
        "w=0 & a=0: MACs where BOTH are zero (the intersection); w=0 | a=0: MACs with EITHER zero (the union, = w=0 + a=0 − both), what a design skipping both saves",
        "stem: its u8 input has per-coefficient zero points, so code 0 is a clamped extreme, not real 0; only code 0 gives a zero product and is counted; real zeros (code = zero point) are shown apart",
        "the FC head (time-summed activations × s8 weights) is not a convolution and is not counted",
    ]

    static func run(model: TCResNetModel, clipOptions: AudioClipOptions, prune: Double?, json: Bool) throws {
        let clips = try clipOptions.clips()
        let (network, name) = try ClipWindows.network(of: model, prune: prune)
        var statistics = NetworkSparsity(network: network)
        _ = try ClipWindows.traceEach(clips, model: model, network: network, progress: "stats") { statistics.add($0) }
        let source = clipOptions.audio ?? ""
        if json { Terminal.printLine(self.json(statistics, model: name, source: source)) }
        else { text(statistics, model: name, source: source).forEach { Terminal.printLine($0) } }
    }

    /// A sum over layers, for the total row.
    struct Row {
        var name: String
        var geometry: String
        var weights = 0, zeroWeights = 0, activations = 0, zeroActivations = 0, realZeroActivations = 0
        var macs = 0, weightZero = 0, activationZero = 0, bothZero = 0, eitherZero = 0, windows = 1

        init(_ layer: LayerSparsity) {
            let shape = layer.shape
            name = layer.name
            geometry = "\(shape.inputChannels)→\(shape.outputChannels) k\(shape.kernelSize) s\(shape.stride) T\(shape.outputLength)"
            weights = shape.weightCount
            zeroWeights = layer.zeroWeights
            activations = layer.activations
            zeroActivations = layer.zeroActivations
            realZeroActivations = layer.realZeroActivations
            macs = layer.macs
            weightZero = layer.weightZeroMACs
            activationZero = layer.activationZeroMACs
            bothZero = layer.bothZeroMACs
            eitherZero = layer.eitherZeroMACs
            windows = max(1, layer.windows)
        }

        init(total layers: [LayerSparsity]) {
            name = "total"
            geometry = ""
            windows = max(1, layers.first?.windows ?? 1)
            for layer in layers.map(Row.init) {
                weights += layer.weights
                zeroWeights += layer.zeroWeights
                activations += layer.activations
                zeroActivations += layer.zeroActivations
                realZeroActivations += layer.realZeroActivations
                macs += layer.macs
                weightZero += layer.weightZero
                activationZero += layer.activationZero
                bothZero += layer.bothZero
                eitherZero += layer.eitherZero
            }
        }

        func share(_ part: Int, of whole: Int) -> Double { whole > 0 ? Double(part) / Double(whole) * 100 : 0 }
        var zeroWeightPct: Double { share(zeroWeights, of: weights) }
        var zeroActivationPct: Double { share(zeroActivations, of: activations) }
        var realZeroActivationPct: Double { share(realZeroActivations, of: activations) }
        var macsPerWindow: Double { Double(macs) / Double(windows) }
        var effectualPerWindow: Double { Double(macs - eitherZero) / Double(windows) }

        var jsonFields: [(String, String)] {
            [("weights", String(weights)), ("zero_weight_pct", JSONText.number(zeroWeightPct)),
             ("zero_activation_pct", JSONText.number(zeroActivationPct)),
             ("real_zero_activation_pct", JSONText.number(realZeroActivationPct)),
             ("macs_per_window", JSONText.number(macsPerWindow, digits: 1)),
             ("weight_zero_mac_pct", JSONText.number(share(weightZero, of: macs))),
             ("activation_zero_mac_pct", JSONText.number(share(activationZero, of: macs))),
             ("both_zero_mac_pct", JSONText.number(share(bothZero, of: macs))),
             ("either_zero_mac_pct", JSONText.number(share(eitherZero, of: macs))),
             ("effectual_macs_per_window", JSONText.number(effectualPerWindow, digits: 1))]
        }
    }

    static func text(_ statistics: NetworkSparsity, model: String, source: String) -> [String] {
        let rows = statistics.layers.map(Row.init) + [Row(total: statistics.layers)]
        var lines = ["model \(model): zeros measured on \(statistics.windows) clips under \(source) (central 1 s window each)", ""]
        let header = ["layer", "geometry", "zero w%", "zero act%", "MACs/window", "w=0 %", "a=0 %", "w=0&a=0 %", "w=0|a=0 %",
                      "effectual/window"]
        let widths = [24, 22, 8, 10, 12, 7, 7, 10, 10, 17]
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { index, pair in
                index < 2 ? pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0) : pair.0.leftPadded(pair.1)
            }.joined()
        }
        lines.append(line(header))
        for row in rows {
            func pct(_ value: Double) -> String { String(cFormat: "%.1f", value) }
            lines.append(line([row.name, row.geometry, pct(row.zeroWeightPct), pct(row.zeroActivationPct),
                               String(cFormat: "%.0f", row.macsPerWindow), pct(row.share(row.weightZero, of: row.macs)),
                               pct(row.share(row.activationZero, of: row.macs)), pct(row.share(row.bothZero, of: row.macs)),
                               pct(row.share(row.eitherZero, of: row.macs)), String(cFormat: "%.0f", row.effectualPerWindow)]))
        }
        if let stem = rows.first {
            lines += ["", String(cFormat: "stem input: %.2f%% of codes are 0 (skippable), %.2f%% equal the zero point (real 0, not skippable in u8 arithmetic)",
                                 stem.zeroActivationPct, stem.realZeroActivationPct)]
        }
        lines.append("")
        lines += definitions.map { "  " + $0 }
        return lines
    }

    static func json(_ statistics: NetworkSparsity, model: String, source: String) -> String {
        let layers = statistics.layers.map { layer -> String in
            let shape = layer.shape
            return JSONText.object([("name", JSONText.string(layer.name)), ("input_channels", String(shape.inputChannels)),
                                    ("output_channels", String(shape.outputChannels)), ("kernel_size", String(shape.kernelSize)),
                                    ("stride", String(shape.stride)), ("output_length", String(shape.outputLength))]
                                   + Row(layer).jsonFields)
        }
        let definitions = "[" + Self.definitions.map(JSONText.string).joined(separator: ",") + "]"
        return JSONText.object([("type", JSONText.string("sparsity")), ("model", JSONText.string(model)), ("source", JSONText.string(source)),
                                ("clips", String(statistics.windows)), ("layers", "[" + layers.joined(separator: ",") + "]"),
                                ("total", JSONText.object(Row(total: statistics.layers).jsonFields)),
                                ("both_zero_means", JSONText.string("intersection: weight and activation both zero")),
                                ("either_zero_means", JSONText.string("union: weight or activation zero (skipped by a design skipping both)")),
                                ("definitions", definitions)])
    }
}
