import ArgumentParser

/// The command names kws accepts: the hidden top-level aliases of the `lab` verbs, and the check that turns
/// a mistyped command into "unknown command 'detcet'; did you mean 'detect'?".
enum CommandNames {
    /// The verbs under `kws lab` that also work at the top level, as they did before they moved
    /// (`kws quantize` runs `kws lab quantize`).
    static var labVerbs: [String] { LabCommand.configuration.subcommands.map { $0._commandName } }

    /// `arguments` with a top-level lab verb moved under `lab`.
    static func rewritingAliases(_ arguments: [String]) -> [String] {
        guard let first = arguments.first, labVerbs.contains(first) else { return arguments }
        return ["lab"] + arguments
    }

    /// The message for the first argument that should name a subcommand but names none, or nil when the
    /// command path is fine (options and arguments are left to the parser).
    static func unknownCommand(in arguments: [String]) -> String? {
        var command: ParsableCommand.Type = KWSCommand.self
        var path = [KWSCommand._commandName]
        for argument in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !argument.hasPrefix("-"), argument != "help" else { return nil }
            if let next = subcommands.first(where: { $0._commandName == argument || $0.configuration.aliases.contains(argument) }) {
                command = next
                path.append(argument)
                continue
            }
            let visible = subcommands.filter { $0.configuration.shouldDisplay }.map { $0._commandName }
            let aliases = path.count == 1 ? labVerbs : []  // at the top level the lab verbs still answer
            let suggestion = NameSuggestion.nearest(to: argument, in: visible + aliases).map { aliases.contains($0) ? "lab \($0)" : $0 }
            return "unknown command '\(argument)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " ('\(path.joined(separator: " ")) --help' lists the commands)"
        }
        return nil
    }
}
