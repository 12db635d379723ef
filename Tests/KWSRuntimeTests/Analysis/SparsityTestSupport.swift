import Foundation
import KWSAudio
import KWSCore
import KWSTestSupport
@testable import KWSAnalysis
@testable import KWSRuntime

/// Hand-made and random traced layers, their independent integer reference, and real-clip windows.
enum SparsityTestSupport {
    /// A traced layer built from plain values: `weights` is `[tap][input][output]`, `rows` the real input
    /// `[inputLength][inputChannels]`; the output is the ``Int8ReferenceNetwork`` result, so a simulator or
    /// a statistic that disagrees with it is wrong.
    static func layer(shape: TemporalConvShape, weights: [Int8], rows: [[UInt8]], paddingCodes: [UInt8]? = nil,
                      bias: [Int32]? = nil, multiplier: Double = 1, residual: [[UInt8]]? = nil,
                      residualMultiplier: Double = 0.5, name: String = "test.conv") -> Int8LayerTrace.Layer {
        precondition(weights.count == shape.weightCount && rows.count == shape.inputLength)
        let codes = paddingCodes ?? [UInt8](repeating: 0, count: shape.inputChannels)
        let outputs = shape.outputChannels
        let conv = QuantizedConv(
            name: name, shape: shape, weights: weights, bias: bias ?? [Int32](repeating: 0, count: outputs),
            requantization: [FixedPointMultiplier](repeating: FixedPointMultiplier(real: multiplier)!, count: outputs),
            residualRescale: residual == nil ? nil
                : [FixedPointMultiplier](repeating: FixedPointMultiplier(real: residualMultiplier)!, count: outputs))
        let paddedRows = (shape.outputLength - 1) * shape.stride + shape.kernelSize
        var padded = [UInt8]()
        for row in 0..<paddedRows {
            let step = row - shape.padding
            padded += step >= 0 && step < shape.inputLength ? rows[step] : codes
        }
        let output = Int8ReferenceNetwork.convolve(conv, rows.map { $0.map(Int.init) }, padding: codes.map(Int.init),
                                                   residual: residual?.map { $0.map(Int.init) })
        return Int8LayerTrace.Layer(conv: conv, paddedInput: padded, paddingCodes: codes, residual: residual?.flatMap { $0 },
                                    output: output.flatMap { $0.map(UInt8.init) })
    }

    /// A random layer: `weightZeros` and `activationZeros` are the chances of a 0; some output channels and
    /// input rows are forced all-zero, as pruning and ReLU make them.
    static func randomLayer(_ random: inout SplitMix64, shape: TemporalConvShape, weightZeros: Double,
                            activationZeros: Double, zeroPointInput: Bool = false, withResidual: Bool = false) -> Int8LayerTrace.Layer {
        let (inputs, outputs) = (shape.inputChannels, shape.outputChannels)
        let emptyChannel = Int.random(in: 0..<(outputs + 2), using: &random)  // sometimes none
        var weights = [Int8]()
        for index in 0..<shape.weightCount {
            let zero = index % outputs == emptyChannel || Double.random(in: 0..<1, using: &random) < weightZeros
            weights.append(zero ? 0 : Int8.random(in: -127...127, using: &random))
        }
        let emptyRow = Int.random(in: 0..<(shape.inputLength + 2), using: &random)
        let codes = zeroPointInput ? (0..<inputs).map { _ in UInt8.random(in: 1...255, using: &random) } : nil
        let rows = (0..<shape.inputLength).map { row in
            (0..<inputs).map { _ -> UInt8 in
                row == emptyRow || Double.random(in: 0..<1, using: &random) < activationZeros ? 0 : UInt8.random(in: 1...255, using: &random)
            }
        }
        let residual = withResidual
            ? (0..<shape.outputLength).map { _ in (0..<outputs).map { _ in UInt8.random(in: 0...255, using: &random) } } : nil
        let bias = (0..<outputs).map { _ in Int32.random(in: -20000...20000, using: &random) }
        return layer(shape: shape, weights: weights, rows: rows, paddingCodes: codes, bias: bias,
                     multiplier: 1.0 / Double(shape.kernelSize * inputs * 300), residual: residual)
    }

    /// Shapes like TC-ResNet's (stem, 9-tap stride 1 and 2, 1×1 stride-2 shortcut), scaled down.
    static let shapes = [
        TemporalConvShape(inputLength: 12, inputChannels: 5, outputChannels: 4, kernelSize: 3, stride: 1),
        TemporalConvShape(inputLength: 11, inputChannels: 3, outputChannels: 6, kernelSize: 9, stride: 2),
        TemporalConvShape(inputLength: 10, inputChannels: 4, outputChannels: 5, kernelSize: 9, stride: 1),
        TemporalConvShape(inputLength: 9, inputChannels: 4, outputChannels: 7, kernelSize: 1, stride: 2),
        TemporalConvShape(inputLength: 3, inputChannels: 2, outputChannels: 3, kernelSize: 9, stride: 2),
    ]

    /// The shipped models that carry int8 parameters (none in a checkout without Models/).
    static func shippedInt8Models() throws -> [TCResNetModel] {
        let directory = TestPaths.file("Models")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix("-int8.safetensors") }.sorted()
        return try files.map { try TCResNetModel.load(contentsOf: directory.appendingPathComponent($0)) }
    }

    /// The central 1 s window of each WAV in Samples/ (as `kws eval` frames a clip).
    static func sampleWindows(config: FrontEndConfig, limit: Int = .max) throws -> [[Float]] {
        let directory = TestPaths.file("Samples")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".wav") }.sorted()
        return try files.prefix(limit).map { file in
            let audio = try WAVDecoder.decode(contentsOf: directory.appendingPathComponent(file))
            let samples = audio.sampleRate == 16000 ? audio.samples : try Resampler.resample(audio.samples, from: audio.sampleRate, to: 16000)
            var second = [Float](repeating: 0, count: 16000)
            let offset = max(0, (samples.count - 16000) / 2)
            let count = min(16000, samples.count)
            second.replaceSubrange(0..<count, with: samples[offset..<offset + count])
            return try FeatureExtractor.features(of: second, config: config).values
        }
    }
}
