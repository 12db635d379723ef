import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSCore
import KWSRuntime

extension EvalCommand {
    /// `kws eval --stream AUDIO`: streams AUDIO and the --negative files through the detector, scores them,
    /// and with --sweep or --plot replays the stored posteriors over the threshold grid.
    func runStream(_ path: String) throws {
        let model = try modelOptions.loadModel()
        let configuration = try detectorOptions.configuration(for: model)
        let engine = modelOptions.engineKind(for: model)
        let keywords = model.labels.filter { !$0.hasPrefix("_") }
        let spoken = try truth.map { try TruthFile.load(path: $0) } ?? []
        if let truth, let stranger = spoken.first(where: { !keywords.contains($0.label) }) {
            throw TruthFileError(file: truth, line: stranger.line,
                                 reason: "'\(stranger.label)' is not a keyword of \(model.name) (keywords: \(keywords.joined(separator: ", ")))")
        }
        let inputs = [(file: path, truth: spoken)] + negatives.map { (file: $0, truth: [KeywordEvent]()) }
        let sweeps = sweep || plot != nil
        var recordings = [StreamRecording]()
        try OrderedParallelMap.run(inputs, jobs: jobsOptions.count, makeWorker: {
            { input in
                var warnings = [String]()
                let recording = Result {
                    try StreamRecording(file: input.file, truth: input.truth, model: model, engine: engine, configuration: configuration,
                                        sweeps: sweeps) { warnings.append($0) }
                }
                return (warnings, recording)
            }
        }, consume: { _, read in
            Terminal.endProgress()
            read.0.forEach { Terminal.warn($0) }
            recordings.append(try read.1.get())
        })
        var total = StreamScore()
        recordings.forEach { total.add($0.score) }
        var sweepResult: OperatingPointSweep?
        if sweeps {
            var summed = try OperatingPointSweep(recordings: [], configuration: configuration)
            for case let recordingSweep? in recordings.map(\.sweep) { summed.add(recordingSweep) }
            sweepResult = summed
        }
        let report = StreamEvaluationReport(model: model.name, engine: engine.rawValue, configuration: configuration,
                                            thresholds: try configuration.keywordThresholds(for: model), keywords: keywords,
                                            truthFile: truth, recordings: recordings, total: total, sweep: sweep ? sweepResult : nil,
                                            events: events ? StreamEventList(recordings: recordings) : nil)
        // Files first: a reader that closes stdout early (| head) ends the process at the next print.
        if let plot, let sweepResult {
            try OutputFile.write(DETPlot.svg(sweepResult, keywords: keywords, chosen: report.thresholds, total: total,
                                             title: "\(model.name) (\(engine.rawValue)): DET on " + String(cFormat: "%.3g h", total.hours)),
                                 to: plot)
        }
        if json { Terminal.printLine(report.json()) } else { report.text().forEach { Terminal.printLine($0) } }
    }
}

/// One recording of `kws eval --stream`: streamed once through a spotter that keeps its posteriors, scored,
/// and swept over the threshold grid; the posteriors themselves are dropped once swept, so many recordings
/// (one per `--jobs` thread at a time) need memory for their scores, not for their posteriors.
struct StreamRecording: Sendable {
    let file: String
    let truth: [KeywordEvent]
    let detections: [Detection]
    let score: StreamScore
    /// This recording alone over ``OperatingPointSweep/defaultThresholds``, when asked for.
    let sweep: OperatingPointSweep?

    /// Reads `file` in chunks through a ``KeywordSpotter`` exactly as `kws stream` runs it, handing the
    /// reader's warnings to `warn` (the caller prints them in file order).
    init(file: String, truth: [KeywordEvent], model: TCResNetModel, engine: EngineKind, configuration: DetectorConfiguration,
         sweeps: Bool, warn: (String) -> Void) throws {
        var reader = try AudioFileStream(path: file)
        var spotter: KeywordSpotter?
        var detections = [Detection]()
        var chunks = 0
        var heard = 0
        while let samples = try reader.next() {
            heard += samples.count
            if spotter == nil, let rate = reader.sampleRate {
                spotter = try KeywordSpotter(model: model, engine: engine, configuration: configuration, inputSampleRate: rate)
                spotter?.recordsPosteriors = true
            }
            detections += spotter?.feed(samples) ?? []
            chunks += 1
            if chunks % 16 == 0 {
                Terminal.progress("\(file): " + String(cFormat: "%.0f%%", 100 * Double(reader.bytesRead) / Double(max(1, reader.byteCount))))
            }
        }
        reader.warnings.forEach(warn)
        guard let spotter, heard > 0 else { throw KWSError.noAudio(file) }
        detections += spotter.finish()
        self.file = file
        self.truth = truth
        self.detections = detections
        let track = spotter.posteriorTrack
        score = StreamScore(detections: detections, truth: truth, seconds: Double(track.audioSamples) / Double(KeywordSpotter.sampleRate))
        if sweeps {
            Terminal.progress("\(file): sweeping \(OperatingPointSweep.defaultThresholds.count) thresholds")
            sweep = try OperatingPointSweep(recordings: [(track, truth)], configuration: configuration)
        } else {
            sweep = nil
        }
    }
}
