#ifndef KWS_CONV1D_HW_H
#define KWS_CONV1D_HW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kws_conv1d_u8s8.h"
#include "kws_isa.h"

/*
 * Precision-highway kernels (SPEC.md §3.3): the residual branch of every block runs on k-bit codes
 * (k = 2 or 4) while the trunk, the projection shortcuts and the residual adds stay 8-bit.
 *
 * A branch convolution is the u8 x s8 -> s32 convolution of kws_conv1d_u8s8.h (same formula, same fused
 * residual/requantize/ReLU epilogue, same `kws_conv1d_u8s8_params` with `weights_s8` in the quad layout
 * `[dp / 4][cp][4]`) on narrow operands: input codes 0..2^k - 1 <= 15 and weight codes within +-(2^(k-1) - 1)
 * <= 7. The weights stay packed (k bits each) until the layer runs; `kws_hw_unpack` expands them into a
 * scratch quad operand first. Stages, each with a scalar reference and SIMD variants, all bit-identical
 * (integer arithmetic only):
 *
 *   1. kws_hw_unpack: packed codes -> s8 quads (mask, shift, sign-extend by xor/sub).
 *   2. kws_conv1d_hw: the convolution. AVX-512 VNNI and scalar are the int8 kernels (kws_conv1d_u8s8_8x48
 *      __avx512vnni, kws_conv1d_u8s8_1x1__scalar) on the unpacked quads: on x86 there is no narrower multiply,
 *      so `vpdpbusd` on bytes is already the fastest path. AVX2 uses the narrow operands: `vpmaddubsw` pair
 *      sums are at most 2 * 15 * 7 = 210 in magnitude, so KWS_CONV1D_HW_S16_GROUPS = 64 groups of them add
 *      exactly in s16 lanes (<= 13,440) before one `vpmaddwd` widens them to s32: about half the
 *      instructions of the int8 AVX2 kernel, which must widen u8 to s16 before every multiply.
 *   3. kws_hw_requantize_u8: the element-wise u8 -> k-bit requantization of a trunk tensor into its branch
 *      input, `min(max, (x * m + r) >> n)` with r = 2^(n-1) (0 when n = 0), m < 2^23, n <= 31 (so
 *      x * m + r < 2^32 in unsigned 32-bit lanes); with m = 1,
 *      n = 0 it is the clamp of conv1's output to the k-bit range.
 *
 * Packed layout (the kernel order, built by the engine at load time from the file's PyTorch order): the
 * quad operand's `dp * cp` s8 codes, in blocks of 32 bytes. 4-bit: byte j (0..31) of block b holds code
 * 64b + j in its low nibble and 64b + 32 + j in its high nibble. 2-bit: byte j holds codes 128b + 32i + j in
 * bits 2i..2i+1 (i = 0..3). Two's complement; the count is padded with zero codes to whole blocks.
 */

/// s16 pair sums the AVX2 branch kernel adds per lane before widening to s32 (exact for |w| <= 7, x <= 15).
#define KWS_CONV1D_HW_S16_GROUPS 64
/// Bytes in one packed block.
#define KWS_HW_BLOCK_BYTES 32

/// Codes in one packed block of `bits`-bit codes (64 for 4-bit, 128 for 2-bit).
static inline size_t kws_hw_block_codes(int bits) { return (size_t)(KWS_HW_BLOCK_BYTES * 8 / bits); }

/// Stage 1: expands `blocks` packed blocks of `bits`-bit codes (2 or 4) into s8 codes
/// (`blocks * kws_hw_block_codes(bits)` bytes).
void kws_hw_unpack__scalar(int bits, size_t blocks, const uint8_t* packed, int8_t* codes);
void kws_hw_unpack__avx2(int bits, size_t blocks, const uint8_t* packed, int8_t* codes);
void kws_hw_unpack__avx512(int bits, size_t blocks, const uint8_t* packed, int8_t* codes);
void kws_hw_unpack__neon(int bits, size_t blocks, const uint8_t* packed, int8_t* codes);
void kws_hw_unpack(kws_isa isa, int bits, size_t blocks, const uint8_t* packed, int8_t* codes);

/// Stage 2 on AVX2: tiles of 4 steps x 24 channels, `vpmaddubsw` into s16, widened every
/// KWS_CONV1D_HW_S16_GROUPS groups. Reads `weights_s8` (quads) only.
void kws_conv1d_hw_4x24__avx2(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                              const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// Stage 2 on aarch64 without the dot product: tiles of 4 steps x 8 channels, `smlal` of the narrow s8
/// operands into s16, widened every KWS_CONV1D_HW_S16_GROUPS groups. With the dot product the int8 kernel
/// (kws_conv1d_u8s8_4x16__neondot) runs the branch: SDOT is already 16 products per instruction.
void kws_conv1d_hw_4x8__neon(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                             const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// Stage 2 for `isa` (the best supported variant at or below it; AVX-512 means AVX-512 VNNI here, as in
/// kws_conv1d_u8s8). The caller guarantees input codes <= 15, |weights| <= 7 and the s32 headroom rule of
/// kws_conv1d_u8s8.h; requantization multipliers may exceed 1 as long as every result fits in s32.
void kws_conv1d_hw(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                   const uint8_t* input, const uint8_t* residual, uint8_t* output);

/// Stage 3: `output[i] = min(maximum, (input[i] * multiplier + r) >> shift)` for `count` bytes (in place
/// allowed); `multiplier < 2^23`, `shift <= 31`.
void kws_hw_requantize_u8__scalar(size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                                  const uint8_t* input, uint8_t* output);
void kws_hw_requantize_u8__avx2(size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                                const uint8_t* input, uint8_t* output);
void kws_hw_requantize_u8__avx512(size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                                  const uint8_t* input, uint8_t* output);
void kws_hw_requantize_u8__neon(size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                                const uint8_t* input, uint8_t* output);
void kws_hw_requantize_u8(kws_isa isa, size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                          const uint8_t* input, uint8_t* output);

#endif
