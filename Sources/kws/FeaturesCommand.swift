import ArgumentParser
import Foundation
import KWS
import KWSAudio

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print or save the MFCC feature matrix of a WAV file.",
        discussion: """
        Decodes the file, resamples it to 16 kHz mono and computes one row of MFCCs per 10 ms hop \
        (98 × 40 for a 1 s clip; T × 40 for longer audio). Without --out the matrix is printed as CSV. \
        .npy files are float32, C order, shape (T, 40), readable with numpy.load.

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
        let audio = try AudioFile(contentsOf: URL(fileURLWithPath: file))
        audio.warnings.forEach { Terminal.warn($0) }
        let config: FrontEndConfig = frontend == "audio-ops" ? .audioOps : .tcResNet
        let matrix = try FeatureExtractor.features(of: audio.samples, config: config)
        switch out {
        case let path? where path.hasSuffix(".npy"):
            try OutputFile.write(NPYFile.float32(matrix.values, shape: [matrix.frames, matrix.coefficients]), to: path)
        case let path?:
            try OutputFile.write(csv(matrix), to: path)
        case nil:
            Terminal.printLine(csv(matrix), terminator: "")
        }
    }

    private func csv(_ matrix: FeatureMatrix) -> String {
        var text = ""
        for frame in 0..<matrix.frames {
            text += (0..<matrix.coefficients).map { String(matrix[frame, $0]) }.joined(separator: ",") + "\n"
        }
        return text
    }
}

extension FeaturesCommand: TerminalSettings {
    var json: Bool { false }
    var quiet: Bool { outputOptions.quiet }
}

/// NumPy `.npy` (format 1.0) serialisation.
enum NPYFile {
    static func float32(_ values: [Float], shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        // Magic (6) + version (2) + length (2) + header + newline must be a multiple of 64 bytes.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBytes { data.append(contentsOf: $0) }  // x86-64 and arm64 Linux are little-endian
        return data
    }
}
