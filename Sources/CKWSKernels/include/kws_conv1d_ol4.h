#ifndef KWS_CONV1D_OL4_H
#define KWS_CONV1D_OL4_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kws_conv1d_u8s8.h"
#include "kws_isa.h"

/*
 * Outlier-aware 4-bit temporal convolution (OLAccel / value-aware quantization, SPEC.md §3): dense 4-bit
 * weights and activations, plus sparse high-precision outliers, all accumulated exactly in s32.
 *
 * Values (all integers, in the layer's steps):
 *   - weight codes `W[q][o]` in -127..127 (`q = tap * C_in + input`, the flattened receptive field). A code in
 *     -7..7 is dense (a signed nibble); one outside is an 8-bit outlier, stored sparsely, and its nibble is 0.
 *     The stem has plain s8 weights (`weights_s8`) and no outliers.
 *   - activation codes in 0..code_max (the producer's `code_max`: 15 when its tensor has no outliers,
 *     else up to 65535). A code <= 15 sits in the dense u8 array; a larger one is an outlier: its dense byte
 *     is 0 and it is listed as a `kws_ol4_outlier` (16-bit value). The stem's input is u8 MFCC codes (0..255,
 *     with zero points in its padding rows) and has no outlier list.
 *
 * For every output step `t` and channel `o` (x = the full input codes, dense + outliers, padded as
 * kws_conv1d_u8s8.h describes; r = the full residual codes):
 *
 *     acc  = bias[o] + sum_q x[t * stride * C_in + q] * W[q][o]                          (exact s32)
 *     acc += rescale(r[t][o], residual_multiplier[o], residual_shift[o])                  (residual only)
 *     y    = clamp(rescale(acc, multiplier[o], shift[o]), 0, code_max)                    (ReLU included)
 *     output[t][o] = y <= 15 ? y : 0, and y > 15 is appended to the output outlier list
 *
 * Stages (kws_conv1d_ol4 runs them in this order; each has a scalar reference and SIMD variants, all
 * bit-identical because every step is exact integer arithmetic):
 *   1. unpack: the packed nibbles become s8 codes in the `weights_s8` quad layout of kws_conv1d_u8s8.h
 *      (`[dp / 4][cp][4]`) in a scratch buffer, SIMD (mask, shift, sign-extend by xor/sub);
 *   2. weight outliers: each 8-bit outlier is stored into its slot of that scratch operand (one byte store per
 *      outlier, the CPU counterpart of OLAccel's extra MAC per lane group: the 8-bit MAC units are native
 *      width, so an outlier weight costs nothing in the dense pass, whereas a separate accumulator pass would
 *      cost output_length multiply-adds per outlier);
 *   3. dense pass: acc[t][o] = bias[o] + sum_q dense_x * W over the dense u8 array into an s32 buffer
 *      `acc` (`[output_length][cp]`): `vpdpbusd` (AVX-512 VNNI), `vpmaddubsw` (AVX2) or plain C;
 *   4. sparse pass: each input activation outlier (value v at row r, channel i) adds v * W[tap * C_in + i][o]
 *      to acc[t][o] for every output step t whose receptive field holds row r at some tap, for all o, SIMD
 *      over o; each residual outlier adds rescale(v) to its accumulator;
 *   5. epilogue: residual (dense part), requantization, ReLU, clamp to code_max, split into the dense u8 output
 *      and the output outlier list (ascending t, then o).
 *
 * AVX2 exactness: `vpmaddubsw` saturates pair sums to s16. Dense inputs are <= 15 (4-bit codes) and weights
 * are within +-127, so a pair is at most 2 * 15 * 127 = 3,810 in magnitude and
 * KWS_CONV1D_OL4_S16_GROUPS = 8 groups (8 pairs per s16 lane) stay within 30,480 before they are widened to
 * s32. The stem's u8 input is split into two nibbles (x = lo + 16 * hi) to keep the same bound.
 *
 * s32 headroom: the caller guarantees, per output channel, |bias| + sum_q |W[q][o]| * input_code_max
 * + rescale(residual_code_max) + 1 < 2^31 (the model loader checks it), so no sum wraps in any order.
 *
 * Layouts, with cp = kws_conv1d_u8s8_packed_channels(C_out) and dp = kws_conv1d_u8s8_packed_depth(K * C_in):
 *   - `weights_s4`: `dp * cp / 2` bytes. The quad layout in blocks of 64 codes (16 channels x 4 depth
 *     indices, one zmm): byte `j` (0..31) of block `b` holds code `64b + j` in its low nibble and code
 *     `64b + 32 + j` in its high nibble, two's complement. Unpacking a block is one mask, one shift, one
 *     xor/sub pair; AVX2 does it as two 32-code halves.
 *   - `weight_outlier_offsets`: byte offsets into the quad layout, `((q / 4) * cp + o) * 4 + q % 4`.
 *   - `bias`, `multiplier`, `shift`, `residual_multiplier`, `residual_shift`: `[cp]` (padding channels hold
 *     0, 0, 1, 0, 1 so their lanes compute harmless values).
 *   - `input`, `output`, `residual`: dense u8 `[rows][channels]`; `input` points at the layer's first padding
 *     row and may be read up to 4 bytes past its span (those bytes meet zero weights).
 *   - outlier rows count from the tensor's first real row; `input_row_offset` (the layer's padding) turns them
 *     into rows of `input`.
 */

