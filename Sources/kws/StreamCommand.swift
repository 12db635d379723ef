import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSAudio

struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Detect keywords in audio read from stdin until EOF.",
        discussion: """
        Reads raw PCM (default s16le, 16 kHz, mono) or a WAV stream (recognised by its RIFF header; the data \
        size may be unknown) and prints each detection as soon as it is decided, one flushed line each. \
        Times are seconds from the first sample. At EOF the tail is flushed and the status is 0. On SIGINT or \
        SIGTERM the stream ends as at EOF (the detection pending is decided and printed), then the status is \
        130 or 143. With --flush-after-ms N, a detection still pending when no input has arrived for N ms is \
        decided and printed then, rather than when more audio comes. Output that cannot be written (a full \
        disk) is one line on stderr and status 74; a reader that leaves early (| head) ends kws quietly. \
        Thresholds are chosen as for `kws detect`; a detector setting that cannot work exits with status 64. \
        --json prints one "type":"detection" object per line (README "JSON Lines").

        Input health: raw input read with the defaults is announced on stderr (`stdin has no WAV header; \
        reading raw s16le mono 16000 Hz`), and audio that does not fit its declared format gets one warning \
        per kind, with its numbers, within seconds: a rate higher or lower than declared (48 or 8 kHz read as \
        16 kHz), interleaved stereo read as mono, floats read as integers and the reverse, long digital \
        silence, clipping, DC offset. -q silences them; under --json they are "type":"warning" lines.

        Examples:
          arecord -f S16_LE -r 16000 -c 1 -t raw | kws stream
          sox input.flac -t raw -e float -b 32 -r 48000 -c 2 - | kws stream --format f32le --rate 48000 --channels 2
          cat Samples/sequence.wav | kws stream --json
          arecord -f S16_LE -r 16000 -c 1 -t raw | kws stream --false-alarms-per-hour 0.2
          arecord -f S16_LE -r 16000 -c 1 -t raw | kws stream -m tc-resnet8-int8 -t 0.8 --flush-after-ms 300
        """
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var detectorOptions: DetectorOptions

    @OptionGroup var outputOptions: OutputOptions

    @Flag(name: .long, help: "Print JSON Lines instead of text (type detection, with its threshold and windows_above). (default: off)")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Raw sample format: \(PCMFormat.allCases.map(\.rawValue).joined(separator: ", ")) (a WAV header overrides it). (default: s16le)", valueName: "format"))
    var format: String?

    @Option(name: .long, help: "Raw sample rate in Hz (resampled to 16000). (default: 16000)")
    var rate: Int?

    @Option(name: .long, help: "Raw channel count (averaged to mono). (default: 1)")
    var channels: Int?

    @Flag(name: .long, help: "At the end (EOF or a signal), print on stderr the samples read and fed to the detector, their duration and the detections printed (a \"type\":\"summary\" line under --json). (default: off)")
    var summary = false

    @Option(name: .customLong("flush-after-ms"), help: ArgumentHelp("When no input arrives for this long, decide and print the detection pending (for live audio that pauses). (default: none: only more audio or EOF decides it)", valueName: "ms"))
    var flushAfterMilliseconds: Int?

    /// The raw format the options declare, defaults filled in.
    private var rawFormat: RawStdinFormat {
        RawStdinFormat(format: format.flatMap(PCMFormat.init(rawValue:)) ?? .s16le, rate: rate ?? 16000, channels: channels ?? 1,
                       isAssumed: format == nil && rate == nil && channels == nil)
    }

    func validate() throws {
        if let format, PCMFormat(rawValue: format) == nil {
            throw ValidationError(NameSuggestion.unknown("--format", format, choices: PCMFormat.allCases.map(\.rawValue)))
        }
        if let rate, !InputAudio.supportedSampleRates.contains(rate) {
            throw ValidationError("--rate \(rate): use \(InputAudio.minimumSampleRate)…\(InputAudio.maximumSampleRate) Hz")
        }
        if let channels, !(1...1024).contains(channels) { throw ValidationError("--channels \(channels): use 1…1024") }
        if let flushAfterMilliseconds, !(1...86_400_000).contains(flushAfterMilliseconds) {
            throw ValidationError("--flush-after-ms \(flushAfterMilliseconds): use 1…86400000")
        }
    }

    func run() throws {
        Terminal.setUp()
        let model = try modelOptions.loadModel()
        let configuration = try detectorOptions.configuration(for: model)
        let output = DetectionOutput(json: json)
        let raw = rawFormat
        var input = StdinAudioSource(rawFormat: raw.format, rate: raw.rate, channels: raw.channels)
        var spotter: KeywordSpotter?
        var health = StdinHealthReport(raw: raw)
        var heard = 0
        var printed = 0
        var paused = false
        func emit(_ detections: [Detection]) {
            for detection in detections { output.detection(detection, file: nil) }
            printed += detections.count
        }
        func reportSummary() {
            guard summary else { return }
            let fed = spotter?.samplesFed ?? 0
            let rate = input.sampleRate ?? raw.rate
            let seconds = Double(fed) / Double(rate)
            Terminal.summary("stream: \(heard) samples read, \(fed) fed to the detector (" + String(cFormat: "%.3f", seconds)
                             + " s at \(rate) Hz), \(printed) detection\(printed == 1 ? "" : "s")",
                             fields: [("samples_read", String(heard)), ("samples_fed", String(fed)),
                                      ("sample_rate", String(rate)), ("seconds", JSONText.number(seconds, digits: 3)),
                                      ("detections", String(printed))])
        }
        StdinWait.catchInterrupts()
        reading: while true {
            switch StdinWait.next(timeoutMilliseconds: paused ? nil : flushAfterMilliseconds) {
            case .signal(let signal):
                // Ended by the user: what was heard is decided as at EOF, then the conventional 128 + signal.
                emit(spotter?.finish() ?? [])
                reportSummary()
                throw ExitCode(128 + signal)
            case .pause:
                paused = true
                emit(spotter?.decidePending() ?? [])
            case .input:
                paused = false
                guard let samples = try input.next() else { break reading }
                if spotter == nil, let rate = input.sampleRate {
                    spotter = try KeywordSpotter(model: model, engine: modelOptions.engineKind(for: model),
                                                 configuration: configuration, inputSampleRate: rate,
                                                 inputRateFromHeader: !input.isRaw)
                }
                health.inputDecided(isRaw: input.isRaw)
                heard += samples.count
                emit(spotter?.feed(samples) ?? [])
                if let spotter { health.report(spotter.inputWarnings) }
            }
        }
        input.warnings.forEach { Terminal.warn($0) }
        defer { reportSummary() }
        // A stream that ends before any audio is not an error (nothing was classified), but not silent either.
        guard let spotter, heard > 0 else { return Terminal.warn("\(KWSError.noAudio("stdin"))") }
        emit(spotter.finish())
    }
}

extension StreamCommand: TerminalSettings {
    var quiet: Bool { outputOptions.quiet }
}
