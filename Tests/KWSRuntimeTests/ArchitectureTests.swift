import KWSRuntime
import XCTest

/// Layer geometry, MACs and parameter counts against TC_TABLES.md / SPEC.md §1.4.
final class ArchitectureTests: XCTestCase {
    struct TableRow { let family: Architecture.Family; let width: Double; let channels: [Int]
                      let weights: Int; let batchNormChannels: Int; let variables: Int; let macs: Int }

    static let table = [
        TableRow(family: .tcResNet8, width: 1, channels: [16, 24, 32, 48], weights: 64_512, batchNormChannels: 328,
                 variables: 65_920, macs: 1_522_560),
        TableRow(family: .tcResNet8, width: 1.5, channels: [24, 36, 48, 72], weights: 143_280, batchNormChannels: 492,
                 variables: 145_392, macs: 3_284_208),
        TableRow(family: .tcResNet14, width: 1, channels: [16, 24, 24, 32, 32, 48, 48], weights: 134_784,
                 batchNormChannels: 536, variables: 137_024, macs: 3_030_528),
        TableRow(family: .tcResNet14, width: 1.5, channels: [24, 36, 36, 48, 48, 72, 72], weights: 301_392,
                 batchNormChannels: 804, variables: 304_752, macs: 6_677_136),
    ]

    func testTotalsMatchTCTables() throws {
        for row in Self.table {
            let architecture = try XCTUnwrap(Architecture(family: row.family, widthMultiplier: row.width))
            let name = architecture.displayName
            XCTAssertEqual(architecture.channels, row.channels, name)
            XCTAssertEqual(architecture.weightCount(inputCoefficients: 40, labelCount: 12), row.weights, name)
            XCTAssertEqual(architecture.batchNormChannels, row.batchNormChannels, name)
            XCTAssertEqual(architecture.repositoryVariableCount(inputCoefficients: 40, labelCount: 12), row.variables, name)
            XCTAssertEqual(architecture.macs(inputFrames: 98, inputCoefficients: 40, labelCount: 12), row.macs, name)
        }
    }

    func testTCResNet8LayerRows() throws {
        let architecture = try XCTUnwrap(Architecture(family: .tcResNet8, widthMultiplier: 1))
        let shapes = architecture.convolutionShapes(inputFrames: 98, inputCoefficients: 40)
        // (C_in, C_out, T_out, weights, MACs) of TC_TABLES.md, execution order (shortcut first).
        let rows: [(Int, Int, Int, Int, Int)] = [
            (40, 16, 98, 1920, 188_160), (16, 24, 49, 384, 18_816), (16, 24, 49, 3456, 169_344),
            (24, 24, 49, 5184, 254_016), (24, 32, 25, 768, 19_200), (24, 32, 25, 6912, 172_800),
            (32, 32, 25, 9216, 230_400), (32, 48, 13, 1536, 19_968), (32, 48, 13, 13_824, 179_712),
            (48, 48, 13, 20_736, 269_568),
        ]
        XCTAssertEqual(shapes.count, rows.count)
        for (shape, row) in zip(shapes, rows) {
            XCTAssertEqual(shape.inputChannels, row.0)
            XCTAssertEqual(shape.outputChannels, row.1)
            XCTAssertEqual(shape.outputLength, row.2)
            XCTAssertEqual(shape.weightCount, row.3)
            XCTAssertEqual(shape.macs, row.4)
        }
    }

    func testSymmetricPaddingLengths() {
        // ⌊(T + 2·(k/2) − k)/s⌋ + 1
        for (length, kernel, stride, expected) in [(98, 9, 2, 49), (49, 9, 2, 25), (25, 9, 2, 13), (98, 1, 2, 49),
                                                   (49, 1, 2, 25), (25, 1, 2, 13), (98, 3, 1, 98), (13, 9, 1, 13),
                                                   (3, 9, 1, 3), (1, 9, 2, 1), (2, 9, 2, 1), (7, 3, 2, 4)] {
            let shape = TemporalConvShape(inputLength: length, inputChannels: 1, outputChannels: 1, kernelSize: kernel, stride: stride)
            XCTAssertEqual(shape.outputLength, expected, "T=\(length) k=\(kernel) s=\(stride)")
            XCTAssertEqual(shape.padding, kernel / 2)
        }
    }

    func testWidthMultipliers() {
        XCTAssertEqual(Architecture(family: .tcResNet8, widthMultiplier: 0.5)?.channels, [8, 12, 16, 24])
        XCTAssertEqual(Architecture(family: .tcResNet8, widthMultiplier: 0.75)?.channels, [12, 18, 24, 36])
        XCTAssertEqual(Architecture(family: .tcResNet14, widthMultiplier: 0.5)?.channels, [8, 12, 12, 16, 16, 24, 24])
        // Python int() truncation: 16·0.3 = 4.8 → 4, 24·0.3 = 7.199… → 7.
        XCTAssertEqual(Architecture(family: .tcResNet8, widthMultiplier: 0.3)?.channels, [4, 7, 9, 14])
        XCTAssertEqual(Architecture(family: .tcResNet8, widthMultiplier: 2)?.displayName, "TC-ResNet8-2")
        XCTAssertEqual(Architecture(family: .tcResNet14, widthMultiplier: 1.5)?.displayName, "TC-ResNet14-1.5")
        for bad in [0, -1, 0.01, .nan, .infinity, Architecture.maximumWidthMultiplier + 1] {
            XCTAssertNil(Architecture(family: .tcResNet8, widthMultiplier: bad), "\(bad)")
        }
    }

    func testTensorSpecsFollowFormat() throws {
        let architecture = try XCTUnwrap(Architecture(family: .tcResNet14, widthMultiplier: 1))
        let specs = architecture.tensorSpecs(inputCoefficients: 40, labelCount: 12)
        let names = Set(specs.map(\.name))
        XCTAssertEqual(names.count, specs.count)
        // Stem 5 + 3 projection blocks × 15 + 3 identity blocks × 10 + fc.
        XCTAssertEqual(specs.count, 5 + 45 + 30 + 1)
        XCTAssertTrue(names.contains("blocks.4.shortcut.conv.weight"))
        XCTAssertFalse(names.contains("blocks.5.shortcut.conv.weight"))
        XCTAssertEqual(specs.first { $0.name == "blocks.2.conv1.weight" }?.shape, [32, 24, 9])
        XCTAssertEqual(specs.last?.shape, [12, 48])
    }
}
