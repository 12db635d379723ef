/// What a ``QuantizationScheme`` reads its tensors with: the file and the geometry its float header set.
public struct SchemeLoadingContext: Sendable {
    /// The model file being loaded.
    public let file: ModelFile
    /// Depth and width, from the metadata.
    public let architecture: Architecture
    /// Feature frames per window.
    public let inputFrames: Int
    /// MFCC coefficients per frame.
    public let inputCoefficients: Int
    /// Labels, hence classifier rows.
    public let labelCount: Int

    /// Whether the file's metadata has `key` (false for nil: a scheme without a key stores nothing).
    public func stores(_ key: String?) -> Bool {
        key.map { file.metadata[$0] != nil } ?? false
    }
}
