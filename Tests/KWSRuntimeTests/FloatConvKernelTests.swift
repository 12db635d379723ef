@testable import KWSRuntime
import KWSTestSupport
import XCTest

/// Every C kernel variant against a plain Swift convolution (Double accumulation, explicit padding
/// checks) and against the scalar variant.
final class FloatConvKernelTests: XCTestCase {
    struct Case { let length, inputs, outputs, kernel, stride: Int }

    static let cases: [Case] = [
        Case(length: 98, inputs: 40, outputs: 16, kernel: 3, stride: 1),   // stem
        Case(length: 98, inputs: 16, outputs: 24, kernel: 9, stride: 2),   // first downsampling conv
        Case(length: 98, inputs: 16, outputs: 24, kernel: 1, stride: 2),   // its shortcut
        Case(length: 49, inputs: 24, outputs: 24, kernel: 9, stride: 1),
        Case(length: 13, inputs: 48, outputs: 48, kernel: 9, stride: 1),
        Case(length: 25, inputs: 36, outputs: 72, kernel: 9, stride: 2),   // k = 1.5: over 64 channels
        Case(length: 7, inputs: 5, outputs: 7, kernel: 3, stride: 1),      // channels not a multiple of 8
        Case(length: 11, inputs: 13, outputs: 17, kernel: 3, stride: 2),   // odd T, 16 + 1 channels
        Case(length: 5, inputs: 3, outputs: 12, kernel: 9, stride: 1),     // T shorter than the kernel
        Case(length: 4, inputs: 9, outputs: 33, kernel: 9, stride: 2),     // T shorter than the kernel, stride 2
        Case(length: 1, inputs: 1, outputs: 1, kernel: 1, stride: 1),
        Case(length: 1, inputs: 2, outputs: 3, kernel: 9, stride: 2),
        Case(length: 31, inputs: 8, outputs: 130, kernel: 1, stride: 1),
        Case(length: 17, inputs: 19, outputs: 23, kernel: 5, stride: 3),
    ]

    /// Deterministic values in [-1, 1).
    struct Values {
        var state: UInt32
        mutating func next() -> Float {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 23) - 1
        }
        mutating func array(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
    }

    /// The straightforward definition: zero padding by bounds checks, sums in Double.
    static func reference(_ conv: TemporalConv, input: [Float], residual: [Float]?, relu: Bool) -> [Float] {
        let shape = conv.shape
        var output = [Float](repeating: 0, count: shape.outputLength * shape.outputChannels)
        for t in 0..<shape.outputLength {
            for o in 0..<shape.outputChannels {
                var sum = Double(conv.bias[o])
                for j in 0..<shape.kernelSize {
                    let row = t * shape.stride + j - shape.padding
                    guard row >= 0, row < shape.inputLength else { continue }
                    for i in 0..<shape.inputChannels {
                        sum += Double(input[row * shape.inputChannels + i]) * Double(conv.weight(output: o, input: i, tap: j))
                    }
                }
                if let residual { sum += Double(residual[t * shape.outputChannels + o]) }
                output[t * shape.outputChannels + o] = Float(relu ? max(sum, 0) : sum)
            }
        }
        return output
    }

    /// `input` with `padding` zero rows before and enough after for the kernel's last window.
    static func padded(_ input: [Float], _ packed: PackedFloatConv) -> [Float] {
        let shape = packed.shape
        let before = [Float](repeating: 0, count: shape.padding * shape.inputChannels)
        let afterRows = packed.paddedInputLength - shape.padding - shape.inputLength
        // When the kernel needs fewer rows than the input has (stride > 1), keep only the rows it reads.
        if afterRows < 0 {
            return Array((before + input).prefix(packed.paddedInputLength * shape.inputChannels))
        }
        return before + input + [Float](repeating: 0, count: afterRows * shape.inputChannels)
    }

