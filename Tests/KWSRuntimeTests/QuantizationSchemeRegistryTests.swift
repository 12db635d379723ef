import Foundation
import KWSRuntime
import KWSTestSupport
import XCTest

/// The registered ``QuantizationScheme``s are consistent with each other and with the shipped model files:
/// names, metadata keys and engine names are unique, every backend belongs to exactly one scheme, and
/// ``EngineKind/preferred(for:)`` picks the scheme Models/README.md documents for each file name.
final class QuantizationSchemeRegistryTests: XCTestCase {
    private let schemes = QuantizationSchemes.all

    func testNamesMetadataKeysAndEngineNamesAreUnique() {
        let names = schemes.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "scheme names: \(names)")
        let keys = schemes.compactMap(\.metadataKey)
        XCTAssertEqual(Set(keys).count, keys.count, "metadata keys: \(keys)")
        XCTAssertEqual(keys, ["quantization", "outlier_quantization", "highway"])
        let engines = schemes.flatMap(\.engines).map(\.rawValue)
        XCTAssertEqual(Set(engines).count, engines.count, "engine names: \(engines)")
        for scheme in schemes { XCTAssertFalse(scheme.engines.isEmpty, "\(scheme.name) runs on no engine") }
    }

    func testEngineKindsAreTheRegisteredEnginesInRegistryOrder() {
        XCTAssertEqual(EngineKind.allCases.map(\.rawValue), ["float", "int8", "int8-acc16", "zeroskip", "outlier", "highway"])
        for kind in EngineKind.allCases {
            XCTAssertEqual(EngineKind(rawValue: kind.rawValue), kind)
            XCTAssertEqual(QuantizationSchemes.running(kind)?.engines.contains(kind), true, "\(kind) has no scheme")
            XCTAssertEqual(schemes.filter { $0.engines.contains(kind) }.count, 1, "\(kind) in more than one scheme")
        }
        XCTAssertNil(EngineKind(rawValue: "int4"))
        XCTAssertNil(EngineKind(rawValue: ""))
    }

    func testPreferredPicksTheDocumentedSchemeForEveryShippedModel() throws {
        let directory = TestPaths.file("Models")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".safetensors") }.sorted()
        try XCTSkipIf(files.isEmpty, "no Models/*.safetensors")
        for file in files {
            let model = try TCResNetModel.load(contentsOf: directory.appendingPathComponent(file))
            let preferred = EngineKind.preferred(for: model)
            XCTAssertEqual(preferred, Self.documentedEngine(file), file)
            let scheme = try XCTUnwrap(QuantizationSchemes.running(preferred), file)
            XCTAssertTrue(scheme.isCarried(by: model), "\(file): preferred \(preferred) but \(scheme.name) not carried")
            XCTAssertEqual(try preferred.makeEngine(for: model).kind, preferred, file)
            for scheme in schemes {
                guard let key = scheme.metadataKey else { continue }
                XCTAssertEqual(scheme.isCarried(by: model), model.metadata[key] != nil, "\(file): \(scheme.name) vs \(key)")
            }
        }
    }

    /// Writing is the inverse of loading: for every shipped file, each scheme kws writes (float's copied tensors,
    /// int8, outlier) appends exactly the tensors the file stores for it, byte for byte.
    func testEverySchemeWritesBackTheTensorsOfEveryShippedFile() throws {
        let directory = TestPaths.file("Models")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".safetensors") }.sorted()
        try XCTSkipIf(files.isEmpty, "no Models/*.safetensors")
        for file in files {
            let source = try ModelFile.load(contentsOf: directory.appendingPathComponent(file))
            let model = try TCResNetModel(file: source)
            for scheme in schemes where scheme.isCarried(by: model) && !(scheme is HighwayScheme) && !(scheme is ZeroSkipScheme) {
                var writer = ModelFileWriter()
                try scheme.appendTensors(of: model, source: source, to: &writer)
                let written = try ModelFile(bytes: writer.encoded(), name: "\(file) as \(scheme.name)")
                XCTAssertFalse(written.tensors.isEmpty, "\(file): \(scheme.name) wrote nothing")
                for (name, info) in written.tensors.sorted(by: { $0.key < $1.key }) {
                    XCTAssertEqual(info.dtype, try source.tensor(name).dtype, "\(file): \(name)")
                    XCTAssertEqual(info.shape, try source.tensor(name).shape, "\(file): \(name)")
                    XCTAssertEqual(try written.rawBytes(name), try source.rawBytes(name), "\(file): \(name) bytes")
                }
            }
        }
    }

    func testASchemeNotInTheFileRefusesToBuildItsEngines() throws {
        let model = try TCResNetModel.load(contentsOf: TestPaths.file("Tests/KWSRuntimeTests/Fixtures/tc-resnet8-ref.safetensors"))
        XCTAssertEqual(EngineKind.preferred(for: model), .float)
        for kind in EngineKind.allCases where kind != .float {
            XCTAssertThrowsError(try kind.makeEngine(for: model), "\(kind) built for a float-only model")
        }
    }

    func testHighwayFilesAreNotWrittenByKWS() throws {
        let url = TestPaths.file("Tests/KWSRuntimeTests/Fixtures/tc-resnet8-ref.safetensors")
        let model = try TCResNetModel.load(contentsOf: url)
        var writer = ModelFileWriter()
        XCTAssertThrowsError(try HighwayScheme().appendTensors(of: model, source: ModelFile.load(contentsOf: url), to: &writer)) {
            XCTAssertEqual($0 as? SchemeWritingError, .notWritable(scheme: "highway", by: "Training/qat.py"))
        }
        XCTAssertThrowsError(try Int8Scheme().appendTensors(of: model, source: ModelFile.load(contentsOf: url), to: &writer)) {
            XCTAssertEqual($0 as? SchemeWritingError, .notCarried(scheme: "int8", model: model.name))
        }
    }

    /// Models/README.md's naming: `-hw<k>` files run highway, `-ol4-` files outlier, `-int8` files int8, the
    /// rest float.
    static func documentedEngine(_ file: String) -> EngineKind {
        if file.contains("-hw") { return .highway }
        if file.contains("-ol4-") { return .outlier }
        if file.contains("-int8") { return .int8 }
        return .float
    }
}
