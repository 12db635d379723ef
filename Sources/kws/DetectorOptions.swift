import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSCore
import KWSRuntime

/// `--threshold`, `--false-alarms-per-hour`, `--hop-ms`, `--smoothing-ms` and `--refractory-ms`: the
/// streaming detector's settings, shared by every command that runs it.
struct DetectorOptions: ParsableArguments {
    @Option(name: [.customShort("t"), .long], help: ArgumentHelp("Smoothed posterior every keyword must reach (0…1]; overrides --false-alarms-per-hour. Also LABEL=X for one keyword (overrides everything); repeatable. (default: the model's default operating point, else 0.7)", valueName: "x"))
    var threshold: [String] = []

    @Option(name: .customLong("false-alarms-per-hour"), parsing: .unconditional,
            help: ArgumentHelp("False alarms per hour allowed for all keywords together (e.g. 0.5); each keyword's threshold is looked up in the model's operating points (kws info MODEL shows them). A value that is not > 0 or that the table does not reach exits with status 64. (default: the model's default_false_alarms_per_hour; none without a table)", valueName: "x"))
    var falseAlarmsPerHour: Double?

    @Option(name: .customLong("hop-ms"), help: "Milliseconds between evaluated 1 s windows (multiple of 10, 10…1000).")
    var hopMilliseconds: Int = 100

    @Option(name: .customLong("smoothing-ms"), help: "Average posteriors over this many milliseconds of windows.")
    var smoothingMilliseconds: Int = 300

    @Option(name: .customLong("refractory-ms"), help: "Quiet time after a detection, in milliseconds.")
    var refractoryMilliseconds: Int = 500

    func validate() throws {
        if let falseAlarmsPerHour, !(falseAlarmsPerHour.isFinite && falseAlarmsPerHour > 0) {
            throw Self.usageFailure("--false-alarms-per-hour \(String(cFormat: "%g", falseAlarmsPerHour)): use a number > 0, "
                + "the false alarms per hour allowed for all keywords together")
        }
    }

    /// The settings as given, not yet checked against a model.
    func configuration() throws -> DetectorConfiguration {
        var configuration = DetectorConfiguration(hopMilliseconds: hopMilliseconds, smoothingMilliseconds: smoothingMilliseconds,
                                                  falseAlarmsPerHour: falseAlarmsPerHour, refractoryMilliseconds: refractoryMilliseconds)
        for entry in threshold {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard let value = Float(parts.last ?? "") else {
                throw Self.usageFailure("--threshold '\(entry)': expected a number like 0.8 or LABEL=0.8")
            }
            if parts.count == 2 { configuration.thresholds[parts[0]] = value } else { configuration.threshold = value }
        }
        return configuration
    }

    /// The settings checked against `model`: a value out of range or a budget its operating points do not
    /// describe ends the command with one line on stderr and ``ExitStatus/usage``.
    func configuration(for model: TCResNetModel) throws -> DetectorConfiguration {
        let configuration = try configuration()
        do {
            _ = try configuration.keywordThresholds(for: model)
        } catch let error as KWSError {
            throw Self.usageFailure("\(error)")
        }
        if let table = model.operatingPoints, configuration.threshold == nil,
           (table.hopMilliseconds, table.smoothingMilliseconds, table.refractoryMilliseconds)
            != (hopMilliseconds, smoothingMilliseconds, refractoryMilliseconds) {
            Terminal.warn("the operating points of \(model.name) were measured at --hop-ms \(table.hopMilliseconds) --smoothing-ms "
                + "\(table.smoothingMilliseconds) --refractory-ms \(table.refractoryMilliseconds); with other settings the "
                + "false-alarm rates they promise may not hold")
        }
        return configuration
    }

    /// Prints `message` as the one line of a usage error and gives the error that exits with
    /// ``ExitStatus/usage``. Printed here rather than thrown as a ``UsageError`` because `validate()` uses it
    /// too, and ArgumentParser would wrap a thrown error in its own (and add the usage text).
    static func usageFailure(_ message: String) -> ExitCode {
        Terminal.error(message, status: .usage)
        return ExitCode(ExitStatus.usage.rawValue)
    }
}
