import CKWSHeader

/// Runs the body of an exported function: a thrown error becomes its status and this thread's
/// `kws_last_error()` message, so no Swift error ever crosses into C.
func reportingStatus(_ body: () throws -> Void) -> kws_status {
    do {
        try body()
        return KWS_OK
    } catch {
        let failure = CAPIError(error)
        LastError.set(failure.message)
        return failure.status
    }
}
