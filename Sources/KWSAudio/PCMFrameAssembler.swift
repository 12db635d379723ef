/// Turns a byte stream cut at arbitrary points into mono samples, holding back an incomplete frame
/// until the rest of it arrives. Shared by ``PCMDecoder`` and ``WAVStreamDecoder`` so chunked input
/// decodes exactly like the whole buffer would.
struct PCMFrameAssembler {
    let encoding: SampleEncoding
    let channels: Int
    /// Bytes per interleaved frame.
    let frameSize: Int
    /// Leading bytes of a frame whose remaining bytes have not arrived yet (always < `frameSize`).
    private(set) var pending: [UInt8] = []

    init(encoding: SampleEncoding, channels: Int) {
        self.encoding = encoding
        self.channels = channels
        self.frameSize = encoding.bytesPerSample * channels
        pending.reserveCapacity(frameSize)
    }

    /// Mono samples for every frame completed by `bytes`; a trailing partial frame is kept.
    mutating func decode(_ bytes: ArraySlice<UInt8>) -> [Float] {
        var rest = bytes
        var completed: [Float] = []
        if !pending.isEmpty {
            let take = min(frameSize - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            guard pending.count == frameSize else { return [] }
            completed = encoding.monoSamples(fromInterleaved: pending[...], channels: channels)
            pending.removeAll(keepingCapacity: true)
        }
        let wholeBytes = rest.count - rest.count % frameSize
        let body = encoding.monoSamples(fromInterleaved: rest.prefix(wholeBytes), channels: channels)
        pending.append(contentsOf: rest.dropFirst(wholeBytes))
        if completed.isEmpty { return body }
        completed.append(contentsOf: body)
        return completed
    }
}
