#include <assert.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"

#if defined(__aarch64__)
#include <arm_neon.h>
#include "kws_conv1d_u8s8_neon_epilogue.h"
#include "kws_conv1d_u8s8_sizes.h"

enum { ROWS = 4, VECTORS_MAX = 4, LANES = 4 };

/// The Armv8.0 path (no dot product; Cortex-A72, Raspberry Pi 4). It reads the s16 pair layout, as the AVX2
/// variant does: a u8 input times an s16 weight in -128..127 is at most 255 * 128 = 32,640 in magnitude, so
/// `vmulq_s16` is exact and `vpadalq_s16` adds each channel's pair of products into its s32 lane. One 8-byte
/// load per row widens 4 input pairs; `vdupq_laneq_s32` broadcasts one pair against 4 channels' weight pairs.
#define KWS_NEON_PAIR(L)                                                                                       \
    do {                                                                                                       \
        int16x8_t wv[VECTORS_MAX];                                                                             \
        for (size_t v = 0; v < vectors; v++) wv[v] = vld1q_s16(w + (p + (L)) * row * 2 + v * LANES * 2);      \
        for (size_t m = 0; m < rows; m++) {                                                                    \
            const int16x8_t xp = vreinterpretq_s16_s32(vdupq_laneq_s32(xv[m], (L)));                          \
            for (size_t v = 0; v < vectors; v++) acc[m][v] = vpadalq_s16(acc[m][v], vmulq_s16(xp, wv[v]));     \
        }                                                                                                      \
    } while (0)

static inline __attribute__((always_inline)) void conv_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t pairs, const int16_t* w,
    size_t row, const kws_conv1d_u8s8_params* params, size_t c, size_t live, const uint8_t* residual, uint8_t* y,
    size_t output_row) {
    int32x4_t acc[ROWS][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const int32x4_t b = vld1q_s32(params->bias + c + v * LANES);
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    size_t p = 0;
    for (; p + 4 <= pairs; p += 4) {
        int32x4_t xv[ROWS];
        for (size_t m = 0; m < rows; m++) {
            xv[m] = vreinterpretq_s32_u16(vmovl_u8(vld1_u8(x + m * input_step + 2 * p)));
        }
        KWS_NEON_PAIR(0);
        KWS_NEON_PAIR(1);
        KWS_NEON_PAIR(2);
        KWS_NEON_PAIR(3);
    }
    // The last 1..3 pairs (the packed depth is a multiple of 4 bytes, not of 8).
    for (; p < pairs; p++) {
        int16x8_t wv[VECTORS_MAX];
        for (size_t v = 0; v < vectors; v++) wv[v] = vld1q_s16(w + p * row * 2 + v * LANES * 2);
        for (size_t m = 0; m < rows; m++) {
            const uint8_t* xp = x + m * input_step + 2 * p;
            const int16x8_t pair = vreinterpretq_s16_u32(vdupq_n_u32((uint32_t)xp[0] | (uint32_t)xp[1] << 16));
            for (size_t v = 0; v < vectors; v++) acc[m][v] = vpadalq_s16(acc[m][v], vmulq_s16(pair, wv[v]));
        }
    }
    // Unrolled so every acc[m][v] index is a constant (see kws_conv1d_u8s8_4x16__neondot.c).
#pragma GCC unroll 4
    for (size_t v = 0; v < vectors; v++) {
        const size_t lane0 = c + v * LANES;
        const size_t count = live - v * LANES < LANES ? live - v * LANES : LANES;
        const kws_u8s8_neon_rescale q = kws_u8s8_neon_load_rescale(params->multiplier + lane0, params->shift + lane0);
        const kws_u8s8_neon_rescale rr = residual != NULL
            ? kws_u8s8_neon_load_rescale(params->residual_multiplier + lane0, params->residual_shift + lane0) : q;
#pragma GCC unroll 4
        for (size_t m = 0; m < rows; m++) {
            kws_u8s8_neon_finish4(acc[m][v], q, rr, residual != NULL ? residual + m * output_row + v * LANES : NULL,
                                  y + m * output_row + v * LANES, count);
        }
    }
}
#undef KWS_NEON_PAIR

#define KWS_TILE_CASE(ROWS_, VECTORS)                                                                        \
    case (ROWS_) * 8 + (VECTORS):                                                                            \
        conv_tile(ROWS_, VECTORS, x, input_step, pairs, w, row, params, c, live, r, y, channels);            \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1) KWS_TILE_CASE(ROWS_, 2) KWS_TILE_CASE(ROWS_, 3) KWS_TILE_CASE(ROWS_, 4)

void kws_conv1d_u8s8_4x16__neon(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, pairs = sizes.depth / 2, input_step = sizes.input_step;
    const size_t row = sizes.row;
    kws_column_walk blocks = kws_column_blocks(channels, LANES, VECTORS_MAX);
    for (kws_column_block block; kws_next_column_block(&blocks, &block);) {
        const size_t c = block.c, live = block.live, vectors = block.vectors;
        const int16_t* w = params->weights_s16 + c * 2;
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

void kws_quantize_f32_u8__neon(size_t length, size_t channels, const float* input, const float* inverse_scale,
                               const int32_t* zero_point, uint8_t* output) {
    const float32x4_t lo = vdupq_n_f32(-256.0f), hi = vdupq_n_f32(256.0f);
    for (size_t t = 0; t < length; t++) {
        const float* x = input + t * channels;
        uint8_t* y = output + t * channels;
        size_t c = 0;
        for (; c + 8 <= channels; c += 8) {
            int32x4_t q[2];
            for (size_t h = 0; h < 2; h++) {
                float32x4_t v = vmulq_f32(vld1q_f32(x + c + 4 * h), vld1q_f32(inverse_scale + c + 4 * h));
                // FMAXNM returns the number when the other operand is a (quiet) NaN, so NaN becomes -256 as in
                // the scalar variant; plain FMAX would propagate the NaN. A product is never a signalling NaN.
                v = vminq_f32(vmaxnmq_f32(v, lo), hi);
                // FCVTNS: round half to even, whatever the rounding mode, as the scalar variant does.
                q[h] = vaddq_s32(vcvtnq_s32_f32(v), vld1q_s32(zero_point + c + 4 * h));
            }
            const uint16x8_t clamped = vcombine_u16(vqmovun_s32(q[0]), vqmovun_s32(q[1]));
            vst1_u8(y + c, vqmovn_u16(clamped));
        }
        if (c < channels) kws_quantize_f32_u8__scalar(1, channels - c, x + c, inverse_scale + c, zero_point + c, y + c);
    }
}

#endif
