import FoundationEssentials
import Glibc
import KWSAnalysis
import KWSCore
import KWSRuntime

/// Draws `kws lab zena-sim` cycles per window as an SVG grouped bar chart: one group per layer, one bar per
/// policy, with the network speedups in the title.
enum ZenaSimPlot {
    static let colours: [ZeroSkipPolicy: String] = [.zeroAgnostic: "#9e9e9e", .activationZeros: "#f0a030",
                                                    .bothZeros: "#7fb3d5", .bothZerosAllocated: "#1f5f9f"]

    static func svg(_ report: ZenaSimReport) -> String {
        let layers = report.simulation.layers
        let policies = ZenaSimReport.policies
        let bar = 9.0, gap = 10.0, left = 70.0, top = 74.0, plotH = 300.0, bottom = 120.0, right = 20.0
        let groupW = Double(policies.count) * bar + gap
        let width = max(640, left + Double(layers.count) * groupW + right + 230), height = top + plotH + bottom
        let peak = layers.flatMap { layer in policies.map { Double(layer.totals[$0]?.cycles ?? 0) / report.windows } }.max() ?? 1
        let scale = axisMaximum(peak)
        func y(_ value: Double) -> Double { top + plotH * (1 - value / scale) }
        let speedups = String(cFormat: "ZeNA %.2f× vs zero-agnostic, %.2f× vs activation-only, allocation %+.1f%%",
                              report.speedupVsZeroAgnostic, report.speedupVsActivationOnly, report.allocationGain * 100)
        var svg = [#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="11">"#,
                   #"<rect width="100%" height="100%" fill="white"/>"#,
                   #"<text x="\#(left)" y="20" font-size="13">\#(escape(report.model))</text>"#,
                   #"<text x="\#(left)" y="38">\#(escape(report.arrayText)): \#(escape(speedups))</text>"#,
                   #"<text x="\#(left)" y="56">cycles per window, per convolution (\#(report.simulation.windows) clips)</text>"#,
                   #"<line x1="\#(left)" y1="\#(top)" x2="\#(left)" y2="\#(top + plotH)" stroke="gray"/>"#,
                   #"<line x1="\#(left)" y1="\#(top + plotH)" x2="\#(left + Double(layers.count) * groupW)" y2="\#(top + plotH)" stroke="gray"/>"#]
        for tick in 0...4 {
            let value = scale * Double(tick) / 4
            svg.append(#"<line x1="\#(left - 4)" y1="\#(y(value))" x2="\#(left)" y2="\#(y(value))" stroke="gray"/>"#)
            svg.append(#"<text x="\#(left - 6)" y="\#(y(value) + 4)" text-anchor="end">\#(Int(value))</text>"#)
        }
        for (index, layer) in layers.enumerated() {
            let x0 = left + gap / 2 + Double(index) * groupW
            for (slot, policy) in policies.enumerated() {
                let value = Double(layer.totals[policy]?.cycles ?? 0) / report.windows
                svg.append(String(cFormat: #"<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill=""#,
                                  x0 + Double(slot) * bar, y(value), bar - 1, top + plotH - y(value)) + (colours[policy] ?? "black") + #""/>"#)
            }
            let labelX = x0 + Double(policies.count) * bar / 2, labelY = top + plotH + 10
            svg.append(#"<text x="\#(labelX)" y="\#(labelY)" text-anchor="end" transform="rotate(-60 \#(labelX) \#(labelY))">\#(escape(layer.name))</text>"#)
        }
        let legendX = left + Double(layers.count) * groupW + 20
        for (slot, policy) in policies.enumerated() {
            let legendY = top + Double(slot) * 18
            svg.append(#"<rect x="\#(legendX)" y="\#(legendY)" width="12" height="12" fill="\#(colours[policy] ?? "black")"/>"#)
            svg.append(#"<text x="\#(legendX + 18)" y="\#(legendY + 10)">\#(escape(ZenaSimReport.shortNames[policy] ?? policy.rawValue))</text>"#)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// A round number ≥ `value` (1, 2 or 5 × a power of ten) for the top of the axis.
    static func axisMaximum(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= value } ?? 10 * magnitude
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
