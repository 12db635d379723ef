/// Element types of the safetensors format, spelled as in its header.
public enum TensorDType: String, Sendable, CaseIterable {
    /// IEEE floating point of 64, 32 and 16 bits, and bfloat16.
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    /// 8-bit floating point (OCP FP8 formats).
    case f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2"
    /// Signed two's-complement integers.
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
    /// Unsigned integers.
    case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8"
    /// One byte per boolean.
    case bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .f8e4m3, .f8e5m2, .i8, .u8, .bool: return 1
        }
    }
}
