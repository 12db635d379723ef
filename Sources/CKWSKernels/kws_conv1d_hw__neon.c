#include <assert.h>
#include <string.h>
#include "kws_conv1d_hw.h"

#if defined(__aarch64__)
#include <arm_neon.h>
#include "kws_conv1d_u8s8_neon_epilogue.h"
#include "kws_conv1d_u8s8_sizes.h"

enum { ROWS = 4, VECTORS_MAX = 2, LANES = 4 };

void kws_hw_unpack__neon(int bits, size_t blocks, const uint8_t* packed, int8_t* codes) {
    assert(bits == 2 || bits == 4);
    const int parts = 8 / bits;
    const uint8x16_t mask = vdupq_n_u8((uint8_t)((1 << bits) - 1));
    const int8x16_t sign = vdupq_n_s8((int8_t)(1 << (bits - 1)));
    for (size_t b = 0; b < blocks; b++) {
        const uint8_t* in = packed + b * KWS_HW_BLOCK_BYTES;
        const uint8x16_t v[2] = {vld1q_u8(in), vld1q_u8(in + 16)};
        int8_t* out = codes + b * KWS_HW_BLOCK_BYTES * parts;
        for (int part = 0; part < parts; part++) {
            // USHL by a negative count is a logical right shift of each byte (no neighbour bits, unlike x86's
            // 16-bit shift); the mask keeps this part's bits, xor/sub sign-extends them.
            const int8x16_t shift = vdupq_n_s8((int8_t)(-bits * part));
            for (int h = 0; h < 2; h++) {
                const int8x16_t raw = vreinterpretq_s8_u8(vandq_u8(vshlq_u8(v[h], shift), mask));
                vst1q_s8(out + part * KWS_HW_BLOCK_BYTES + 16 * h, vsubq_s8(veorq_s8(raw, sign), sign));
            }
        }
    }
}

void kws_hw_requantize_u8__neon(size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                                const uint8_t* input, uint8_t* output) {
    assert(multiplier < (1u << 23) && shift <= 31u);
    const uint32x4_t rounding = vdupq_n_u32(shift > 0 ? 1u << (shift - 1) : 0u);
    const int32x4_t right = vdupq_n_s32(-(int32_t)shift);
    const uint32x4_t top = vdupq_n_u32(maximum);
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        const uint8x16_t x = vld1q_u8(input + i);
        const uint16x8_t half[2] = {vmovl_u8(vget_low_u8(x)), vmovl_high_u8(x)};
        uint16x4_t narrowed[4];
        for (int k = 0; k < 4; k++) {
            const uint32x4_t wide = k % 2 == 0 ? vmovl_u16(vget_low_u16(half[k / 2])) : vmovl_high_u16(half[k / 2]);
            // x * m + r < 2^31 + 2^30: no u32 lane wraps, and the shift is logical.
            const uint32x4_t v = vshlq_u32(vmlaq_n_u32(rounding, wide, multiplier), right);
            narrowed[k] = vmovn_u32(vminq_u32(v, top));
        }
        const uint8x8_t lo = vmovn_u16(vcombine_u16(narrowed[0], narrowed[1]));
        const uint8x8_t hi = vmovn_u16(vcombine_u16(narrowed[2], narrowed[3]));
        vst1q_u8(output + i, vcombine_u8(lo, hi));
    }
    if (i < count) kws_hw_requantize_u8__scalar(count - i, multiplier, shift, maximum, input + i, output + i);
}

