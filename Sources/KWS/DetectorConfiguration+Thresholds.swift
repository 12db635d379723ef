import FoundationEssentials
import KWSCore
import KWSRuntime

extension DetectorConfiguration {
    /// The threshold each keyword of `model` fires at under this configuration (see
    /// ``keywordThresholds(labels:operatingPoints:)``).
    public func keywordThresholds(for model: TCResNetModel) throws -> [String: Float] {
        try keywordThresholds(labels: model.labels, operatingPoints: model.operatingPoints)
    }

    /// The threshold of every keyword among `labels` (labels starting with `_` never fire and are left out).
    ///
    /// Per keyword, the first that applies: its entry in ``thresholds``; ``threshold``; the operating point of
    /// ``falseAlarmsPerHour``; the operating point of the table's `default_false_alarms_per_hour`;
    /// ``defaultThreshold``. A budget that is set is always checked, even where explicit thresholds leave it
    /// nothing to decide, so a mistake is never silent.
    /// - Throws: ``KWSError/invalidConfiguration(_:)`` for a value out of range (``validate(labels:)``), a
    ///   budget without `operatingPoints`, or a budget outside what they describe.
    public func keywordThresholds(labels: [String], operatingPoints: OperatingPoints?) throws -> [String: Float] {
        try validate(labels: labels)
        var fromTable = [String: Float]()
        if let falseAlarmsPerHour {
            guard let operatingPoints else {
                throw KWSError.invalidConfiguration("false alarms per hour \(String(cFormat: "%g", falseAlarmsPerHour)): the model has no operating points "
                    + "(metadata \"operating_points\"), so only thresholds can be set; measure them with kws eval --stream --sweep")
            }
            do {
                fromTable = try operatingPoints.thresholds(forFalseAlarmsPerHour: falseAlarmsPerHour)
            } catch {
                throw KWSError.invalidConfiguration("\(error)")
            }
        } else if threshold == nil, let operatingPoints, let budget = operatingPoints.defaultFalseAlarmsPerHour {
            // Validated when the model loaded, so this cannot fail for a loaded model.
            fromTable = (try? operatingPoints.thresholds(forFalseAlarmsPerHour: budget)) ?? [:]
        }
        var chosen = [String: Float]()
        for label in labels where !label.hasPrefix("_") {
            chosen[label] = thresholds[label] ?? threshold ?? fromTable[label] ?? Self.defaultThreshold
        }
        return chosen
    }
}
