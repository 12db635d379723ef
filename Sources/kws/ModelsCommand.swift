import ArgumentParser
import Foundation
import KWS
import KWSRuntime

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the shipped models.",
        discussion: """
        Models are looked up in KWS_MODEL_PATH, ./Models, the checkout's Models/ and <prefix>/share/kws/models.

        Example:
          kws models
        """
    )

    func run() throws {
        Terminal.setUp()
        let models = ModelCatalog.shipped()
        if models.isEmpty { Terminal.warn("no models found in: \(ModelCatalog.searchDirectories.map(\.path).joined(separator: ", "))") }
        for (name, url) in models {
            let marker = name == ModelCatalog.defaultModelName ? " (default)" : ""
            do {
                let model = try TCResNetModel.load(contentsOf: url)
                let accuracy = model.testAccuracy.map { String(format: "%.2f%%", $0 * 100) } ?? "–"
                Terminal.printLine(name.padding(toLength: 22, withPad: " ", startingAt: 0)
                                   + "\(model.parameterCount) params, \(model.macsPerInference) MACs, test accuracy \(accuracy)\(marker)")
            } catch {
                Terminal.printLine(name.padding(toLength: 22, withPad: " ", startingAt: 0) + "unreadable: \(error)")
            }
        }
    }
}
