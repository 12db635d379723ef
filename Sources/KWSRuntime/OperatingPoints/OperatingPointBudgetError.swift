import FoundationEssentials
import KWSCore

/// Why a false-alarm budget cannot be turned into thresholds with a model's ``OperatingPoints``.
public enum OperatingPointBudgetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// NaN, infinite, zero or negative.
    case notPositive(Double)
    /// More false alarms than the table's lowest thresholds give.
    case aboveTable(Double, highest: Double)
    /// Fewer false alarms than `keyword`'s highest threshold gives; `lowest` is the smallest total the table reaches.
    case belowReach(Double, keyword: String, lowest: Double)

    public var description: String {
        switch self {
        case let .notPositive(total):
            return "false alarms per hour \(Self.format(total)): use a number > 0 (the total over all keywords)"
        case let .aboveTable(total, highest):
            return "false alarms per hour \(Self.format(total)) is outside the table: 0 < X ≤ \(Self.format(highest))"
        case let .belowReach(total, keyword, lowest):
            return "false alarms per hour \(Self.format(total)) is below what the table reaches for '\(keyword)' "
                + "(lowest: \(Self.format(lowest))/h in total)"
        }
    }

    private static func format(_ value: Double) -> String {
        value.isFinite ? String(cFormat: "%g", value) : "\(value)"
    }
}
