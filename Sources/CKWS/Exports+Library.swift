import CKWSHeader

// Library-wide calls of kws.h: version, last error, default options.

/// The library version, matching `KWS_VERSION_STRING` of the header it was built with.
@_cdecl("kws_version")
public func kwsVersion() -> UnsafePointer<CChar>? {
    UnsafeRawPointer(("0.3.0" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
}

/// This thread's last error message (never NULL).
@_cdecl("kws_last_error")
public func kwsLastError() -> UnsafePointer<CChar>? {
    LastError.current
}

/// The command line's defaults.
@_cdecl("kws_default_options")
public func kwsDefaultOptions() -> kws_options {
    SpotterOptions.defaults
}
