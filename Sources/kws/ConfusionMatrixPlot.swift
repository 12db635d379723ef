import FoundationEssentials
import Glibc
import KWS

/// Draws a confusion matrix as a self-contained SVG heat map (row-normalised shading, counts in cells).
enum ConfusionMatrixPlot {
    static func svg(_ evaluation: Evaluation, title: String) -> String {
        let n = evaluation.labels.count
        let cell = 44, margin = 90, top = 60
        let size = margin + n * cell + 20
        var svg = [#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(size)" height="\#(size + top - 40)" font-family="sans-serif" font-size="11">"#,
                   #"<rect width="100%" height="100%" fill="white"/>"#,
                   #"<text x="\#(size / 2)" y="20" text-anchor="middle" font-size="14">\#(escape(title))</text>"#,
                   #"<text x="\#(margin + n * cell / 2)" y="\#(top - 22)" text-anchor="middle">predicted</text>"#]
        for (i, label) in evaluation.labels.enumerated() {
            let x = margin + i * cell + cell / 2
            svg.append(#"<text x="\#(x)" y="\#(top - 6)" text-anchor="middle">\#(escape(label))</text>"#)
            svg.append(#"<text x="\#(margin - 6)" y="\#(top + i * cell + cell / 2 + 4)" text-anchor="end">\#(escape(label))</text>"#)
        }
        for (row, counts) in evaluation.confusion.enumerated() {
            let total = max(1, counts.reduce(0, +))
            for (column, count) in counts.enumerated() {
                let share = Double(count) / Double(total)
                let shade = Int(255 - share * 200)
                let fill = row == column ? "rgb(\(shade),\(shade),255)" : "rgb(255,\(shade),\(shade))"
                let x = margin + column * cell, y = top + row * cell
                svg.append(#"<rect x="\#(x)" y="\#(y)" width="\#(cell)" height="\#(cell)" fill="\#(fill)" stroke="silver"/>"#)
                if count > 0 {
                    svg.append(#"<text x="\#(x + cell / 2)" y="\#(y + cell / 2 + 4)" text-anchor="middle">\#(count)</text>"#)
                }
            }
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
