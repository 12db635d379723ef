import CKWSHeader

// Classifying one clip as a single 1 s window.

/// Classifies interleaved s16 PCM (see kws.h).
@_cdecl("kws_classify_s16")
public func kwsClassifyS16(_ spotter: OpaquePointer?, _ interleaved: UnsafePointer<Int16>?, _ count: Int,
                           _ sampleRate: Int32, _ channels: Int32, _ out: UnsafeMutablePointer<kws_classification>?) -> kws_status {
    reportingStatus {
        try classify(spotter, interleaved, count, sampleRate, channels, out, function: "kws_classify_s16", downmix: InterleavedPCM.downmix)
    }
}

/// Classifies interleaved float PCM (see kws.h).
@_cdecl("kws_classify_f32")
public func kwsClassifyF32(_ spotter: OpaquePointer?, _ interleaved: UnsafePointer<Float>?, _ count: Int,
                           _ sampleRate: Int32, _ channels: Int32, _ out: UnsafeMutablePointer<kws_classification>?) -> kws_status {
    reportingStatus {
        try classify(spotter, interleaved, count, sampleRate, channels, out, function: "kws_classify_f32", downmix: InterleavedPCM.downmix)
    }
}

private func classify<Sample>(_ spotter: OpaquePointer?, _ interleaved: UnsafePointer<Sample>?, _ count: Int,
                              _ sampleRate: Int32, _ channels: Int32, _ out: UnsafeMutablePointer<kws_classification>?,
                              function: String, downmix: (UnsafePointer<Sample>, Int, Int, inout [Float]) -> Void) throws {
    let handle = try SpotterHandle.borrowed(spotter, in: function)
    guard let out else { throw CAPIError.invalidArgument("\(function): out is NULL") }
    try InterleavedPCM.validate(sampleRate: sampleRate, channels: channels)
    _ = try InterleavedPCM.valueCount(frames: count, channels: channels)
    guard count > 0 else { throw CAPIError.invalidArgument("\(function): the clip is empty (count is 0)") }
    guard let interleaved else { throw CAPIError.invalidArgument("\(function): samples is NULL") }
    out.pointee = try handle.classify(sampleRate: Int(sampleRate)) { downmix(interleaved, count, Int(channels), &$0) }
}
