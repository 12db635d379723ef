import CKWSHeader
import FoundationEssentials
import KWS

// Creating and freeing spotters, and their labels.

/// Loads a model by name or path and makes a spotter (see kws.h).
@_cdecl("kws_spotter_create")
public func kwsSpotterCreate(_ model: UnsafePointer<CChar>?, _ options: UnsafePointer<kws_options>?,
                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kws_status {
    out?.pointee = nil
    return reportingStatus {
        guard let out else { throw CAPIError.invalidArgument("kws_spotter_create: out is NULL") }
        let name = model.map { String(cString: $0) } ?? ModelCatalog.defaultModelName
        guard !name.isEmpty else { throw CAPIError.invalidArgument("kws_spotter_create: model name is empty") }
        let extra = InstalledModelDirectory.url.map { [$0] } ?? []
        let loaded = try ModelCatalog.load(name, inserting: extra)
        let settings = try SpotterOptions(options?.pointee, labels: loaded.labels)
        out.pointee = try SpotterHandle(model: loaded, options: settings).retainedPointer()
    }
}

/// Frees a spotter; NULL is a no-op.
@_cdecl("kws_spotter_free")
public func kwsSpotterFree(_ spotter: OpaquePointer?) {
    guard let spotter else { return }
    SpotterHandle.release(spotter)
}

/// The model's label count, or `KWS_ERROR_INVALID_ARGUMENT` for NULL.
@_cdecl("kws_label_count")
public func kwsLabelCount(_ spotter: OpaquePointer?) -> Int32 {
    var count = KWS_ERROR_INVALID_ARGUMENT.rawValue
    _ = reportingStatus { count = Int32(try SpotterHandle.borrowed(spotter, in: "kws_label_count").labels.count) }
    return count
}

/// Label `index`, or NULL (with the error set) for a NULL spotter or an index out of range.
@_cdecl("kws_label")
public func kwsLabel(_ spotter: OpaquePointer?, _ index: Int32) -> UnsafePointer<CChar>? {
    var label: UnsafePointer<CChar>?
    _ = reportingStatus {
        let labels = try SpotterHandle.borrowed(spotter, in: "kws_label").labels
        guard let found = labels.cString(at: Int(index)) else {
            throw CAPIError.invalidArgument("kws_label: index \(index) is outside 0..<\(labels.count)")
        }
        label = found
    }
    return label
}

/// The threshold a keyword fires at, into `out`.
@_cdecl("kws_spotter_threshold")
public func kwsSpotterThreshold(_ spotter: OpaquePointer?, _ label: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<Float>?) -> kws_status {
    reportingStatus {
        let handle = try SpotterHandle.borrowed(spotter, in: "kws_spotter_threshold")
        guard let label else { throw CAPIError.invalidArgument("kws_spotter_threshold: label is NULL") }
        guard let out else { throw CAPIError.invalidArgument("kws_spotter_threshold: out is NULL") }
        let name = String(cString: label)
        guard let threshold = handle.thresholds[name] else {
            throw CAPIError.invalidArgument("kws_spotter_threshold: '\(name)' is not a keyword of the model (keywords: "
                + handle.labels.names.filter { !$0.hasPrefix("_") }.joined(separator: ", ") + ")")
        }
        out.pointee = threshold
    }
}
