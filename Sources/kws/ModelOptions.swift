import ArgumentParser
import KWS
import KWSRuntime

/// `-m/--model` and `--engine`, shared by every command that runs a model.
struct ModelOptions: ParsableArguments {
    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Shipped model name (kws models lists them) or path to a .safetensors file.", valueName: "name|path"))
    var model: String = ModelCatalog.defaultModelName

    @Option(name: .long, help: ArgumentHelp("Backend: \(EngineKind.allCases.map(\.rawValue).joined(separator: ", ")). (default: the file's own scheme: outlier for -ol4, highway for -hw, int8 for -int8, float otherwise)", valueName: "name"))
    var engine: String?

    func validate() throws {
        if let engine, EngineKind(rawValue: engine) == nil {
            throw ValidationError(NameSuggestion.unknown("engine", engine, choices: EngineKind.allCases.map(\.rawValue)))
        }
    }

    /// The backend named by `--engine`, or the preferred one for `model` when none was named.
    func engineKind(for model: TCResNetModel) -> EngineKind {
        engine.flatMap(EngineKind.init(rawValue:)) ?? .preferred(for: model)
    }

    func loadModel() throws -> TCResNetModel { try ModelCatalog.load(model) }
}
