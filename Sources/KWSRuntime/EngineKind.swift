/// The backends a user can pick by name (`--engine NAME`): every engine of every registered
/// ``QuantizationScheme``, each declared as a static member in its scheme's folder (``float``, ``int8``, ...).
public struct EngineKind: RawRepresentable, Hashable, CaseIterable, Sendable, CustomStringConvertible {
    /// The name `--engine` takes.
    public let rawValue: String

    /// The backend named `rawValue`, or nil when no registered scheme runs one by that name.
    public init?(rawValue: String) {
        guard Self.allCases.contains(where: { $0.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    /// Declares a backend; only a scheme's folder does this, and lists it in its ``QuantizationScheme/engines``.
    init(registering name: String) {
        rawValue = name
    }

    /// Every backend, in registry order (``QuantizationSchemes/all``).
    public static var allCases: [EngineKind] { QuantizationSchemes.all.flatMap(\.engines) }

    public var description: String { rawValue }

    /// The backend used when none is named: the first engine of the highest-ranked scheme `model` carries
    /// (``QuantizationScheme/preferenceRank``): ``highway`` for a `-hw<k>` model file and ``outlier`` for an
    /// `ol4` one (the only integer parameters they hold), ``int8`` for a quantized model file (the fastest
    /// backend whose top-1 matches float on ≥ 99% of test clips, `Models/README.md`), ``float`` for a
    /// float-only file.
    public static func preferred(for model: TCResNetModel) -> EngineKind {
        let ranked = QuantizationSchemes.all.compactMap { scheme in
            scheme.preferenceRank.flatMap { rank in scheme.isCarried(by: model) ? (rank, scheme) : nil }
        }
        return ranked.max { $0.0 < $1.0 }?.1.engines.first ?? .float
    }

    /// Builds this backend for `model` with the preferred kernels (``KernelISA/preferred``), through the
    /// scheme that runs it.
    /// - Throws: ``QuantizedModelError/notQuantized(model:engine:)`` when an int8 backend is asked to run a
    ///   model file without int8 parameters (it is never quantized on the fly: that needs calibration clips),
    ///   and likewise the outlier and highway backends' errors.
    public func makeEngine(for model: TCResNetModel) throws -> any Engine {
        guard let scheme = QuantizationSchemes.running(self) else {
            preconditionFailure("EngineKind \(rawValue) is not in any registered scheme's engines")
        }
        return try scheme.makeEngine(self, for: model)
    }
}
