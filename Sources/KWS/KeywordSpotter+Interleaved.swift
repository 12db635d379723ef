import KWSAudio

extension KeywordSpotter {
    /// Feeds interleaved frames of `channels` channels at ``inputSampleRate`` and returns the detections
    /// decided so far, oldest first: the channels of each frame are averaged to mono as every kws input path
    /// averages them (``InterleavedMix``: NaN and infinities count as 0), then the mono samples go through
    /// ``feed(_:)``. The channel count may change from one call to the next.
    ///
    /// ```swift
    /// let spotter = try KeywordSpotter(model: ModelCatalog.load("tc-resnet8-int8"), inputSampleRate: 48000)
    /// for chunk in soundCardChunks {        // [Float], L R L R …
    ///     for detection in try spotter.feed(interleaved: chunk, channels: 2) { print(detection.label) }
    /// }
    /// ```
    ///
    /// - Parameter interleaved: whole frames: a count that is a multiple of `channels` (a partial frame is a
    ///   programming error and stops the program).
    /// - Throws: ``KWSAudio/PCMError/invalidChannelCount(_:)`` unless 1 ≤ `channels` ≤ ``KWSAudio/WAVFormat/maximumChannels``.
    public func feed(interleaved: [Float], channels: Int) throws -> [Detection] {
        guard channels >= 1, channels <= WAVFormat.maximumChannels else { throw PCMError.invalidChannelCount(channels) }
        if channels == 1 { return feed(interleaved) }
        return feed(InterleavedMix.mono(interleaved[...], channels: channels))
    }
}
