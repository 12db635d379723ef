import Foundation
import KWSRuntime
import XCTest

final class KernelISATests: XCTestCase {
    func testDetectionAndClamping() {
        XCTAssertTrue(KernelISA.scalar.isSupported)
        XCTAssertTrue(KernelISA.detected.isSupported)
        XCTAssertEqual(KernelISA.supported.last, KernelISA.detected)
        XCTAssertTrue(KernelISA.preferred <= KernelISA.detected)
        for isa in KernelISA.allCases {
            let clamped = isa.clampedToSupported()
            XCTAssertTrue(clamped.isSupported)
            XCTAssertTrue(clamped <= isa)
        }
        print("kernel ISA detected: \(KernelISA.detected), supported: \(KernelISA.supported)")
    }

    func testEnvironmentNames() {
        XCTAssertEqual(KernelISA(environmentValue: "scalar"), .scalar)
        XCTAssertEqual(KernelISA(environmentValue: "AVX2"), .avx2)
        XCTAssertEqual(KernelISA(environmentValue: "avx2fma"), .avx2)
        XCTAssertEqual(KernelISA(environmentValue: " avx512 "), .avx512)
        XCTAssertEqual(KernelISA(environmentValue: "avx512f"), .avx512)
        XCTAssertNil(KernelISA(environmentValue: "neon"))
        XCTAssertNil(KernelISA(environmentValue: ""))
    }

    func testEnvironmentVariableLowersPreferredLevel() {
        defer { unsetenv(KernelISA.environmentVariable) }
        setenv(KernelISA.environmentVariable, "scalar", 1)
        XCTAssertEqual(KernelISA.preferred, .scalar)
        setenv(KernelISA.environmentVariable, "avx2", 1)
        XCTAssertEqual(KernelISA.preferred, KernelISA.avx2.clampedToSupported())
        setenv(KernelISA.environmentVariable, "sse9", 1)
        XCTAssertEqual(KernelISA.preferred, KernelISA.detected, "unknown names are ignored")
        unsetenv(KernelISA.environmentVariable)
        XCTAssertEqual(KernelISA.preferred, KernelISA.detected)
    }

    func testEngineLowersUnsupportedLevel() throws {
        let model = try ReferenceFixtures.model("tc-resnet14-0.5-ref.safetensors")
        for isa in KernelISA.allCases {
            XCTAssertEqual(FloatEngine(model: model, isa: isa).isa, isa.clampedToSupported())
        }
    }
}
