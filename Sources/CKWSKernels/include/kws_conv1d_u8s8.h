#ifndef KWS_CONV1D_U8S8_H
#define KWS_CONV1D_U8S8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kws_isa.h"

/*
 * Quantized temporal convolution on channels-last u8 activations: u8 inputs x s8 weights -> s32
 * accumulators, requantized to u8 in the same pass (an implicit GEMM, as kws_conv1d_f32.h describes:
 * output step `t` reads the contiguous span of `depth = kernel_size * input_channels` bytes at
 * `input + t * stride * input_channels`).
 *
 * For every output step `t` and channel `o`:
 *
 *     acc  = bias[o] + sum_{q < depth} input[t * stride * C_in + q] * W[q][o]          (exact s32)
 *     acc += rescale(residual[t][o], residual_multiplier[o], residual_shift[o])          (residual only)
 *     output[t][o] = clamp(rescale(acc, multiplier[o], shift[o]), 0, 255)                (ReLU included)
 *
 * where `rescale(v, m, n) = floor((v * m + 2^(n-1)) / 2^n)` on 64-bit integers: one product and one
 * rounding shift (round half up), never floating point. `1 <= n <= 62`, `0 <= m < 2^31`; the requantization
 * multipliers are below 1 (`shift >= 31`), so `rescale(acc, ...)` always fits in s32.
 *
 * The caller guarantees that no s32 sum overflows (the model loader checks |bias| + depth * 255 * 128 +
 * 255 * residual multiplier < 2^31 per channel), so every variant computes the same integers and the
 * outputs are bit-identical across variants.
 *
 * Zero padding is the caller's job: `input` points at the first padding row. Every variant may read up to
 * `kws_conv1d_u8s8_packed_depth(depth) - depth` (< 4) bytes past the last row of the span; those bytes
 * meet zero weights, so their values do not matter, but they must be readable.
 *
 * Packed layouts (zero-filled past `depth` and `output_channels`), with `cp = packed_channels(C_out)` and
 * `dp = packed_depth(depth)`:
 *   - `weights_s8`: `[dp / 4][cp][4]`, four consecutive depth indices per output channel, the operand
 *     layout of `vpdpbusd`; read by the scalar and AVX-512 VNNI variants;
 *   - `weights_s16`: pairs widened to s16, `[dp / 2][cp][2]`, in one of two orders (the table entry's layout
 *     says which): consecutive depth indices (2p, 2p+1) for the NEON variant, or per depth quad `g` the
 *     even pair (4g, 4g+2) in pair row 2g and the odd pair (4g+1, 4g+3) in pair row 2g+1 for the AVX2
 *     variant (`vpmaddwd` on a broadcast quad masked or shifted into two s16 pairs);
 *   - `weights_pairs_s8`: `[dp / 2][cp][2]`, pairs for `vpmaddubsw`; read by the acc16 variants only.
 *   - `bias`, `multiplier`, `shift`, and, with a residual, `residual_multiplier`, `residual_shift`: `[cp]`.
 * `output` and `residual` are dense `[output_length][output_channels]`.
 */

/// Output channels in one packed row are rounded up to a multiple of this (one zmm of s32 lanes).
#define KWS_CONV1D_U8S8_CHANNEL_TILE 16
/// The depth (`kernel_size * input_channels`) is rounded up to a multiple of this (one `vpdpbusd` group).
#define KWS_CONV1D_U8S8_DEPTH_TILE 4
/// acc16 variants add this many `vpmaddubsw` pair sums in saturating s16 before widening to s32.
#define KWS_CONV1D_U8S8_ACC16_PAIRS 8

/// Shape of one temporal convolution.
typedef struct kws_conv1d_u8s8_shape {
    size_t output_length;
    size_t input_channels;
    size_t output_channels;
    size_t kernel_size;
    size_t stride;
} kws_conv1d_u8s8_shape;

/// The packed parameters of one layer; see the layout notes above.
typedef struct kws_conv1d_u8s8_params {
    const int8_t* weights_s8;
    const int16_t* weights_s16;
    const int8_t* weights_pairs_s8;
    const int32_t* bias;
    const int32_t* multiplier;
    const int32_t* shift;
    const int32_t* residual_multiplier;
    const int32_t* residual_shift;
} kws_conv1d_u8s8_params;

/// Entries in one packed row for `output_channels` outputs.
static inline size_t kws_conv1d_u8s8_packed_channels(size_t output_channels) {
    return (output_channels + KWS_CONV1D_U8S8_CHANNEL_TILE - 1) / KWS_CONV1D_U8S8_CHANNEL_TILE
        * KWS_CONV1D_U8S8_CHANNEL_TILE;
}

/// `depth` rounded up to a multiple of 4.
static inline size_t kws_conv1d_u8s8_packed_depth(size_t depth) {
    return (depth + KWS_CONV1D_U8S8_DEPTH_TILE - 1) / KWS_CONV1D_U8S8_DEPTH_TILE * KWS_CONV1D_U8S8_DEPTH_TILE;
}

