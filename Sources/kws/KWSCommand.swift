import ArgumentParser

@main
struct KWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kws",
        abstract: "On-device keyword spotting with TC-ResNet.",
        discussion: """
        Hears the keywords yes, no, up, down, left, right, on, off, stop and go in WAV files or in a live \
        PCM stream, on one CPU core, without a server.

        Examples:
          kws detect Samples/yes.wav               # top label of a 1 s clip
          kws detect --json Samples/sequence.wav   # every detection, JSON Lines
          arecord -f S16_LE -r 16000 -c 1 -t raw | kws stream
          kws eval --list Training/splits/test.txt ../shared/data/speech_commands
          kws features Samples/yes.wav -o yes.npy  # the 98 × 40 MFCC matrix
          kws models                               # shipped models, accuracy
          kws train "hey kiwi" --out kiwi.safetensors   # a model for your own words

        Common options: -m/--model, -t/--threshold, -o/--out, -q/--quiet, \
        -h/--help. --json prints JSON Lines, each with a "type": clip, detection, \
        warning, error (README "JSON Lines"). kws lab holds the tools that make \
        and study model files (quantize, stamp, zena-sim).

        Exit status:
        \(ExitStatus.table)
        """,
        version: Version.text,
        subcommands: [DetectCommand.self, StreamCommand.self, EvalCommand.self, FeaturesCommand.self,
                      InfoCommand.self, ModelsCommand.self, TrainCommand.self, LabCommand.self]
    )
}
