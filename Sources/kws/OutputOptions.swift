import ArgumentParser

/// `-q`/`--quiet`, shared by every command that can warn.
struct OutputOptions: ParsableArguments {
    @Flag(name: [.customShort("q"), .long], help: "No warnings or progress lines on stderr; errors are still printed. (default: off)")
    var quiet = false
}

/// A command whose `--json` and `--quiet` decide how ``Terminal`` prints warnings and errors.
protocol TerminalSettings {
    var json: Bool { get }
    var quiet: Bool { get }
}