/// `floor((value * multiplier + 2^(shift-1)) / 2^shift)`: the one requantization step every variant uses.
static inline int64_t kws_rescale_s64(int64_t value, int32_t multiplier, int32_t shift) {
    const int64_t product = value * (int64_t)multiplier;
    // Division by a power of two rounding toward -inf, written without shifting a negative number.
    const int64_t biased = product + ((int64_t)1 << (shift - 1));
    return biased >= 0 ? biased >> shift : -((-biased + ((int64_t)1 << shift) - 1) >> shift);
}

/// Plain C reference: one output row at a time.
void kws_conv1d_u8s8_1x1__scalar(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                 const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// AVX2: u8 and s8 widened to s16, `vpmaddwd` into s32 (exact), `weights_s16` in quad-pair order; tiles of
/// 2 steps x 32 channels.
void kws_conv1d_u8s8_2x32__avx2(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// AVX-512 VNNI: `vpdpbusd` into s32; tiles of 8 steps x 48 channels.
void kws_conv1d_u8s8_8x48__avx512vnni(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                      const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// aarch64 NEON (Armv8.0): u8 widened to s16 against the s16 pair layout (`weights_s16`), `vmulq_s16` (exact)
/// and `vpadalq_s16` into s32; tiles of 4 steps x 16 channels.
void kws_conv1d_u8s8_4x16__neon(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// aarch64 NEON + dot product (Armv8.2): `sdot` on inputs flipped to s8 (x - 128) against `weights_s8` quads,
/// the 128 * weight-sum restored in the starting accumulators (exact); tiles of 4 steps x 16 channels.
void kws_conv1d_u8s8_4x16__neondot(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                   const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// aarch64 NEON + int8 matrix multiply (i8mm, Armv8.6; chosen at the neondot level when the CPU has it):
/// `sudot` takes u8 x s8 directly, as `vpdpbusd` does; `weights_s8` quads, tiles of 4 steps x 16 channels.
void kws_conv1d_u8s8_4x16__neoni8mm(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                    const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// Runs `kws_kernels_for(isa)->conv1d_u8s8` (kws_kernel_table.h): the exact (s32-accumulating) variant for
/// `isa`, or the best one below it this CPU supports; `KWS_ISA_AVX512` means AVX-512 VNNI here. Engines hold
/// the table entry instead, and pack only the weight layout it names.
void kws_conv1d_u8s8(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                     const uint8_t* input, const uint8_t* residual, uint8_t* output);

/*
 * acc16: the int16-accumulation trade (SPEC.md, "mobile CPU int8 trick"). `vpmaddubsw` multiplies u8 by s8
 * and adds each pair into a saturating s16; KWS_CONV1D_U8S8_ACC16_PAIRS such pair sums are added with
 * saturating s16 adds before being widened into the s32 accumulator. Not exact: saturation changes results
 * whenever a pair sum or partial sum leaves [-32768, 32767]. The scalar variant emulates the same
 * saturating arithmetic, so both acc16 variants agree bit for bit.
 */

/// Scalar emulation of the acc16 arithmetic.
void kws_conv1d_u8s8_acc16_1x1__scalar(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                       const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// AVX2 `vpmaddubsw` + `vpaddsw`; tiles of 4 steps x 16 channels.
void kws_conv1d_u8s8_acc16_4x16__avx2(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                      const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// Runs `kws_kernels_for(isa)->conv1d_u8s8_acc16` (AVX2 when `isa >= KWS_ISA_AVX2` and supported, else scalar).
void kws_conv1d_u8s8_acc16(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                           const uint8_t* input, const uint8_t* residual, uint8_t* output);

/*
 * Input quantization: `output[t][c] = clamp(round_half_even(clamp(input[t][c] * inverse_scale[c], -256, 256))
 * + zero_point[c], 0, 255)` for `length` rows of `channels` values; NaN maps to 0 (as -256 would).
 */

/// Portable C.
void kws_quantize_f32_u8__scalar(size_t length, size_t channels, const float* input, const float* inverse_scale,
                                 const int32_t* zero_point, uint8_t* output);

/// AVX2, 8 channels at a time.
void kws_quantize_f32_u8__avx2(size_t length, size_t channels, const float* input, const float* inverse_scale,
                               const int32_t* zero_point, uint8_t* output);

/// AVX-512 (on the VNNI level), 16 channels at a time with a masked remainder.
void kws_quantize_f32_u8__avx512(size_t length, size_t channels, const float* input, const float* inverse_scale,
                                 const int32_t* zero_point, uint8_t* output);

/// aarch64 NEON, 8 channels at a time (`fcvtns` rounds half to even).
void kws_quantize_f32_u8__neon(size_t length, size_t channels, const float* input, const float* inverse_scale,
                               const int32_t* zero_point, uint8_t* output);

/// Runs `kws_kernels_for(isa)->quantize_f32_u8`.
void kws_quantize_f32_u8(kws_isa isa, size_t length, size_t channels, const float* input,
                         const float* inverse_scale, const int32_t* zero_point, uint8_t* output);

/// Peak-rate probe: `iterations` rounds of 24 independent `vpdpbusd` on in-register data (no memory
/// traffic), returning a value derived from the accumulators so the loop is not removed. Each round is
/// 24 x 64 = 1,536 u8 x s8 multiply-accumulates. Returns 0 without running when VNNI is not supported.
int64_t kws_vnni_peak_probe(size_t iterations);

#endif
