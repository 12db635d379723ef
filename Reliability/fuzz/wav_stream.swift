import KWSAudio

// The WAV stream decoder (kws stream, AudioFileStream): the first byte picks a chunk size, the rest is fed in
// chunks of it; the samples must equal the whole-file decode whenever that succeeds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let chunk = Int(data[0]) + 1
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    var decoder = WAVStreamDecoder(name: "fuzz")
    var samples = [Float]()
    var failed = false
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + chunk)
        do { samples += try decoder.feed(Array(bytes[start..<end])) } catch { failed = true; break }
        start = end
    }
    _ = decoder.finish()
    if !failed, let whole = try? WAVDecoder.decode(bytes, name: "fuzz") {
        precondition(samples.elementsEqual(whole.samples) { $0.bitPattern == $1.bitPattern }, "stream and file decodes differ")
    }
    return 0
}
