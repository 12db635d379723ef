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
          kws detect Samples/yes.wav                 # top label of a 1 s clip
          kws detect --json Samples/sequence.wav     # every detection in a longer recording
          arecord -f S16_LE -r 16000 -c 1 -t raw | kws stream
          kws eval path/to/clips                     # accuracy on <label>/*.wav folders
          kws features Samples/yes.wav --out yes.npy # the 98 × 40 MFCC matrix
        """,
        subcommands: [DetectCommand.self, StreamCommand.self, EvalCommand.self, FeaturesCommand.self,
                      InfoCommand.self, ModelsCommand.self, QuantizeCommand.self, StampCommand.self, ZenaSimCommand.self]
    )
}
