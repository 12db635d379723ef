import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSAudio
import KWSCore

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print or save the MFCC feature matrix of a WAV file.",
        discussion: """
        Decodes the file, resamples it to 16 kHz mono and computes one row of MFCCs per 10 ms hop \
        (98 × 40 for a 1 s clip; T × 40 for longer audio). Without --out the matrix is printed as CSV. \
        .npy files are float32, C order, shape (T, 40), readable with numpy.load. The file is read and the rows \
        written a chunk at a time, so an hour of audio needs as little memory as a second.

        Examples:
          kws features Samples/yes.wav -o yes.npy
          kws features Samples/yes.wav --frontend audio-ops --out yes.csv
          kws features Samples/yes.wav | head -n 2
        """
    )

    @Argument(help: ArgumentHelp("WAV file.", valueName: "file"))
    var file: String

    @Option(name: [.customShort("o"), .long, .customLong("output")], help: ArgumentHelp("Write to a .npy or .csv file instead of stdout. (default: CSV on stdout)", valueName: "path"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("MFCC recipe: default (TC-ResNet training path) or audio-ops.", valueName: "name"))
    var frontend: String = "default"

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard ["default", "audio-ops"].contains(frontend) else {
            throw ValidationError(NameSuggestion.unknown("--frontend", frontend, choices: ["default", "audio-ops"]))
        }
        if let out, !(out.hasSuffix(".npy") || out.hasSuffix(".csv")) {
            throw ValidationError("--out \(out): the name must end in .npy or .csv")
        }
    }

    func run() throws {
        Terminal.setUp()
        let config: FrontEndConfig = frontend == "audio-ops" ? .audioOps : .tcResNet
        let input = URL(fileURLWithPath: file)
        switch out {
        case let path? where path.hasSuffix(".npy"):
            try writeNPY(input, config: config, to: path)
        case let path?:
            let output = OutputFileWriter(path: path)
            let read = try FeatureRows.read(input, config: config) { try output.append(Self.csvLine($0)) }
            read.warnings.forEach { Terminal.warn($0) }
            try output.commit()
        case nil:
            // Rows go out as they come, gathered into pieces of about 64 KB so stdout is not flushed per row.
            var pending = ""
            let read = try FeatureRows.read(input, config: config) { row in
                pending += Self.csvLine(row)
                if pending.utf8.count >= 1 << 16 { Terminal.printLine(pending, terminator: ""); pending = "" }
            }
            if !pending.isEmpty { Terminal.printLine(pending, terminator: "") }
            read.warnings.forEach { Terminal.warn($0) }
        }
    }

    /// The rows in the file as they come; the row count in the header is known only at the end, but the
    /// header's length is not (``NPYFile/matrixHeaderByteCount``), so zeros hold its place until then.
    private func writeNPY(_ input: URL, config: FrontEndConfig, to path: String) throws {
        let output = OutputFileWriter(path: path)
        let read = try FeatureRows.read(input, config: config) { row in
            if output.byteCount == 0 { try output.append(Data(count: NPYFile.matrixHeaderByteCount)) }
            try row.withUnsafeBytes { try output.append($0) }
        }
        read.warnings.forEach { Terminal.warn($0) }
        let header = NPYFile.header(float32Shape: [read.rows, config.coefficients])
        precondition(header.count == NPYFile.matrixHeaderByteCount, "the .npy header outgrew its place")
        if read.rows == 0 { try output.append(header) } else { try output.overwrite(header, at: 0) }
        try output.commit()
    }

    /// One row of CSV: the values as Swift prints a Float, comma separated.
    private static func csvLine(_ row: ArraySlice<Float>) -> String {
        row.map { String($0) }.joined(separator: ",") + "\n"
    }
}

extension FeaturesCommand: TerminalSettings {
    var json: Bool { false }
    var quiet: Bool { outputOptions.quiet }
}
