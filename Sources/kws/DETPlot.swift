import FoundationEssentials
import Glibc
import KWS
import KWSCore

/// Draws the detection-error trade-off of an ``OperatingPointSweep`` as an SVG line plot: false alarms per
/// hour (log) against miss rate, one line per keyword and a thick one for all keywords together, with the
/// operating point the plain run used marked on each.
enum DETPlot {
    private static let colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    static func svg(_ sweep: OperatingPointSweep, keywords: [String], chosen: [String: Float], total: StreamScore, title: String) -> String {
        let width = 680.0, height = 440.0, left = 60.0, bottom = 50.0, top = 40.0, right = 170.0
        let plotW = width - left - right, plotH = height - top - bottom
        let rates = (keywords.flatMap { sweep.points(of: $0) } + sweep.totals).map(\.falseAlarmsPerHour) + [total.falseAlarmsPerHour]
        let positive = rates.filter { $0 > 0 }
        // Whole decades around the measured rates; no false alarm at all has a column of its own on the left,
        // since a log axis has no 0.
        let low = floor(log10(positive.min() ?? 0.1)), high = max(low + 1, ceil(log10(positive.max() ?? 10)))
        let zeroColumn = 30.0
        func x(_ rate: Double) -> Double {
            rate > 0 ? left + zeroColumn + (plotW - zeroColumn) * (log10(rate) - low) / (high - low) : left
        }
        func y(_ miss: Double) -> Double { top + plotH * miss }
        var svg = [#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="11">"#,
                   #"<rect width="100%" height="100%" fill="white"/>"#,
                   #"<text x="\#((left + plotW / 2))" y="20" text-anchor="middle" font-size="13">\#(escape(title))</text>"#,
                   #"<rect x="\#(left)" y="\#(top)" width="\#(plotW)" height="\#(plotH)" fill="none" stroke="gray"/>"#,
                   #"<text x="\#(left + plotW / 2)" y="\#(height - 12)" text-anchor="middle">false alarms per hour (log)</text>"#,
                   #"<text x="\#(left)" y="\#(top + plotH + 16)" text-anchor="middle">0</text>"#,
                   #"<line x1="\#(left + zeroColumn / 2)" y1="\#(top)" x2="\#(left + zeroColumn / 2)" y2="\#(top + plotH)" stroke="gray" stroke-dasharray="2,3"/>"#,
                   #"<text x="14" y="\#(top + plotH / 2)" text-anchor="middle" transform="rotate(-90 14 \#(top + plotH / 2))">miss rate</text>"#]
        for exponent in stride(from: low, through: high, by: 1) {
            let rate = pow(10, exponent)
            svg.append(#"<line x1="\#(x(rate))" y1="\#(top)" x2="\#(x(rate))" y2="\#(top + plotH)" stroke="gainsboro"/>"#)
            svg.append(#"<text x="\#(x(rate))" y="\#(top + plotH + 16)" text-anchor="middle">\#(String(cFormat: "%g", rate))</text>"#)
        }
        for miss in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg.append(#"<text x="\#(left - 6)" y="\#(y(miss) + 4)" text-anchor="end">\#(Int(miss * 100))%</text>"#)
        }
        func line(_ points: [SweepPoint], colour: String, strokeWidth: Double) -> String {
            let path = points.compactMap { point in point.recall.map { String(cFormat: "%.1f,%.1f", x(point.falseAlarmsPerHour), y(1 - $0)) } }
            return #"<polyline points="\#(path.joined(separator: " "))" fill="none" stroke="\#(colour)" stroke-width="\#(strokeWidth)" stroke-opacity="0.8"/>"#
        }
        for (index, keyword) in keywords.enumerated() {
            let colour = colours[index % colours.count]
            let points = sweep.points(of: keyword)
            svg.append(line(points, colour: colour, strokeWidth: 1.5))
            if let threshold = chosen[keyword],
               let point = points.min(by: { abs($0.threshold - threshold) < abs($1.threshold - threshold) }), let recall = point.recall {
                svg.append(#"<circle cx="\#(x(point.falseAlarmsPerHour))" cy="\#(y(1 - recall))" r="4" fill="\#(colour)"/>"#)
            }
            svg.append(#"<line x1="\#(left + plotW + 12)" y1="\#(top + 8 + Double(index) * 16)" x2="\#(left + plotW + 32)" y2="\#(top + 8 + Double(index) * 16)" stroke="\#(colour)" stroke-width="2"/>"#)
            svg.append(#"<text x="\#(left + plotW + 38)" y="\#(top + 12 + Double(index) * 16)">\#(escape(keyword)) (\#(chosen[keyword].map { $0.description } ?? "–"))</text>"#)
        }
        svg.append(line(sweep.totals, colour: "black", strokeWidth: 3))
        let legendY = top + 8 + Double(keywords.count) * 16
        svg.append(#"<line x1="\#(left + plotW + 12)" y1="\#(legendY)" x2="\#(left + plotW + 32)" y2="\#(legendY)" stroke="black" stroke-width="3"/>"#)
        svg.append(#"<text x="\#(left + plotW + 38)" y="\#(legendY + 4)">all keywords</text>"#)
        if let recall = total.recall {
            let cx = x(total.falseAlarmsPerHour), cy = y(1 - recall)
            svg.append(#"<rect x="\#(cx - 5)" y="\#(cy - 5)" width="10" height="10" fill="white" stroke="black" stroke-width="2" transform="rotate(45 \#(cx) \#(cy))"/>"#)
            svg.append(#"<text x="\#(left + plotW + 12)" y="\#(legendY + 22)">◆ ● this run's thresholds</text>"#)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
