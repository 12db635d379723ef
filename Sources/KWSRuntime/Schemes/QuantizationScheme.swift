/// One way of storing a TC-ResNet's parameters in a model file and running them: how kws detects it in a
/// file, which tensors it stores, how it loads, writes and runs them, and whether it is a file's default.
///
/// Every scheme is registered once, in ``QuantizationSchemes/all``; the loader
/// (``TCResNetModel/init(file:)``), ``EngineKind/preferred(for:)``, ``EngineKind/makeEngine(for:)``,
/// ``EngineKind/allCases`` and `kws info` consult that list, so a new scheme is a new folder under
/// `Sources/KWSRuntime/Schemes` and one line in the list (README.md, "Adding a quantization scheme").
public protocol QuantizationScheme: Sendable {
    /// The scheme's name (`float`, `int8`, ...), unique in the registry; a model keeps its network under it.
    var name: String { get }
    /// The `__metadata__` key whose presence marks a file storing this scheme's network (its value says how
    /// the network was made), or nil for a scheme with no tensors of its own: float (every file's tensors)
    /// and zero-skip (it runs the int8 network).
    var metadataKey: String? { get }
    /// The backends that run it, its default first.
    var engines: [EngineKind] { get }
    /// Its place in ``EngineKind/preferred(for:)``: of the schemes a model carries, the one with the
    /// highest rank picks the default backend (its first engine); nil for a scheme never picked by default.
    var preferenceRank: Int? { get }

    /// Whether `model` holds what this scheme's engines run.
    func isCarried(by model: TCResNetModel) -> Bool

    /// The tensors the file in `context` stores for this scheme beside the float ones, or nil when it
    /// stores none (no ``metadataKey``).
    /// - Throws: a scheme error when the metadata is too malformed to name the tensors.
    func storedTensors(in context: SchemeLoadingContext) throws -> SchemeTensors?

    /// Reads and checks this scheme's network from the file in `context`, whose ``storedTensors(in:)``
    /// were present with the right dtypes and shapes; the result is what ``isCarried(by:)`` looks for.
    func loadNetwork(in context: SchemeLoadingContext) throws -> any Sendable

    /// Appends this scheme's tensors for `model` to `writer`, from `model`'s network or, for the float
    /// tensors, from `source` (the file `model` was loaded from).
    /// - Throws: ``SchemeWritingError`` when kws cannot write this scheme, or `source`'s read errors.
    func appendTensors(of model: TCResNetModel, source: ModelFile, to writer: inout ModelFileWriter) throws

    /// Builds the backend `kind` (one of ``engines``) for `model`.
    /// - Throws: the engine's error when `model` does not carry this scheme's network.
    func makeEngine(_ kind: EngineKind, for model: TCResNetModel) throws -> any Engine

    /// What `kws info` prints about `model`'s network of this scheme, one line each; empty when none.
    func infoLines(for model: TCResNetModel) -> [String]
}

extension QuantizationScheme {
    /// No tensors of its own unless the scheme says so.
    public var metadataKey: String? { nil }

    /// Never the default unless the scheme says so.
    public var preferenceRank: Int? { nil }

    /// A scheme without a ``metadataKey`` stores nothing.
    public func storedTensors(in context: SchemeLoadingContext) throws -> SchemeTensors? { nil }

    /// Only called for a scheme whose ``storedTensors(in:)`` returned some, which must implement it.
    public func loadNetwork(in context: SchemeLoadingContext) throws -> any Sendable {
        preconditionFailure("\(name) stores no network of its own")
    }

    /// Nothing to write unless the scheme says so.
    public func appendTensors(of model: TCResNetModel, source: ModelFile, to writer: inout ModelFileWriter) throws {}

    /// Nothing to print unless the scheme says so.
    public func infoLines(for model: TCResNetModel) -> [String] { [] }
}
