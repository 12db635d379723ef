extension TCResNetModel {
    /// Presence, dtype and shape of every `quant.` tensor, in the order they are written.
    static func checkQuantizedTensors(_ specs: [QuantizedTensorSpec], in file: ModelFile) throws {
        for spec in specs {
            guard let info = file.tensors[spec.name] else { throw ModelError.missingTensor(file: file.name, tensor: spec.name) }
            guard info.dtype == spec.dtype else {
                throw ModelError.wrongDType(file: file.name, tensor: spec.name, expected: spec.dtype.rawValue, found: info.dtype.rawValue)
            }
            guard info.shape == spec.shape else {
                throw ModelError.wrongShape(file: file.name, tensor: spec.name, expected: spec.shape, found: info.shape)
            }
        }
    }

    /// This model with `quantized` attached (what `kws quantize` writes, without a round trip through a file).
    public func withQuantization(_ quantized: QuantizedTCResNet, name: String) -> TCResNetModel {
        TCResNetModel(name: name, architecture: architecture, labels: labels, frontEnd: frontEnd, metadata: metadata,
                      batchNormEpsilon: batchNormEpsilon, stem: stem, blocks: blocks, classifierWeights: classifierWeights,
                      quantized: quantized)
    }
}
