import CKWSHeader
import Glibc

// kws_read_wav, through a real file as a C caller uses it: KWS_OK with a malloc'd buffer of finite samples,
// or an error status with a message; never a crash or a leak (run with ASan's leak checker).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let path = "/tmp/kws-fuzz-read-wav-\(getpid()).wav"
    guard let file = fopen(path, "wb") else { return 0 }
    _ = fwrite(data, 1, count, file)
    fclose(file)
    var samples: UnsafeMutablePointer<Float>?
    var frames = 0
    var rate: Int32 = 0
    let status = kws_read_wav(path, &samples, &frames, &rate)
    if status == KWS_OK {
        precondition(samples != nil && frames > 0 && rate >= KWS_MIN_SAMPLE_RATE)
        for i in 0..<frames { precondition(samples![i].isFinite) }
    } else {
        precondition(samples == nil && strlen(kws_last_error()) > 0)
    }
    kws_free_samples(samples)
    return 0
}
