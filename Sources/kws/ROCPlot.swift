import FoundationEssentials
import Glibc
import KWS
import KWSCore

/// Draws detection rate against false-alarm rate over thresholds as an SVG line plot.
enum ROCPlot {
    static func svg(_ points: [ROCPoint], title: String) -> String {
        let width = 520.0, height = 420.0, left = 60.0, bottom = 50.0, top = 40.0, right = 20.0
        let plotW = width - left - right, plotH = height - top - bottom
        // False alarms are rare at useful thresholds: a log axis from 0.1% to 100% shows them.
        func x(_ rate: Double) -> Double { left + plotW * (log10(max(rate, 0.001)) + 3) / 3 }
        func y(_ rate: Double) -> Double { top + plotH * (1 - rate) }
        var svg = [#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="11">"#,
                   #"<rect width="100%" height="100%" fill="white"/>"#,
                   #"<text x="\#(width / 2)" y="20" text-anchor="middle" font-size="13">\#(title)</text>"#,
                   #"<rect x="\#(left)" y="\#(top)" width="\#(plotW)" height="\#(plotH)" fill="none" stroke="gray"/>"#,
                   #"<text x="\#(left + plotW / 2)" y="\#(height - 12)" text-anchor="middle">false-alarm rate on _silence_/_unknown_ clips (log)</text>"#,
                   #"<text x="14" y="\#(top + plotH / 2)" text-anchor="middle" transform="rotate(-90 14 \#(top + plotH / 2))">keyword detection rate</text>"#]
        for rate in [0.001, 0.01, 0.1, 1.0] {
            svg.append(#"<text x="\#(x(rate))" y="\#(top + plotH + 16)" text-anchor="middle">\#(rate * 100)%</text>"#)
        }
        for rate in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg.append(#"<text x="\#(left - 6)" y="\#(y(rate) + 4)" text-anchor="end">\#(Int(rate * 100))%</text>"#)
        }
        let path = points.map { String(cFormat: "%.1f,%.1f", x($0.falseAlarmRate), y($0.detectionRate)) }.joined(separator: " ")
        svg.append(#"<polyline points="\#(path)" fill="none" stroke="steelblue" stroke-width="2"/>"#)
        for point in points where Int((point.threshold * 100).rounded()) % 10 == 0 {
            svg.append(#"<circle cx="\#(x(point.falseAlarmRate))" cy="\#(y(point.detectionRate))" r="3" fill="steelblue"/>"#)
            svg.append(#"<text x="\#(x(point.falseAlarmRate) + 5)" y="\#(y(point.detectionRate) + 12)">\#(String(cFormat: "%.1f", point.threshold))</text>"#)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }
}
