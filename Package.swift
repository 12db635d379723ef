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
        .target(name: "KWSAudio", dependencies: ["CFFTW", "CKWSKernels"]),
        .target(name: "KWSRuntime", dependencies: ["CKWSKernels", "KWSAudio"]),
        .target(name: "KWS", dependencies: ["KWSAudio", "KWSRuntime"]),
        .systemLibrary(name: "CKWSHeader", path: "include"),
        .target(name: "CKWS", dependencies: ["KWS", "KWSAudio", "KWSRuntime", "CKWSHeader"]),
        .executableTarget(
            name: "kws",
            dependencies: ["KWS", "KWSAudio", "KWSRuntime", "CKWSHeader", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "kws-bench",
            dependencies: ["KWS", "KWSAudio", "KWSRuntime"],
            path: "Benchmarks/kws-bench"
        ),
        .target(name: "KWSTestSupport", dependencies: ["KWSAudio"], path: "Tests/KWSTestSupport"),
        .testTarget(name: "KWSAudioTests", dependencies: ["KWSAudio", "KWSTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "KWSRuntimeTests", dependencies: ["KWSRuntime", "KWSTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "KWSTests", dependencies: ["KWS", "KWSAudio", "KWSRuntime", "KWSTestSupport"]),
        .testTarget(name: "KWSCLITests", dependencies: ["KWSAudio", "KWSTestSupport"]),
        .testTarget(name: "CAPITests", dependencies: ["CKWS", "CKWSHeader", "KWS", "KWSAudio", "KWSTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
