/// A TC-ResNet variant (SPEC.md §1.3): the family's channel list scaled by a width multiplier.
public struct Architecture: Sendable, Equatable {
    /// The two depths of TC-ResNet.
    public enum Family: String, Sendable, CaseIterable {
        /// Stem and 3 residual blocks, each downsampling time by 2.
        case tcResNet8 = "tc-resnet8"
        /// Stem and 6 residual blocks; blocks 1, 3 and 5 keep width and time (identity shortcut).
        case tcResNet14 = "tc-resnet14"

        /// Channels at width multiplier 1: the stem's, then each block's output.
        public var baseChannels: [Int] {
            switch self {
            case .tcResNet8: return [16, 24, 32, 48]
            case .tcResNet14: return [16, 24, 24, 32, 32, 48, 48]
            }
        }
    }

    /// Largest width multiplier accepted, so a corrupt value cannot ask for absurd layer sizes
    /// (64 already gives 3,072-channel layers).
    public static let maximumWidthMultiplier = 64.0

    /// Which depth.
    public let family: Family
    /// The width multiplier `k`.
    public let widthMultiplier: Double
    /// `int(c · k)` for each of the family's base channels (Python truncation, as the trainer computes
    /// them): the stem's output channels, then each block's.
    public let channels: [Int]

    /// Nil unless `0 < widthMultiplier ≤` ``maximumWidthMultiplier`` and every layer keeps at least one channel.
    public init?(family: Family, widthMultiplier: Double) {
        guard widthMultiplier.isFinite, widthMultiplier > 0, widthMultiplier <= Self.maximumWidthMultiplier else {
            return nil
        }
        let channels = family.baseChannels.map { Int((Double($0) * widthMultiplier).rounded(.towardZero)) }
        guard channels.allSatisfy({ $0 >= 1 }) else { return nil }
        self.family = family
        self.widthMultiplier = widthMultiplier
        self.channels = channels
    }

    /// Residual blocks after the stem.
    public var blockCount: Int { channels.count - 1 }

    /// Whether block `index` changes width, and so downsamples time by 2 and has a projection shortcut.
    public func blockHasProjection(_ index: Int) -> Bool { channels[index] != channels[index + 1] }

    /// Short name as in the paper, e.g. `TC-ResNet14-1.5` (no suffix at width 1).
    public var displayName: String {
        let depth = family == .tcResNet8 ? "TC-ResNet8" : "TC-ResNet14"
        return widthMultiplier == 1 ? depth : "\(depth)-\(widthMultiplier.shortText)"
    }
}

extension Double {
    /// `1.5` → "1.5", `2.0` → "2": the shortest text that reads back as the same number.
    fileprivate var shortText: String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