    static func makeConv(_ c: Case, values: inout Values) -> TemporalConv {
        let shape = TemporalConvShape(inputLength: c.length, inputChannels: c.inputs, outputChannels: c.outputs,
                                      kernelSize: c.kernel, stride: c.stride)
        return TemporalConv(name: "test", shape: shape, weights: values.array(shape.weightCount),
                            bias: values.array(c.outputs))
    }

    static func assertClose(_ actual: [Float], _ expected: [Float], relative: Float, _ message: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, message, file: file, line: line)
        for (index, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > relative * max(1, abs(e)) {
            XCTFail("\(message): element \(index) is \(a), expected \(e)", file: file, line: line)
            return
        }
    }

    func testEveryVariantMatchesReference() {
        var values = Values(state: 7)
        for c in Self.cases {
            let conv = Self.makeConv(c, values: &values)
            let packed = PackedFloatConv(conv)
            let input = values.array(c.length * c.inputs).map { $0 * 4 }
            let residual = values.array(conv.shape.outputLength * c.outputs)
            for (useResidual, relu) in [(false, false), (false, true), (true, true), (true, false)] {
                let expected = Self.reference(conv, input: input, residual: useResidual ? residual : nil, relu: relu)
                for isa in KernelISA.supported {
                    let actual = packed.apply(paddedInput: Self.padded(input, packed), residual: useResidual ? residual : nil,
                                              relu: relu, isa: isa)
                    Self.assertClose(actual, expected, relative: 1e-4,
                                     "\(isa) T=\(c.length) Cin=\(c.inputs) Cout=\(c.outputs) k=\(c.kernel) s=\(c.stride) residual=\(useResidual) relu=\(relu)")
                }
            }
        }
    }

    /// Random shapes: each SIMD variant against the scalar one (the harness XNNPACK-style testers use).
    func testVariantsAgreeWithScalarOnRandomShapes() throws {
        var values = Values(state: 99)
        var generator = SplitMix64(seed: 42)
        let variants = KernelISA.supported.filter { $0 != .scalar }
        try XCTSkipIf(variants.isEmpty, "no SIMD variant on this CPU: nothing to compare with the scalar kernel")
        for _ in 0..<150 {
            let c = Case(length: Int.random(in: 1...40, using: &generator), inputs: Int.random(in: 1...50, using: &generator),
                         outputs: Int.random(in: 1...100, using: &generator), kernel: [1, 3, 5, 9].randomElement(using: &generator)!,
                         stride: Int.random(in: 1...2, using: &generator))
            let conv = Self.makeConv(c, values: &values)
            let packed = PackedFloatConv(conv)
            let input = Self.padded(values.array(c.length * c.inputs), packed)
            let residual = Bool.random(using: &generator) ? values.array(conv.shape.outputLength * c.outputs) : nil
            let relu = Bool.random(using: &generator)
            let scalar = packed.apply(paddedInput: input, residual: residual, relu: relu, isa: .scalar)
            for isa in variants {
                Self.assertClose(packed.apply(paddedInput: input, residual: residual, relu: relu, isa: isa), scalar,
                                 relative: 1e-4, "\(isa) vs scalar, \(c)")
            }
        }
    }

    func testPackingPadsChannelsWithZeros() {
        var values = Values(state: 3)
        let conv = Self.makeConv(Case(length: 4, inputs: 2, outputs: 18, kernel: 3, stride: 1), values: &values)
        let packed = PackedFloatConv(conv)
        XCTAssertEqual(PackedFloatConv.paddedChannels(18), 32)
        XCTAssertEqual(packed.weights.count, 3 * 2 * 32)
        XCTAssertEqual(packed.weights[(2 * 2 + 1) * 32 + 17], conv.weight(output: 17, input: 1, tap: 2))
        XCTAssertEqual(packed.weights[(2 * 2 + 1) * 32 + 18], 0)
        XCTAssertEqual(packed.bias[18..<32].allSatisfy { $0 == 0 }, true)
    }
}
