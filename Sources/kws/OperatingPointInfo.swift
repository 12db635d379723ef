import FoundationEssentials
import Glibc
import KWSCore
import KWSRuntime

/// What `kws info` shows of a model's operating points: for a few total false-alarm budgets, the
/// threshold, recall and own false-alarm rate each keyword gets (the rule of
/// ``OperatingPoints/points(forFalseAlarmsPerHour:)``, so what is shown is what a detector would use).
enum OperatingPointInfo {
    /// Total false alarms per hour shown, besides the table's default.
    static let budgets: [Double] = [0.1, 0.5, 1, 2, 5]

    /// The budgets shown for `table`, increasing, with whether each is the default.
    static func shownBudgets(_ table: OperatingPoints) -> [(budget: Double, isDefault: Bool)] {
        var all = Set(budgets)
        if let budget = table.defaultFalseAlarmsPerHour { all.insert(budget) }
        return all.sorted().map { ($0, $0 == table.defaultFalseAlarmsPerHour) }
    }

    static func lines(_ table: OperatingPoints, labels: [String]) -> [String] {
        let keywords = labels.filter { table.keywords[$0] != nil }
        let budgets = shownBudgets(table)
        var lines = [
            "operating points  measured on " + String(cFormat: "%g", table.negativeHours) + " h of audio and \(table.positiveEvents) keyword events "
                + "(hop \(table.hopMilliseconds) ms, smoothing \(table.smoothingMilliseconds) ms, refractory \(table.refractoryMilliseconds) ms)"
                + (table.source.isEmpty ? "" : "; \(table.source)"),
            "                  --false-alarms-per-hour X for X in " + String(cFormat: "%g…%g", table.lowestFalseAlarmsPerHour, table.highestFalseAlarmsPerHour)
                + " (all keywords together); default: "
                + (table.defaultFalseAlarmsPerHour.map { String(cFormat: "%g", $0) + "/h" } ?? "none (threshold 0.7)"),
            "  threshold, recall and own false alarms per hour of each keyword at a total budget of:",
        ]
        let width = 18
        func pad(_ text: String, _ count: Int) -> String { text.padding(toLength: max(count, text.count), withPad: " ", startingAt: 0) }
        lines.append(("  " + pad("", 8) + budgets.map { pad(String(cFormat: "%g/h", $0.budget) + ($0.isDefault ? " default" : ""), width) }.joined())
            .trimmingTrailingSpaces)
        let chosen = budgets.map { try? table.points(forFalseAlarmsPerHour: $0.budget) }
        for keyword in keywords {
            let cells = chosen.map { points -> String in
                guard let point = points?[keyword] else { return pad("–", width) }
                return pad(threshold(point.threshold) + " " + String(cFormat: "%.0f%% %.2g", point.recall * 100, point.falseAlarmsPerHour), width)
            }
            lines.append(("  " + pad(keyword, 8) + cells.joined()).trimmingTrailingSpaces)
        }
        let totals = chosen.map { points -> String in
            guard let points else { return pad("not reachable", width) }
            return pad(String(cFormat: "%.2g/h", points.values.reduce(0) { $0 + $1.falseAlarmsPerHour }), width)
        }
        lines.append(("  " + pad("total", 8) + totals.joined()).trimmingTrailingSpaces)
        return lines
    }

    /// The `operating_points` object of `kws info --json`: the table, and what each shown budget chooses.
    static func json(_ table: OperatingPoints, labels: [String]) -> String {
        let budgets = shownBudgets(table).map { entry -> String in
            var fields = [("false_alarms_per_hour", JSONText.number(entry.budget, digits: 6)), ("default", entry.isDefault ? "true" : "false")]
            do {
                let points = try table.points(forFalseAlarmsPerHour: entry.budget)
                fields.append(("keywords", JSONText.object(labels.compactMap { label in
                    points[label].map { point in
                        (label, JSONText.object([("threshold", point.threshold.description), ("recall", JSONText.number(point.recall, digits: 6)),
                                                 ("false_alarms_per_hour", JSONText.number(point.falseAlarmsPerHour, digits: 6))]))
                    }
                })))
            } catch {
                fields.append(("error", JSONText.string("\(error)")))
            }
            return JSONText.object(fields)
        }
        return JSONText.object([("table", table.jsonText(keywordOrder: labels)), ("budgets", "[" + budgets.joined(separator: ",") + "]")])
    }

    /// A threshold in as few decimals as it needs (0.9, 0.995).
    static func threshold(_ value: Float) -> String {
        var text = String(cFormat: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text.hasSuffix(".") ? text + "0" : text
    }
}

extension String {
    /// The string without the spaces a padded last column leaves.
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
