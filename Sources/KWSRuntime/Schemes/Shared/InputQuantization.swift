import CKWSKernels

/// The first step of every integer scheme: float MFCCs to u8 codes per coefficient
/// (``QuantizedInput``'s rule) with the kernel table's quantize entry, written into the input region.
struct InputQuantization {
    private let kernel: kws_quantize_f32_u8_config
    private let inverseScales: [Float]
    private let zeroPoints: [Int32]

    init(_ input: QuantizedInput, kernels: KernelTable) {
        kernel = kernels.entries.quantize_f32_u8
        inverseScales = input.inverseScales
        zeroPoints = input.zeroPoints.map(Int32.init)
    }

    /// Quantizes `features` (`region.length × region.channels`, time-major) into `region` of `arena`.
    func run(_ features: [Float], into arena: UnsafeMutablePointer<UInt8>, region: ArenaRegion) {
        guard let quantize = kernel.run else { preconditionFailure("kernel table has no quantize_f32_u8 entry") }
        features.withUnsafeBufferPointer { features in
            inverseScales.withUnsafeBufferPointer { inverse in
                zeroPoints.withUnsafeBufferPointer { zero in
                    quantize(region.length, region.channels, features.baseAddress, inverse.baseAddress, zero.baseAddress,
                             arena + region.interior)
                }
            }
        }
    }
}
