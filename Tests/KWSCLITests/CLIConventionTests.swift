import Foundation
import KWSTestSupport
import XCTest

/// Issue 15, item 2: `--version`, short flags beside the long ones, a default in every help line, examples in
/// every command's help, and the research verbs under `kws lab` with their old names still working.
final class CLIConventionTests: CLITestCase {
    /// Every command path, lab verbs included.
    static let commands = [["detect"], ["stream"], ["eval"], ["features"], ["info"], ["models"],
                           ["lab"], ["lab", "quantize"], ["lab", "stamp"], ["lab", "zena-sim"]]

    func testVersionNamesTheLibraryVersion() throws {
        let result = try kws(["--version"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let header = try String(contentsOf: TestPaths.file("include/kws.h"), encoding: .utf8)
        let version = try XCTUnwrap(header.split(separator: "\n").first { $0.hasPrefix("#define KWS_VERSION_STRING") }?
            .split(separator: "\"").dropFirst().first)
        XCTAssertEqual(result.stdout, "kws \(version)\n")
    }

    func testShortFlagsDoWhatTheLongOnesDo() throws {
        let long = try kws(["detect", "--json", "--model", "tc-resnet8-int8", "--threshold", "0.8", sample("sequence.wav")])
        let short = try kws(["detect", "--json", "-m", "tc-resnet8-int8", "-t", "0.8", sample("sequence.wav")])
        XCTAssertEqual(long.status, 0, long.stderr)
        XCTAssertEqual(short.stdout, long.stdout)
        XCTAssertTrue(jsonLines(short).allSatisfy { $0["threshold"] as? Double == 0.8 })

        let directory = try temporaryDirectory()
        for flag in ["-o", "--out", "--output"] {
            let out = directory.appendingPathComponent("yes\(flag).npy")
            let result = try kws(["features", sample("yes.wav"), flag, out.path])
            XCTAssertEqual(result.status, 0, "\(flag): \(result.stderr)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.path), flag)
        }

        for flag in ["-h", "--help"] {
            let help = try kws(["detect", flag])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.stdout.contains("-m, --model"), help.stdout)
            XCTAssertTrue(help.stdout.contains("-t, --threshold"), help.stdout)
            XCTAssertTrue(help.stdout.contains("-q, --quiet"), help.stdout)
        }
    }

    func testQuietDropsWarningsButNotErrors() throws {
        let empty = TestWAV.s16([])
        let warned = try kws(["stream"], stdin: empty)
        XCTAssertTrue(warned.stderr.contains("no audio samples"), warned.stderr)
        for flag in ["-q", "--quiet"] {
            let quiet = try kws(["stream", flag], stdin: empty)
            XCTAssertEqual(quiet.status, 0)
            XCTAssertEqual(quiet.stderr, "", flag)
        }
        let failed = try kws(["detect", "-q", "/nonexistent/x.wav"])
        XCTAssertEqual(failed.status, 66)
        XCTAssertTrue(failed.stderr.contains("x.wav"), "errors are still printed under --quiet")
    }

    func testEveryOptionInEveryHelpShowsItsDefault() throws {
        for command in Self.commands {
            let help = try kws(command + ["--help"])
            XCTAssertEqual(help.status, 0, "\(command)")
            for option in Self.optionEntries(help.stdout) where !option.isRequired {
                XCTAssertTrue(option.text.contains("(default:"), "\(command) --help: \(option.name) does not say its default:\n\(option.text)")
            }
        }
    }

    func testEveryCommandsHelpHasAnExample() throws {
        for command in [[]] + Self.commands {
            let help = try kws(command + ["--help"])
            XCTAssertEqual(help.status, 0, "\(command)")
            XCTAssertTrue(help.stdout.contains("Example"), "\(command) --help lacks an example:\n\(help.stdout)")
            XCTAssertTrue(help.stdout.contains("kws " + (command.isEmpty ? "detect" : command.joined(separator: " "))),
                          "\(command) --help: no example of the command itself")
        }
    }

    func testResearchVerbsAreGroupedUnderLabAndTheirOldNamesStillWork() throws {
        let top = try kws(["--help"]).stdout
        let subcommands = top.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        XCTAssertTrue(subcommands.contains("lab"), top)
        for verb in ["quantize", "stamp", "zena-sim"] {
            XCTAssertFalse(subcommands.contains("  \(verb) "), "\(verb) is listed at the top level:\n\(subcommands)")
            XCTAssertTrue(try kws(["lab", "--help"]).stdout.contains(verb))
            let old = try kws([verb, "--help"]), new = try kws(["lab", verb, "--help"])
            XCTAssertEqual(old.status, 0, verb)
            XCTAssertEqual(old.stdout, new.stdout, "kws \(verb) is kws lab \(verb)")
        }
        // The old names run, not only print help.
        let directory = try temporaryDirectory()
        let model = directory.appendingPathComponent("m.safetensors").path
        try FileManager.default.copyItem(atPath: TestPaths.file("Tests/KWSRuntimeTests/Fixtures/tc-resnet8-ref.safetensors").path, toPath: model)
        let stamped = try kws(["stamp", model])
        XCTAssertEqual(stamped.status, 0, stamped.stderr)
        XCTAssertEqual(try kws(["lab", "stamp", model]).stdout.hasSuffix("(already stamped, verified)\n"), true)
    }

    /// The option entries of an ArgumentParser help page: each `-x, --name <v>` line with its wrapped text.
    static func optionEntries(_ help: String) -> [(name: String, text: String, isRequired: Bool)] {
        guard let section = help.components(separatedBy: "OPTIONS:").last else { return [] }
        var entries = [(name: String, text: String, isRequired: Bool)]()
        let usage = help.components(separatedBy: "USAGE:").last?.components(separatedBy: "\n\n").first ?? ""
        for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            if indent == 2, trimmed.hasPrefix("-") {
                let name = String(trimmed.split(separator: " ").first { $0.hasPrefix("--") } ?? trimmed.prefix(2))
                entries.append((name, String(trimmed), false))
            } else if indent > 2, !entries.isEmpty {
                entries[entries.count - 1].text += " " + trimmed
            }
        }
        // --help and --version are ArgumentParser's own; an option the command requires (the usage line shows
        // it without brackets) has no default to show.
        return entries.filter { !["--help", "--version"].contains($0.name) }.map { entry in
            let required = usage.contains(" \(entry.name) <") && !usage.contains("[\(entry.name) ")
            return (entry.name, entry.text, required)
        }
    }
}
