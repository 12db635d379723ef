import ArgumentParser

/// `kws lab`: the verbs for making and studying model files, kept apart from the everyday ones. Each also
/// answers to its old top-level name (`kws quantize` runs `kws lab quantize`; ``CommandNames``).
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Make and study model files: quantize, stamp checksums, simulate a zero-aware PE array.",
        discussion: """
        Not needed to detect keywords. Each verb also works under its old top-level name (kws quantize, \
        kws stamp, kws zena-sim). Per-layer zero statistics are `kws info --stats`.

        Examples:
          kws lab quantize tc-resnet8 --calibration ../shared/data/speech_commands --calibration-list Training/splits/train.txt -o /tmp/q.safetensors
          kws lab stamp my-model.safetensors
          kws lab zena-sim tc-resnet8-int8 --audio Samples
        """,
        subcommands: [QuantizeCommand.self, StampCommand.self, ZenaSimCommand.self]
    )
}
