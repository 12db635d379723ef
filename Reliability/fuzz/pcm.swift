import KWSAudio

// The raw PCM decoder (kws stream without a WAV header): byte 0 picks the format, byte 1 the channel count,
// byte 2 the chunk size; chunked decoding must equal decoding the whole.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count >= 3 else { return 0 }
    let format = PCMFormat.allCases[Int(data[0]) % PCMFormat.allCases.count]
    let channels = Int(data[1] % 9)  // 0 (refused) … 8
    let chunk = Int(data[2]) + 1
    let bytes = Array(UnsafeBufferPointer(start: data + 3, count: count - 3))
    guard var chunked = try? PCMDecoder(format: format, channels: channels),
          var whole = try? PCMDecoder(format: format, channels: channels) else { return 0 }
    var samples = [Float]()
    for start in stride(from: 0, to: bytes.count, by: chunk) { samples += chunked.decode(Array(bytes[start..<min(bytes.count, start + chunk)])) }
    let expected = whole.decode(bytes)
    precondition(samples.elementsEqual(expected) { $0.bitPattern == $1.bitPattern }, "chunking changed the samples")
    precondition(samples.allSatisfy(\.isFinite))
    return 0
}
