import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSCore
import KWSRuntime

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the shipped models: engine, size, cost and test accuracy.",
        discussion: """
        One row per model file, in a table as wide as its longest name. ENGINE is the backend the file runs \
        by default (--engine overrides it), TEST TOP-1 the held-out test-split accuracy that engine reaches \
        as the file's own metadata records it ("–" where the file does not record it: int8 files quantized \
        before kws stored their own figure), FLOAT TOP-1 that of the float network the file holds or was \
        made from. Models/README.md has the full tables. The default model is marked with *.

        Models are looked up in KWS_MODEL_PATH, ./Models, the checkout's Models/ and <prefix>/share/kws/models.

        Examples:
          kws models
          kws models | grep ao
          kws info tc-resnet8-int8
        """
    )

    func run() throws {
        let models = ModelCatalog.shipped()
        if models.isEmpty { Terminal.warn("no models found in: \(ModelCatalog.searchDirectories.map(\.path).joined(separator: ", "))") }
        var table = TextTable([("MODEL", .left), ("ENGINE", .left), ("PARAMS", .right), ("MACS", .right),
                               ("TEST TOP-1", .right), ("FLOAT TOP-1", .right), ("", .left)])
        for (name, url) in models {
            let marker = name == ModelCatalog.defaultModelName ? "* default" : ""
            do {
                let model = try TCResNetModel.load(contentsOf: url)
                table.append([name, EngineKind.preferred(for: model).rawValue, String(model.parameterCount), String(model.macsPerInference),
                              Self.percent(model.ownTestAccuracy), Self.percent(model.floatTestAccuracy), marker])
            } catch {
                table.append([name, "–", "", "", "", "", "unreadable: \(ErrorMessage.text(for: error))"])
            }
        }
        table.lines.forEach { Terminal.printLine($0) }
    }

    static func percent(_ value: Double?) -> String {
        value.map { String(cFormat: "%.2f%%", $0 * 100) } ?? "–"
    }
}
