/// The registry of ``QuantizationScheme``s: the one list the loader, the engine choice and `kws info` read.
public enum QuantizationSchemes {
    /// Every scheme, in the order the loader checks their tensors and `kws info` prints their lines; its
    /// engines, in this order, are ``EngineKind/allCases``.
    public static let all: [any QuantizationScheme] = [
        FloatScheme(), Int8Scheme(), ZeroSkipScheme(), OutlierScheme(), HighwayScheme(),
    ]

    /// The scheme called `name`, if registered.
    public static func named(_ name: String) -> (any QuantizationScheme)? {
        all.first { $0.name == name }
    }

    /// The scheme whose ``QuantizationScheme/engines`` include `kind`.
    public static func running(_ kind: EngineKind) -> (any QuantizationScheme)? {
        all.first { $0.engines.contains(kind) }
    }

    /// Every metadata key a scheme's network is stored under, in registry order.
    public static var metadataKeys: [String] { all.compactMap(\.metadataKey) }
}
