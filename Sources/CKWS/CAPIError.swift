import CKWSHeader
import KWS
import KWSAudio
import KWSRuntime

/// A failed C API call: the status it returns and the one-line message `kws_last_error()` then gives.
struct CAPIError: Error, CustomStringConvertible {
    let status: kws_status
    let message: String

    var description: String { message }

    init(status: kws_status, message: String) {
        self.status = status
        self.message = message
    }

    static func invalidArgument(_ message: String) -> CAPIError { CAPIError(status: KWS_ERROR_INVALID_ARGUMENT, message: message) }
    static func state(_ message: String) -> CAPIError { CAPIError(status: KWS_ERROR_STATE, message: message) }
    static func busy(_ function: String) -> CAPIError {
        CAPIError(status: KWS_ERROR_BUSY, message: "\(function): another thread is inside a call on this spotter; "
            + "a spotter is for one thread at a time (serialize the calls or make one spotter per thread)")
    }
    static func audio(_ message: String) -> CAPIError { CAPIError(status: KWS_ERROR_AUDIO, message: message) }
    static func outOfMemory(bytes: Int) -> CAPIError {
        CAPIError(status: KWS_ERROR_OUT_OF_MEMORY, message: "could not allocate \(bytes) bytes")
    }

    /// Sorts an error thrown by the Swift layers into the status a C caller can act on.
    init(_ error: any Error) {
        switch error {
        case let error as CAPIError:
            self = error
        case let error as KWSError:
            switch error {
            case .invalidConfiguration, .unsupportedSampleRate: self.init(status: KWS_ERROR_INVALID_ARGUMENT, message: "\(error)")
            case .modelNotFound, .unusableLabels: self.init(status: KWS_ERROR_MODEL, message: "\(error)")
            case .noAudio: self.init(status: KWS_ERROR_AUDIO, message: "\(error)")
            }
        case let error as ModelError:
            self.init(status: KWS_ERROR_MODEL, message: "\(error)")
        case let error as WAVError:
            if case .unreadableFile = error {
                self.init(status: KWS_ERROR_IO, message: "\(error)")
            } else {
                self.init(status: KWS_ERROR_AUDIO, message: "\(error)")
            }
        case let error as ResamplerError:
            self.init(status: KWS_ERROR_INVALID_ARGUMENT, message: "\(error)")
        default:
            self.init(status: KWS_ERROR_INTERNAL, message: "\(error)")
        }
    }
}
