import KWSAudio

/// What `kws stream` says about its input on stderr (README "Input health"): the raw format it assumed,
/// once, when stdin has no WAV header and no format option was given; then each new ``InputWarning`` the
/// spotter's input health check raises, once, with a hint at the option that fixes it. All of it goes
/// through ``Terminal/warn(_:)``, so `-q` silences it and `--json` makes it `"type":"warning"` lines.
struct StdinHealthReport {
    let raw: RawStdinFormat
    private var inputIsRaw = false
    private var reported = 0

    init(raw: RawStdinFormat) {
        self.raw = raw
    }

    /// Called once the input's kind is known (and harmlessly after): announces an assumed raw format.
    mutating func inputDecided(isRaw: Bool) {
        guard !inputIsRaw, isRaw else { return }
        inputIsRaw = true
        guard raw.isAssumed else { return }
        Terminal.warn("stdin has no WAV header; reading raw \(raw.summary) (use --rate/--channels/--format)")
    }

    /// Prints the warnings in `warnings` not printed yet (the spotter's list only grows within a stream).
    mutating func report(_ warnings: [InputWarning]) {
        guard warnings.count > reported else { return }
        for warning in warnings[reported...] {
            Terminal.warn("stdin: \(warning.message)\(hint(for: warning.kind))")
        }
        reported = warnings.count
    }

    /// The option that fixes a misread stream, for raw input; a WAV header's own claims are what was read.
    private func hint(for kind: InputWarning.Kind) -> String {
        guard inputIsRaw else {
            switch kind {
            case .rateTooLow, .rateTooHigh, .interleavedChannels, .floatAsInteger, .integerAsFloat:
                return " (as the WAV header declares it: the header may be wrong)"
            default: return ""
            }
        }
        switch kind {
        case .rateTooLow: return " (use --rate with the audio's real rate, e.g. --rate 48000)"
        case .rateTooHigh: return " (use --rate with the audio's real rate, e.g. --rate 8000)"
        case .interleavedChannels: return " (use --channels 2 for stereo)"
        case .floatAsInteger: return " (use --format f32le)"
        case .integerAsFloat: return " (use --format s16le or s32le)"
        case .digitalSilence, .clipping, .dcOffset: return ""
        }
    }
}
