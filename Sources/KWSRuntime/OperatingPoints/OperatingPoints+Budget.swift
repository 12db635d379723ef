extension OperatingPoints {
    /// The most false alarms per hour the table describes: the sum over keywords of each keyword's rate at
    /// its lowest threshold. A larger budget would need thresholds below the table.
    public var highestFalseAlarmsPerHour: Double {
        keywords.values.reduce(0) { $0 + ($1.first?.falseAlarmsPerHour ?? 0) }
    }

    /// The fewest false alarms per hour the table reaches with the even split of
    /// ``points(forFalseAlarmsPerHour:)``: the keyword count times the largest rate any keyword still has
    /// at its highest threshold.
    public var lowestFalseAlarmsPerHour: Double {
        Double(keywords.count) * (keywords.values.map { $0.last?.falseAlarmsPerHour ?? 0 }.max() ?? 0)
    }

    /// The row each keyword uses under a total budget of `total` false alarms per hour.
    ///
    /// The one rule for turning a budget into thresholds: the budget is split evenly, `total / K` for each
    /// of the K keywords, and a keyword's threshold is the smallest table threshold `t` such that every row
    /// with threshold ≥ `t` has at most `total / K` false alarms per hour. "Every row above", not "this
    /// row", because measured rates need not fall monotonically: a threshold whose neighbour above breaks
    /// the budget would be a lucky measurement, not a promise.
    /// - Throws: ``OperatingPointBudgetError`` when `total` is not a number > 0, exceeds
    ///   ``highestFalseAlarmsPerHour``, or is below what some keyword's highest row reaches.
    public func points(forFalseAlarmsPerHour total: Double) throws -> [String: OperatingPoint] {
        guard total.isFinite, total > 0 else { throw OperatingPointBudgetError.notPositive(total) }
        guard total <= highestFalseAlarmsPerHour else {
            throw OperatingPointBudgetError.aboveTable(total, highest: highestFalseAlarmsPerHour)
        }
        let share = total / Double(keywords.count)
        // The binding keyword (largest floor) is the one a person must know about.
        var binding: (keyword: String, floor: Double)?
        for keyword in keywords.keys.sorted() {
            let floor: Double = keywords[keyword]?.last?.falseAlarmsPerHour ?? .infinity
            if floor > share, floor > binding?.floor ?? -Double.infinity { binding = (keyword, floor) }
        }
        if let binding {
            throw OperatingPointBudgetError.belowReach(total, keyword: binding.keyword, lowest: lowestFalseAlarmsPerHour)
        }
        return keywords.mapValues { rows in
            // Rows after the last one over budget are all within it.
            let lastOver = rows.lastIndex { $0.falseAlarmsPerHour > share }
            return rows[lastOver.map { $0 + 1 } ?? 0]
        }
    }

    /// ``points(forFalseAlarmsPerHour:)`` reduced to the thresholds.
    public func thresholds(forFalseAlarmsPerHour total: Double) throws -> [String: Float] {
        try points(forFalseAlarmsPerHour: total).mapValues(\.threshold)
    }
}
