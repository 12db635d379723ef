extension TCResNetModel {
    /// The outlier-aware 4-bit network of an `ol4` model file (`kws quantize --scheme outlier`), or nil.
    public var outlier: OutlierTCResNet? { network(of: OutlierScheme()) }

    /// This model with `outlier` attached (what `kws quantize --scheme outlier` writes, without a round trip
    /// through a file); any int8 parameters are dropped, as the file would not carry them.
    public func withOutlier(_ outlier: OutlierTCResNet, name: String) -> TCResNetModel {
        replacingNetworks([OutlierScheme().name: outlier], name: name)
    }
}
