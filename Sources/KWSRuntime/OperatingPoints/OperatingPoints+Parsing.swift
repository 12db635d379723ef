import FoundationEssentials

extension OperatingPoints {
    /// Parses and validates the `operating_points` JSON of the model file `file` whose labels are `labels`.
    /// - Throws: ``ModelError/malformedOperatingPoints(file:reason:)`` naming the first problem.
    public init(json: String, labels: [String], file: String) throws {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(json.utf8))
        } catch {
            throw ModelError.malformedOperatingPoints(file: file, reason: ModelMetadata.decodingReason(error))
        }
        func fail(_ reason: String) -> ModelError { .malformedOperatingPoints(file: file, reason: reason) }
        func required<Value>(_ value: Value?, _ key: String) throws -> Value {
            guard let value else { throw fail("key \"\(key)\" is missing") }
            return value
        }
        let version = try required(document.version, "version")
        guard version == Self.supportedVersion else {
            throw fail("version \(version) is not supported (this build reads version \(Self.supportedVersion))")
        }
        var keywords = [String: [OperatingPoint]]()
        for (keyword, rows) in try required(document.keywords, "keywords") {
            keywords[keyword] = try rows.enumerated().map { index, row in
                guard row.count == 3 else {
                    throw fail("keywords.\(keyword)[\(index)] has \(row.count) values; a row is [threshold, recall, false_alarms_per_hour]")
                }
                return OperatingPoint(threshold: Float(row[0]), recall: row[1], falseAlarmsPerHour: row[2])
            }
        }
        self.init(hopMilliseconds: try required(document.hop_ms, "hop_ms"),
                  smoothingMilliseconds: try required(document.smoothing_ms, "smoothing_ms"),
                  refractoryMilliseconds: try required(document.refractory_ms, "refractory_ms"),
                  negativeHours: try required(document.negative_hours, "negative_hours"),
                  positiveEvents: try required(document.positive_events, "positive_events"),
                  source: document.source ?? "", defaultFalseAlarmsPerHour: document.default_false_alarms_per_hour,
                  keywords: keywords)
        try validate(labels: labels, file: file)
    }

    /// Checks the table against Models/FORMAT.md and the model's `labels`, in this order: detector settings,
    /// hours and events, each keyword's rows (a keyword label of the model, non-empty, thresholds strictly
    /// increasing in (0, 1], recall in [0, 1], false alarms per hour finite and ≥ 0), every keyword label
    /// present, and a default budget the table reaches.
    /// - Throws: ``ModelError/malformedOperatingPoints(file:reason:)`` naming the first problem.
    public func validate(labels: [String], file: String) throws {
        func fail(_ reason: String) -> ModelError { .malformedOperatingPoints(file: file, reason: reason) }
        guard hopMilliseconds > 0 else { throw fail("hop_ms \(hopMilliseconds) must be > 0") }
        guard smoothingMilliseconds >= 0 else { throw fail("smoothing_ms \(smoothingMilliseconds) must be ≥ 0") }
        guard refractoryMilliseconds >= 0 else { throw fail("refractory_ms \(refractoryMilliseconds) must be ≥ 0") }
        guard negativeHours.isFinite, negativeHours > 0 else { throw fail("negative_hours \(negativeHours) must be a number > 0") }
        guard positiveEvents >= 0 else { throw fail("positive_events \(positiveEvents) must be ≥ 0") }
        let keywordLabels = labels.filter { !$0.hasPrefix("_") }
        for keyword in keywords.keys.sorted() {
            guard labels.contains(keyword) else {
                throw fail("keyword '\(keyword)' is not a label of the model (labels: \(labels.joined(separator: ", ")))")
            }
            guard keywordLabels.contains(keyword) else { throw fail("'\(keyword)' never fires, so it has no operating points") }
            let rows = keywords[keyword] ?? []
            guard !rows.isEmpty else { throw fail("keywords.\(keyword) is an empty list") }
            for (index, row) in rows.enumerated() {
                let at = "keywords.\(keyword)[\(index)]"
                guard row.threshold > 0, row.threshold <= 1 else { throw fail("\(at): threshold \(row.threshold) is outside (0, 1]") }
                guard index == 0 || row.threshold > rows[index - 1].threshold else {
                    throw fail("\(at): threshold \(row.threshold) does not increase (previous row: \(rows[index - 1].threshold))")
                }
                guard row.recall >= 0, row.recall <= 1 else { throw fail("\(at): recall \(row.recall) is outside [0, 1]") }
                guard row.falseAlarmsPerHour.isFinite, row.falseAlarmsPerHour >= 0 else {
                    throw fail("\(at): false alarms per hour \(row.falseAlarmsPerHour) must be a finite number ≥ 0")
                }
            }
        }
        if let missing = keywordLabels.first(where: { keywords[$0] == nil }) {
            throw fail("keyword '\(missing)' of the model has no rows (every keyword needs its own)")
        }
        if let budget = defaultFalseAlarmsPerHour {
            do {
                _ = try points(forFalseAlarmsPerHour: budget)
            } catch {
                throw fail("default_false_alarms_per_hour: \(error)")
            }
        }
    }

    /// The JSON layout, with every key optional so that a missing one gets its own message.
    private struct Document: Decodable {
        var version: Int?
        var hop_ms: Int?
        var smoothing_ms: Int?
        var refractory_ms: Int?
        var negative_hours: Double?
        var positive_events: Int?
        var source: String?
        var default_false_alarms_per_hour: Double?
        var keywords: [String: [[Double]]]?
    }
}
