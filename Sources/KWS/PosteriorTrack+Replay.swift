import KWSRuntime

extension PosteriorTrack {
    /// What the streaming detector decides on these posteriors under `configuration`: for a track of a
    /// finished stream, exactly the detections ``KeywordSpotter/feed(_:)`` and ``KeywordSpotter/finish()``
    /// returned when that configuration was the spotter's (the same ``Detector`` runs on the same values).
    /// - Throws: ``KWSError/invalidConfiguration(_:)`` for a configuration the spotter would refuse, or one
    ///   whose hop differs from the track's (the windows were evaluated at that hop).
    public func detections(configuration: DetectorConfiguration, operatingPoints: OperatingPoints? = nil) throws -> [Detection] {
        guard configuration.hopMilliseconds == hopMilliseconds else {
            throw KWSError.invalidConfiguration("hop \(configuration.hopMilliseconds) ms: the posteriors were recorded every \(hopMilliseconds) ms")
        }
        var detector = try Detector(labels: labels, configuration: configuration, operatingPoints: operatingPoints,
                                    sampleRate: KeywordSpotter.sampleRate, windowSamples: windowSamples)
        var found = [Detection]()
        for index in windowStarts.indices {
            if let detection = detector.observe(posteriors: Array(posteriors(at: index)), windowStart: windowStarts[index]) {
                found.append(detection)
            }
        }
        if let last = detector.finish() { found.append(last) }
        // Only detections decided after the real audio can reach past it, as in KeywordSpotter.finish().
        return found.map { $0.fitted(toStreamEnd: audioSamples) }
    }
}
