extension SampleEncoding {
    /// Converts interleaved little-endian samples to mono Float, averaging the channels of each frame.
    ///
    /// Integers are scaled exactly: s16 / 32768, s24 / 8388608, s32 / 2147483648 (after rounding the
    /// integer to Float), u8 (x − 128) / 128. Floats are taken as-is (binary64 rounded to nearest), except
    /// that a value that is not finite (after rounding) counts as 0 (``InputAudio/heard(_:)``), and so does a
    /// mix of huge finite values that overflows.
    /// A frame's channels are summed in Float in channel order, then divided by the channel count,
    /// so a reference implementation can reproduce every output bit.
    ///
    /// Only whole frames are decoded; trailing bytes of a partial frame are ignored (callers that
    /// stream keep them for the next call, see ``PCMDecoder``).
    ///
    /// - Parameters:
    ///   - bytes: interleaved sample bytes, starting at a frame boundary.
    ///   - channels: channels per frame; must be at least 1.
    /// - Returns: one Float per whole frame in `bytes`.
    public func monoSamples(fromInterleaved bytes: ArraySlice<UInt8>, channels: Int) -> [Float] {
        bytes.withUnsafeBytes { monoSamples(fromInterleavedRaw: $0, channels: channels) }
    }

    /// ``monoSamples(fromInterleaved:channels:)`` on borrowed memory, so a file read into `Data`
    /// is converted without first being copied into an array.
    func monoSamples(fromInterleavedRaw bytes: UnsafeRawBufferPointer, channels: Int) -> [Float] {
        guard channels >= 1 else { return [] }
        let frameSize = bytesPerSample * channels
        let frames = bytes.count / frameSize
        guard frames > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: frames) { output, initialized in
            downmix(bytes, channels: channels, frames: frames, into: output)
            initialized = frames
        }
    }

    /// Picks the loader for this encoding once, so the per-sample loop is specialised and branch-free.
    private func downmix(_ source: UnsafeRawBufferPointer, channels: Int, frames: Int,
                         into output: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .unsignedInt8: MonoDownmix<UnsignedInt8Loader>.run(source, channels, frames, output)
        case .signedInt16: MonoDownmix<SignedInt16Loader>.run(source, channels, frames, output)
        case .signedInt24: MonoDownmix<SignedInt24Loader>.run(source, channels, frames, output)
        case .signedInt32: MonoDownmix<SignedInt32Loader>.run(source, channels, frames, output)
        case .float32: MonoDownmix<Float32Loader>.run(source, channels, frames, output)
        case .float64: MonoDownmix<Float64Loader>.run(source, channels, frames, output)
        }
    }
}

/// Reads one little-endian sample at a byte address and converts it to Float.
private protocol SampleLoader {
    static var byteCount: Int { get }
    static func load(_ base: UnsafeRawPointer, _ offset: Int) -> Float
}

// Every scale below is a power of two, so multiplying by it is exactly the division the spec states.

private enum UnsignedInt8Loader: SampleLoader {
    static var byteCount: Int { 1 }
    @inline(__always) static func load(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Int32(base.load(fromByteOffset: offset, as: UInt8.self)) - 128) * (1 / 128)
    }
}

private enum SignedInt16Loader: SampleLoader {
    static var byteCount: Int { 2 }
    @inline(__always) static func load(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Int16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: Int16.self))) * (1 / 32768)
    }
}

private enum SignedInt24Loader: SampleLoader {
    static var byteCount: Int { 3 }
    @inline(__always) static func load(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
        let b0 = UInt32(base.load(fromByteOffset: offset, as: UInt8.self))
        let b1 = UInt32(base.load(fromByteOffset: offset + 1, as: UInt8.self))
        let b2 = UInt32(base.load(fromByteOffset: offset + 2, as: UInt8.self))
        // Place the 24 bits at the top of an Int32 and shift back arithmetically to sign-extend.
        let value = Int32(bitPattern: b0 << 8 | b1 << 16 | b2 << 24) >> 8
        return Float(value) * (1 / 8_388_608)
    }
}

private enum SignedInt32Loader: SampleLoader {
    static var byteCount: Int { 4 }
    @inline(__always) static func load(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Int32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: Int32.self))) * (1 / 2_147_483_648)
    }
}

private enum Float32Loader: SampleLoader {
    static var byteCount: Int { 4 }
    @inline(__always) static func load(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
        InputAudio.heard(Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
    }
}

private enum Float64Loader: SampleLoader {
    static var byteCount: Int { 8 }
    @inline(__always) static func load(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
        InputAudio.heard(Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))))
    }
}

/// The one loop that turns interleaved frames into mono, specialised per encoding.
private enum MonoDownmix<Loader: SampleLoader> {
    /// Caller guarantees `source` holds at least `frames` whole frames and `output` has `frames` slots.
    @inline(__always)
    static func run(_ source: UnsafeRawBufferPointer, _ channels: Int, _ frames: Int,
                    _ output: UnsafeMutableBufferPointer<Float>) {
        guard let base = source.baseAddress, let out = output.baseAddress else { return }
        let size = Loader.byteCount
        switch channels {
        case 1:
            for i in 0..<frames {
                out[i] = Loader.load(base, i * size)
            }
        case 2:
            // Halving is exact, so multiplying by 0.5 equals dividing by 2. Two huge finite floats can sum to
            // infinity: the mix obeys the same rule as each value (found by `make fuzz`, target pcm).
            for i in 0..<frames {
                let offset = i * 2 * size
                out[i] = InputAudio.heard((Loader.load(base, offset) + Loader.load(base, offset + size)) * 0.5)
            }
        default:
            let divisor = Float(channels)
            let frameSize = channels * size
            for i in 0..<frames {
                let frame = i * frameSize
                var sum = Loader.load(base, frame)
                for c in 1..<channels {
                    sum += Loader.load(base, frame + c * size)
                }
                out[i] = InputAudio.heard(sum / divisor)
            }
        }
    }
}
