extension TCResNetModel {
    /// This model with `outlier` attached (what `kws quantize --scheme outlier` writes, without a round trip
    /// through a file); any int8 parameters are dropped, as the file would not carry them.
    public func withOutlier(_ outlier: OutlierTCResNet, name: String) -> TCResNetModel {
        TCResNetModel(name: name, architecture: architecture, labels: labels, frontEnd: frontEnd, metadata: metadata,
                      batchNormEpsilon: batchNormEpsilon, stem: stem, blocks: blocks, classifierWeights: classifierWeights,
                      quantized: nil, outlier: outlier)
    }
}
