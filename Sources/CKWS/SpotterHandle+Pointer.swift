/// The `kws_spotter *` a C caller holds is a retained `SpotterHandle`; these are the only conversions.
extension SpotterHandle {
    /// Hands a +1 reference to C; `kws_spotter_free` releases it.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    /// The handle behind a pointer from C (not retained: the caller keeps it alive until `kws_spotter_free`).
    /// - Throws: `KWS_ERROR_INVALID_ARGUMENT` for NULL, naming the function.
    static func borrowed(_ pointer: OpaquePointer?, in function: String) throws -> SpotterHandle {
        guard let pointer else { throw CAPIError.invalidArgument("\(function): spotter is NULL") }
        return Unmanaged<SpotterHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// Releases the reference `retainedPointer()` gave out.
    static func release(_ pointer: OpaquePointer) {
        Unmanaged<SpotterHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
    }
}
