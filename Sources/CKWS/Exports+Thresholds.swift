import CKWSHeader

// Changing a spotter's thresholds between streams: per keyword, or from a false-alarm budget.

/// Sets one keyword's threshold, or every keyword's for a NULL label (see kws.h).
@_cdecl("kws_spotter_set_threshold")
public func kwsSpotterSetThreshold(_ spotter: OpaquePointer?, _ label: UnsafePointer<CChar>?, _ threshold: Float) -> kws_status {
    reportingStatus {
        try SpotterHandle.borrowed(spotter, in: "kws_spotter_set_threshold").setThreshold(threshold, for: label.map { String(cString: $0) })
    }
}

/// Chooses every keyword's threshold from a false-alarm budget (see kws.h).
@_cdecl("kws_spotter_set_false_alarms_per_hour")
public func kwsSpotterSetFalseAlarmsPerHour(_ spotter: OpaquePointer?, _ budget: Float) -> kws_status {
    reportingStatus {
        try SpotterHandle.borrowed(spotter, in: "kws_spotter_set_false_alarms_per_hour").setFalseAlarmsPerHour(budget)
    }
}
