import FoundationEssentials

extension OperatingPoints {
    /// The table as the `operating_points` JSON of Models/FORMAT.md, keys in the documented order and
    /// keywords in `keywordOrder` (then any others, sorted). Numbers are written in their shortest exact
    /// form, so parsing the text gives this value back.
    public func jsonText(keywordOrder: [String] = []) -> String {
        var fields = [("version", String(Self.supportedVersion)), ("hop_ms", String(hopMilliseconds)),
                      ("smoothing_ms", String(smoothingMilliseconds)), ("refractory_ms", String(refractoryMilliseconds)),
                      ("negative_hours", negativeHours.description), ("positive_events", String(positiveEvents)),
                      ("source", Self.jsonString(source))]
        if let budget = defaultFalseAlarmsPerHour { fields.append(("default_false_alarms_per_hour", budget.description)) }
        fields.append(("keywords", Self.keywordsJSONText(keywords, order: keywordOrder)))
        return "{" + fields.map { "\(Self.jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// `{"yes":[[t,recall,fa],...],...}`: the `keywords` object alone (what `kws eval --stream --sweep` prints).
    public static func keywordsJSONText(_ keywords: [String: [OperatingPoint]], order: [String] = []) -> String {
        let names = order.filter { keywords[$0] != nil } + keywords.keys.filter { !order.contains($0) }.sorted()
        let entries = names.map { name in
            let rows = (keywords[name] ?? []).map { "[\($0.threshold.description),\($0.recall.description),\($0.falseAlarmsPerHour.description)]" }
            return jsonString(name) + ":[" + rows.joined(separator: ",") + "]"
        }
        return "{" + entries.joined(separator: ",") + "}"
    }

    static func jsonString(_ text: String) -> String {
        // A single string always encodes.
        (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