/// Pair sums each s16 lane of the AVX2 dense pass adds before widening to s32.
#define KWS_CONV1D_OL4_S16_GROUPS 8
/// Largest dense activation code: the 4-bit range is 0..15.
#define KWS_CONV1D_OL4_DENSE_MAX 15

/// One activation outlier: the full code of a value above its tensor's 4-bit range.
typedef struct kws_ol4_outlier {
    /// Row (time step) in the tensor, from its first real row.
    uint32_t row;
    /// Channel.
    uint16_t channel;
    /// Code in the tensor's step, 16..65535.
    uint16_t value;
} kws_ol4_outlier;

/// Packed parameters of one layer; see the layout notes above.
typedef struct kws_conv1d_ol4_params {
    /// Packed nibbles (4-bit layers), or NULL for the stem.
    const uint8_t* weights_s4;
    /// Plain s8 quads (the stem), or NULL for a 4-bit layer.
    const int8_t* weights_s8;
    /// 8-bit weight outliers of a 4-bit layer: where each goes in the quad layout, and its code.
    size_t weight_outlier_count;
    const uint32_t* weight_outlier_offsets;
    const int8_t* weight_outlier_values;
    const int32_t* bias;
    const int32_t* multiplier;
    const int32_t* shift;
    /// NULL unless the layer adds a residual.
    const int32_t* residual_multiplier;
    const int32_t* residual_shift;
    /// Largest output code: 15 (no output outliers; values above clamp) up to 65535.
    uint16_t code_max;
    /// Whether the dense input codes are <= 15 (4-bit activations); false for the stem's u8 MFCC codes.
    bool narrow_input;
} kws_conv1d_ol4_params;

/// Stage 1: unpacks `count` (a multiple of 64) nibble codes into s8.
void kws_ol4_unpack_s4__scalar(size_t count, const uint8_t* packed, int8_t* codes);
void kws_ol4_unpack_s4__avx2(size_t count, const uint8_t* packed, int8_t* codes);
void kws_ol4_unpack_s4__avx512(size_t count, const uint8_t* packed, int8_t* codes);
void kws_ol4_unpack_s4__neon(size_t count, const uint8_t* packed, int8_t* codes);
void kws_ol4_unpack_s4(kws_isa isa, size_t count, const uint8_t* packed, int8_t* codes);

/// Stage 2: `codes[offsets[k]] = values[k]` (the same in every variant: a byte store per outlier).
void kws_ol4_scatter_s8(size_t count, const uint32_t* offsets, const int8_t* values, int8_t* codes);

/// Stage 3: `acc[t * cp + o] = bias[o] + sum_q input[t * stride * C_in + q] * weights[q][o]` for every
/// `o < C_out` (lanes up to cp may be written too). `narrow_input`: every input byte of the spans is <= 15.
void kws_conv1d_ol4_dense__scalar(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                  const uint8_t* input, bool narrow_input, int32_t* acc);
void kws_conv1d_ol4_dense__avx2(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                const uint8_t* input, bool narrow_input, int32_t* acc);
void kws_conv1d_ol4_dense__avx512vnni(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                      const uint8_t* input, bool narrow_input, int32_t* acc);
/// aarch64, Armv8.0: s8 `smlal` of the narrow inputs (the stem's split into nibbles) into s16, 16 groups at a time.
void kws_conv1d_ol4_dense__neon(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                const uint8_t* input, bool narrow_input, int32_t* acc);
/// aarch64 with the dot product: the int8 convolution's SDOT tile (kws_conv1d_u8s8_4x16__neondot).
void kws_conv1d_ol4_dense__neondot(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                   const uint8_t* input, bool narrow_input, int32_t* acc);
void kws_conv1d_ol4_dense(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                          const uint8_t* input, bool narrow_input, int32_t* acc);

