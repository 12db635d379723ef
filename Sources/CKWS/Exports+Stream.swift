import CKWSHeader

// Streaming detection: feed, finish, reset, and the two ways detections come out.

/// Feeds interleaved s16 PCM (see kws.h).
@_cdecl("kws_feed_s16")
public func kwsFeedS16(_ spotter: OpaquePointer?, _ interleaved: UnsafePointer<Int16>?, _ frames: Int,
                       _ sampleRate: Int32, _ channels: Int32) -> kws_status {
    reportingStatus { try feed(spotter, interleaved, frames, sampleRate, channels, function: "kws_feed_s16", downmix: InterleavedPCM.downmix) }
}

/// Feeds interleaved float PCM (see kws.h).
@_cdecl("kws_feed_f32")
public func kwsFeedF32(_ spotter: OpaquePointer?, _ interleaved: UnsafePointer<Float>?, _ frames: Int,
                       _ sampleRate: Int32, _ channels: Int32) -> kws_status {
    reportingStatus { try feed(spotter, interleaved, frames, sampleRate, channels, function: "kws_feed_f32", downmix: InterleavedPCM.downmix) }
}

/// Ends the stream and decides its last detection.
@_cdecl("kws_finish")
public func kwsFinish(_ spotter: OpaquePointer?) -> kws_status {
    reportingStatus { try SpotterHandle.borrowed(spotter, in: "kws_finish").finish() }
}

/// Frames fed in the current stream, or in the one kws_finish ended (see kws.h).
@_cdecl("kws_stream_samples")
public func kwsStreamSamples(_ spotter: OpaquePointer?, _ out: UnsafeMutablePointer<Int64>?) -> kws_status {
    reportingStatus {
        let handle = try SpotterHandle.borrowed(spotter, in: "kws_stream_samples")
        guard let out else { throw CAPIError.invalidArgument("kws_stream_samples: out is NULL") }
        out.pointee = Int64(try handle.streamSamples())
    }
}

/// Forgets the stream and the queued detections.
@_cdecl("kws_reset")
public func kwsReset(_ spotter: OpaquePointer?) -> kws_status {
    reportingStatus { try SpotterHandle.borrowed(spotter, in: "kws_reset").reset() }
}

/// Sets or removes the detection callback.
@_cdecl("kws_set_detection_callback")
public func kwsSetDetectionCallback(_ spotter: OpaquePointer?, _ callback: kws_detection_callback?,
                                    _ userData: UnsafeMutableRawPointer?) -> kws_status {
    reportingStatus {
        try SpotterHandle.borrowed(spotter, in: "kws_set_detection_callback").setCallback(callback, userData: userData)
    }
}

/// Takes the oldest queued detection: `KWS_OK`, or `KWS_NO_DETECTION` when none is waiting.
@_cdecl("kws_next_detection")
public func kwsNextDetection(_ spotter: OpaquePointer?, _ out: UnsafeMutablePointer<kws_detection>?) -> kws_status {
    var available = false
    let status = reportingStatus {
        let handle = try SpotterHandle.borrowed(spotter, in: "kws_next_detection")
        guard let out else { throw CAPIError.invalidArgument("kws_next_detection: out is NULL") }
        if let detection = try handle.nextDetection() {
            out.pointee = detection
            available = true
        }
    }
    return status == KWS_OK && !available ? KWS_NO_DETECTION : status
}

/// The checks and the mono mix shared by both sample types.
private func feed<Sample>(_ spotter: OpaquePointer?, _ interleaved: UnsafePointer<Sample>?, _ frames: Int,
                          _ sampleRate: Int32, _ channels: Int32, function: String,
                          downmix: (UnsafePointer<Sample>, Int, Int, inout [Float]) -> Void) throws {
    let handle = try SpotterHandle.borrowed(spotter, in: function)
    try InterleavedPCM.validate(sampleRate: sampleRate, channels: channels)
    _ = try InterleavedPCM.valueCount(frames: frames, channels: channels)
    guard frames > 0 else { return }
    guard let interleaved else { throw CAPIError.invalidArgument("\(function): samples is NULL but frames is \(frames)") }
    try handle.feed(sampleRate: Int(sampleRate)) { downmix(interleaved, frames, Int(channels), &$0) }
}