/// One `rows x 4*vectors` tile on the narrow branch operands (Armv8.0, no dot product): inputs <= 15 are
/// valid s8, so `smlal` multiplies them with the s8 weight quads directly, 8 products per instruction into
/// s16 lanes (each lane adds one product of at most 15 * 7 = 105 per group, so KWS_CONV1D_HW_S16_GROUPS = 64
/// groups stay below 6,720), then two pairwise adds widen each channel's 4 lanes into its s32 accumulator.
/// The wide int8 kernel has to widen to s16 before every multiply; this one does twice the work per instruction.
static inline __attribute__((always_inline)) void conv_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t groups, const int8_t* w,
    size_t row, const kws_conv1d_u8s8_params* params, size_t c, size_t live, const uint8_t* residual, uint8_t* y,
    size_t output_row) {
    int32x4_t acc[ROWS][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const int32x4_t b = vld1q_s32(params->bias + c + v * LANES);
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    for (size_t g0 = 0; g0 < groups; g0 += KWS_CONV1D_HW_S16_GROUPS) {
        const size_t g1 = groups - g0 < KWS_CONV1D_HW_S16_GROUPS ? groups : g0 + KWS_CONV1D_HW_S16_GROUPS;
        // Lanes of `lo`: channels 0 and 1 of the vector, depth 0..3 each; `hi`: channels 2 and 3.
        int16x8_t lo[ROWS][VECTORS_MAX], hi[ROWS][VECTORS_MAX];
        for (size_t m = 0; m < rows; m++)
            for (size_t v = 0; v < vectors; v++) lo[m][v] = hi[m][v] = vdupq_n_s16(0);
        for (size_t g = g0; g < g1; g++) {
            int8x16_t wv[VECTORS_MAX];
            for (size_t v = 0; v < vectors; v++) wv[v] = vld1q_s8(w + g * row * 4 + v * 16);
            for (size_t m = 0; m < rows; m++) {
                uint32_t quad;
                memcpy(&quad, x + m * input_step + 4 * g, sizeof quad);
                const int8x16_t xq = vreinterpretq_s8_u32(vdupq_n_u32(quad));
                for (size_t v = 0; v < vectors; v++) {
                    lo[m][v] = vmlal_s8(lo[m][v], vget_low_s8(wv[v]), vget_low_s8(xq));
                    hi[m][v] = vmlal_high_s8(hi[m][v], wv[v], xq);
                }
            }
        }
        for (size_t m = 0; m < rows; m++)
            for (size_t v = 0; v < vectors; v++)
                acc[m][v] = vaddq_s32(acc[m][v], vpaddq_s32(vpaddlq_s16(lo[m][v]), vpaddlq_s16(hi[m][v])));
    }
    for (size_t v = 0; v < vectors; v++) {
        const size_t lane0 = c + v * LANES;
        const size_t count = live - v * LANES < LANES ? live - v * LANES : LANES;
        const kws_u8s8_neon_rescale q = kws_u8s8_neon_load_rescale(params->multiplier + lane0, params->shift + lane0);
        const kws_u8s8_neon_rescale rr = residual != NULL
            ? kws_u8s8_neon_load_rescale(params->residual_multiplier + lane0, params->residual_shift + lane0) : q;
        for (size_t m = 0; m < rows; m++) {
            kws_u8s8_neon_finish4(acc[m][v], q, rr, residual != NULL ? residual + m * output_row + v * LANES : NULL,
                                  y + m * output_row + v * LANES, count);
        }
    }
}

#define KWS_TILE_CASE(ROWS_, VECTORS)                                                                        \
    case (ROWS_) * 8 + (VECTORS):                                                                            \
        conv_tile(ROWS_, VECTORS, x, input_step, groups, w, row, params, c, live, r, y, channels);           \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1) KWS_TILE_CASE(ROWS_, 2)

void kws_conv1d_hw_4x8__neon(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                             const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, groups = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;
    kws_column_walk blocks = kws_column_blocks(channels, LANES, VECTORS_MAX);
    for (kws_column_block block; kws_next_column_block(&blocks, &block);) {
        const size_t c = block.c, live = block.live, vectors = block.vectors;
        const int8_t* w = params->weights_s8 + c * 4;
        kws_row_walk tiles = kws_row_tiles(shape->output_length, ROWS);
        for (kws_row_tile tile; kws_next_row_tile(&tiles, &tile);) {
            const size_t t = tile.t, rows = tile.rows;
            const uint8_t* x = input + t * input_step;
            const uint8_t* r = residual != NULL ? residual + t * channels + c : NULL;
            uint8_t* y = output + t * channels + c;
            switch (rows * 8 + vectors) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2) KWS_TILE_CASES(3) KWS_TILE_CASES(4)
                default: assert(0 && "tile shape out of range");
            }
        }
    }
}

#endif