/// Stage 4: adds the input activation outliers (against the full codes in `weights`, the unpacked and merged
/// quad operand) and the residual outliers (rescaled) into `acc`.
void kws_conv1d_ol4_sparse__scalar(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                   const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                   size_t input_row_offset, const kws_ol4_outlier* residual_outliers,
                                   size_t residual_outlier_count, const int32_t* residual_multiplier,
                                   const int32_t* residual_shift, int32_t* acc);
void kws_conv1d_ol4_sparse__avx2(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                 const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                 size_t input_row_offset, const kws_ol4_outlier* residual_outliers,
                                 size_t residual_outlier_count, const int32_t* residual_multiplier,
                                 const int32_t* residual_shift, int32_t* acc);
void kws_conv1d_ol4_sparse__avx512(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                   const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                   size_t input_row_offset, const kws_ol4_outlier* residual_outliers,
                                   size_t residual_outlier_count, const int32_t* residual_multiplier,
                                   const int32_t* residual_shift, int32_t* acc);
void kws_conv1d_ol4_sparse__neon(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                 const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                 size_t input_row_offset, const kws_ol4_outlier* residual_outliers,
                                 size_t residual_outlier_count, const int32_t* residual_multiplier,
                                 const int32_t* residual_shift, int32_t* acc);
void kws_conv1d_ol4_sparse(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                           const kws_ol4_outlier* input_outliers, size_t input_outlier_count, size_t input_row_offset,
                           const kws_ol4_outlier* residual_outliers, size_t residual_outlier_count,
                           const int32_t* residual_multiplier, const int32_t* residual_shift, int32_t* acc);

/// Stage 5: the epilogue over `length` rows of `channels` accumulators (row stride cp); returns the number
/// of output outliers written to `outliers` (capacity `length * channels`).
size_t kws_conv1d_ol4_epilogue__scalar(size_t length, size_t channels, const int32_t* acc,
                                       const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                                       kws_ol4_outlier* outliers);
size_t kws_conv1d_ol4_epilogue__avx2(size_t length, size_t channels, const int32_t* acc,
                                     const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                                     kws_ol4_outlier* outliers);
size_t kws_conv1d_ol4_epilogue__avx512(size_t length, size_t channels, const int32_t* acc,
                                       const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                                       kws_ol4_outlier* outliers);
size_t kws_conv1d_ol4_epilogue__neon(size_t length, size_t channels, const int32_t* acc,
                                     const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                                     kws_ol4_outlier* outliers);
size_t kws_conv1d_ol4_epilogue(kws_isa isa, size_t length, size_t channels, const int32_t* acc,
                               const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                               kws_ol4_outlier* outliers);

/// The whole layer: stages 1-5 with the `isa` variants (the best supported one at or below it; AVX-512 means
/// AVX-512 VNNI with BW/VL here, as for kws_conv1d_u8s8). `weight_scratch` holds `dp * cp` bytes (unused by
/// the stem), `acc` holds `output_length * cp` s32. Returns the number of output outliers.
size_t kws_conv1d_ol4(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_ol4_params* params,
                      const uint8_t* input, const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                      size_t input_row_offset, const uint8_t* residual, const kws_ol4_outlier* residual_outliers,
                      size_t residual_outlier_count, int8_t* weight_scratch, int32_t* acc, uint8_t* output,
                      kws_ol4_outlier* output_outliers);

/// Stages 3-5 only (no unpacking): for tests and for timing the dense and sparse passes separately.
size_t kws_conv1d_ol4_unpacked(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_ol4_params* params,
                               const int8_t* weights, const uint8_t* input, const kws_ol4_outlier* input_outliers,
                               size_t input_outlier_count, size_t input_row_offset, const uint8_t* residual,
                               const kws_ol4_outlier* residual_outliers, size_t residual_outlier_count, int32_t* acc,
                               uint8_t* output, kws_ol4_outlier* output_outliers);

#endif
