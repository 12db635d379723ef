import CKWSHeader

// Input health: what the spotter heard wrong in the audio it was fed.

/// The bit set of the input warnings of the current (or just finished) stream (see kws.h).
@_cdecl("kws_input_warnings")
public func kwsInputWarnings(_ spotter: OpaquePointer?, _ warnings: UnsafeMutablePointer<UInt32>?) -> kws_status {
    reportingStatus {
        let handle = try SpotterHandle.borrowed(spotter, in: "kws_input_warnings")
        guard let warnings else { throw CAPIError.invalidArgument("kws_input_warnings: warnings is NULL") }
        warnings.pointee = try handle.inputWarningMask()
    }
}

/// The message of one raised input warning, or NULL when it was not raised (see kws.h).
@_cdecl("kws_input_warning_message")
public func kwsInputWarningMessage(_ spotter: OpaquePointer?, _ warning: kws_input_warning,
                                   _ message: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> kws_status {
    message?.pointee = nil
    return reportingStatus {
        let handle = try SpotterHandle.borrowed(spotter, in: "kws_input_warning_message")
        guard let message else { throw CAPIError.invalidArgument("kws_input_warning_message: message is NULL") }
        guard let kind = InputWarningFlag.kind(warning.rawValue) else {
            throw CAPIError.invalidArgument("kws_input_warning_message: \(warning.rawValue) is not one kws_input_warning value")
        }
        message.pointee = try handle.inputWarningMessage(kind)
    }
}
