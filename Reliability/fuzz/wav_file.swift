import KWSAudio

// The whole-file WAV decoder (WAVDecoder, used by kws_read_wav, features and eval): any bytes give samples
// or a WAVError, never a crash, a hang or a huge allocation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    if let audio = try? WAVDecoder.decode(bytes, name: "fuzz.wav") {
        precondition(InputAudio.supportedSampleRates.contains(audio.sampleRate))
        precondition(audio.samples.allSatisfy(\.isFinite))
    }
    return 0
}
