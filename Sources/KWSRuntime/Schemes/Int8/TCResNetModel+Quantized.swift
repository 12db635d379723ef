extension TCResNetModel {
    /// The int8 network stored in a quantized model file (`kws quantize`), or nil for a float-only model.
    public var quantized: QuantizedTCResNet? { network(of: Int8Scheme()) }

    /// This model with `quantized` attached (what `kws quantize` writes, without a round trip through a file).
    public func withQuantization(_ quantized: QuantizedTCResNet, name: String) -> TCResNetModel {
        replacingNetworks([Int8Scheme().name: quantized], name: name)
    }
}
