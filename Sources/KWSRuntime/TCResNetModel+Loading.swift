import FoundationEssentials

extension TCResNetModel {
    /// Reads, validates and folds the model file at `url`.
    public static func load(contentsOf url: URL) throws -> TCResNetModel {
        try TCResNetModel(file: ModelFile.load(contentsOf: url))
    }

    /// Validates a float model file against Models/FORMAT.md and folds its batch norms.
    ///
    /// Checks, in order, stopping at the first problem: the metadata keys; every tensor the
    /// architecture needs (present, `F32`, right shape; `fc.weight` rows against the labels); no
    /// other tensors; every value finite; every running variance ≥ 0. A file with a scheme's metadata key
    /// (``QuantizationScheme/metadataKey``: `quantization`, `outlier_quantization`, `highway`) must also hold
    /// that scheme's tensors with their dtypes and shapes, checked after the float ones, schemes in
    /// ``QuantizationSchemes/all`` order; then each such scheme loads and checks its network.
    public init(file: ModelFile) throws {
        let header = try ModelMetadata(file: file)
        let architecture = header.architecture
        let specs = architecture.tensorSpecs(inputCoefficients: header.frontEnd.coefficients,
                                             labelCount: header.labels.count)
        let context = SchemeLoadingContext(file: file, architecture: architecture,
                                           inputFrames: header.frontEnd.clipFrames,
                                           inputCoefficients: header.frontEnd.coefficients, labelCount: header.labels.count)
        let stored = try QuantizationSchemes.all.compactMap { scheme in
            try scheme.storedTensors(in: context).map { (scheme: scheme, tensors: $0) }
        }
        try Self.checkTensors(specs, in: file, labelCount: header.labels.count,
                              extra: stored.reduce(into: Set<String>()) { $0.formUnion($1.tensors.names) })
        for (_, tensors) in stored { try Self.checkSchemeTensors(tensors.specs, in: file) }

        var values = [String: [Float]]()
        for spec in specs {
            let floats = try file.floats(spec.name)
            if let index = floats.firstIndex(where: { !$0.isFinite }) {
                throw ModelError.nonFiniteWeight(file: file.name, tensor: spec.name, index: index,
                                                 value: String(describing: floats[index]))
            }
            if spec.name.hasSuffix(".running_var"), let index = floats.firstIndex(where: { $0 < 0 }) {
                throw ModelError.negativeVariance(file: file.name, tensor: spec.name, index: index, value: floats[index])
            }
            values[spec.name] = floats
        }

        func folded(_ conv: String, _ batchNorm: String, _ shape: TemporalConvShape) -> TemporalConv {
            let folding = BatchNormFolding(
                gamma: values["\(batchNorm).weight", default: []], beta: values["\(batchNorm).bias", default: []],
                mean: values["\(batchNorm).running_mean", default: []],
                variance: values["\(batchNorm).running_var", default: []], epsilon: header.batchNormEpsilon)
            return folding.fold(name: conv, shape: shape, pytorchWeights: values["\(conv).weight", default: []])
        }
        var shapes = architecture.convolutionShapes(inputFrames: header.frontEnd.clipFrames,
                                                    inputCoefficients: header.frontEnd.coefficients)[...]
        let stem = folded("stem.conv", "stem.bn", shapes.removeFirst())
        var blocks = [ResidualBlock]()
        for index in 0..<architecture.blockCount {
            let prefix = "blocks.\(index)"
            let shortcut = architecture.blockHasProjection(index)
                ? folded("\(prefix).shortcut.conv", "\(prefix).shortcut.bn", shapes.removeFirst()) : nil
            let conv1 = folded("\(prefix).conv1", "\(prefix).bn1", shapes.removeFirst())
            let conv2 = folded("\(prefix).conv2", "\(prefix).bn2", shapes.removeFirst())
            blocks.append(ResidualBlock(conv1: conv1, conv2: conv2, shortcut: shortcut))
        }
        var networks = [String: any Sendable]()
        for (scheme, _) in stored { networks[scheme.name] = try scheme.loadNetwork(in: context) }
        // The schemes check their own F32 tensors with their own errors; this is the floor under all of them.
        try Self.checkFinite(file, skipping: Set(specs.map(\.name)))
        self.init(name: header.name, architecture: architecture, labels: header.labels, frontEnd: header.frontEnd,
                  metadata: file.metadata, batchNormEpsilon: header.batchNormEpsilon, stem: stem, blocks: blocks,
                  classifierWeights: values["fc.weight", default: []], networks: networks,
                  operatingPoints: header.operatingPoints)
    }

    /// Presence, dtype and shape of every tensor a scheme stores, in the order it lists them.
    private static func checkSchemeTensors(_ specs: [QuantizedTensorSpec], in file: ModelFile) throws {
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

    /// Every F32 tensor not in `skipping` (already checked) holds only finite values.
    private static func checkFinite(_ file: ModelFile, skipping: Set<String>) throws {
        for (name, info) in file.tensors.sorted(by: { $0.key < $1.key }) where info.dtype == .f32 && !skipping.contains(name) {
            let floats = try file.floats(name)
            if let index = floats.firstIndex(where: { !$0.isFinite }) {
                throw ModelError.nonFiniteWeight(file: file.name, tensor: name, index: index, value: String(describing: floats[index]))
            }
        }
    }

    /// Presence, dtype and shape of every expected tensor in network order, then unexpected extras.
    private static func checkTensors(_ specs: [TensorSpec], in file: ModelFile, labelCount: Int, extra: Set<String> = []) throws {
        for spec in specs {
            guard let info = file.tensors[spec.name] else {
                throw ModelError.missingTensor(file: file.name, tensor: spec.name)
            }
            guard info.dtype == .f32 else {
                throw ModelError.wrongDType(file: file.name, tensor: spec.name, expected: TensorDType.f32.rawValue,
                                            found: info.dtype.rawValue)
            }
            if spec.name == "fc.weight", info.shape.count == 2, info.shape[1] == spec.shape[1], info.shape[0] != labelCount {
                throw ModelError.wrongLabelCount(file: file.name, labels: labelCount, fcRows: info.shape[0])
            }
            guard info.shape == spec.shape else {
                throw ModelError.wrongShape(file: file.name, tensor: spec.name, expected: spec.shape, found: info.shape)
            }
        }
        let expected = Set(specs.map(\.name)).union(extra)
        if let extra = file.tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw ModelError.unexpectedTensor(file: file.name, tensor: extra)
        }
    }
}
