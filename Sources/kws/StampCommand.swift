import ArgumentParser
import FoundationEssentials
import Glibc
import KWSRuntime

struct StampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Add the data_sha256 checksum to model files written without one.",
        discussion: """
        Computes the SHA-256 of each file's tensor data (every byte after the header) and stores it in the \
        metadata as data_sha256, rewriting only the header: the tensor bytes stay exactly as they were. From \
        then on every load checks it, so a damaged copy is a load error instead of wrong results. The file \
        must load as a model first (a damaged file is not blessed). A file already stamped is left alone \
        (its checksum is checked). Files that kws writes itself (kws lab quantize) are stamped already; use this \
        for files exported by other tools (Training/). Metadata-only edits afterwards (an operating-point \
        table) keep the checksum valid.

        Examples:
          kws lab stamp Models/tc-resnet8-ao.safetensors Models/tc-resnet8-ao-int8.safetensors
          kws info --verify Models/tc-resnet8-ao.safetensors
        """
    )

    @Argument(help: ArgumentHelp("Model files to stamp in place.", valueName: "file"))
    var files: [String]

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        Terminal.setUp()
        var failures = FailureTally()
        for path in files {
            do {
                Terminal.printLine(try stamp(path))
            } catch {
                failures.record(error)
            }
        }
        try failures.finish()
    }

    private func stamp(_ path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let file = try ModelFile.load(contentsOf: url)
        _ = try TCResNetModel(file: file)
        if let stamped = file.metadata[ModelFile.checksumKey] { return "\(path): data_sha256 \(stamped) (already stamped, verified)" }
        let bytes = file.stamped()
        // What is written must load, with the checksum verified, before it replaces the original.
        let check = try ModelFile(bytes: bytes, name: url.lastPathComponent)
        _ = try TCResNetModel(file: check)
        try OutputFile.write(Data(bytes), to: path)
        return "\(path): data_sha256 \(check.dataSHA256) (stamped)"
    }
}

extension StampCommand: TerminalSettings {
    var json: Bool { false }
    var quiet: Bool { outputOptions.quiet }
}
