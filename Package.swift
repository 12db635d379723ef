// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kws",
    products: [
        .library(name: "KWS", targets: ["KWS"]),
        .executable(name: "kws", targets: ["kws"]),
        // The C API; `make install` installs it as libkws.so.1 (see include/kws.h).
        .library(name: "KWSCAPI", type: .dynamic, targets: ["CKWS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFTW",
            pkgConfig: "fftw3f",
            providers: [.apt(["libfftw3-dev"])]
        ),
        .target(name: "CKWSKernels"),
        // The front-end configuration that audio and model files share, and the FoundationEssentials gaps.
        .target(name: "KWSCore"),
        .target(name: "KWSAudio", dependencies: ["CFFTW", "CKWSKernels", "KWSCore"]),
        .target(name: "KWSRuntime", dependencies: ["CKWSKernels", "KWSCore"]),
        // Research tools off the inference path: sparsity statistics, the PE-array simulator, peak-rate probes.
        .target(name: "KWSAnalysis", dependencies: ["CKWSKernels", "KWSCore", "KWSRuntime"]),
        .target(name: "KWS", dependencies: ["KWSAudio", "KWSCore", "KWSRuntime"]),
        .systemLibrary(name: "CKWSHeader", path: "include"),
        .target(name: "CKWS", dependencies: ["KWS", "KWSAudio", "KWSRuntime", "CKWSHeader"]),
        .executableTarget(
            name: "kws",
            dependencies: ["KWS", "KWSAnalysis", "KWSAudio", "KWSCore", "KWSRuntime", "CKWSHeader", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "kws-bench",
            dependencies: ["KWS", "KWSAnalysis", "KWSAudio", "KWSCore", "KWSRuntime"],
            path: "Benchmarks/kws-bench"
        ),
        .target(name: "KWSTestSupport", dependencies: ["KWSAudio", "KWSCore", "KWSRuntime"], path: "Tests/KWSTestSupport"),
        .testTarget(name: "KWSAudioTests", dependencies: ["CKWSKernels", "KWSAudio", "KWSCore", "KWSTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "KWSRuntimeTests", dependencies: ["CKWSKernels", "KWSAnalysis", "KWSAudio", "KWSCore", "KWSRuntime", "KWSTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "KWSTests", dependencies: ["KWS", "KWSAudio", "KWSCore", "KWSRuntime", "KWSTestSupport"]),
        .testTarget(name: "KWSCLITests", dependencies: ["KWSAudio", "KWSTestSupport"]),
        .testTarget(name: "CAPITests", dependencies: ["CKWS", "CKWSHeader", "KWS", "KWSAudio", "KWSTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
