#include <assert.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"

#if defined(__aarch64__)
#include <arm_neon.h>
#include "kws_conv1d_u8s8_neon_epilogue.h"
#include "kws_conv1d_u8s8_sizes.h"

enum { ROWS = 4, VECTORS_MAX = 4, LANES = 4 };

/// Four quad groups against one 16-byte input register per row, as in the SDOT tile
/// (kws_conv1d_u8s8_neondot_tile.h), but SUDOT multiplies the s8 weights by the u8 inputs directly: no xor
/// on the inputs and no weight-sum correction, the same integers as x86's `vpdpbusd`.
#define KWS_SUDOT_LANE(L)                                                                                      \
    do {                                                                                                       \
        int8x16_t wv[VECTORS_MAX];                                                                             \
        for (size_t v = 0; v < vectors; v++) wv[v] = vld1q_s8(w + (g + (L)) * row * 4 + v * 16);             \
        for (size_t m = 0; m < rows; m++)                                                                      \
            for (size_t v = 0; v < vectors; v++) acc[m][v] = vsudotq_laneq_s32(acc[m][v], wv[v], xv[m], (L)); \
    } while (0)

static inline __attribute__((always_inline)) KWS_TARGET_I8MM void conv_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t groups, const int8_t* w,
    size_t row, const kws_conv1d_u8s8_params* params, size_t c, size_t live, const uint8_t* residual, uint8_t* y,
    size_t output_row) {
    int32x4_t acc[ROWS][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const int32x4_t b = vld1q_s32(params->bias + c + v * LANES);
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    size_t g = 0;
    for (; g + 4 <= groups; g += 4) {
        uint8x16_t xv[ROWS];
        for (size_t m = 0; m < rows; m++) xv[m] = vld1q_u8(x + m * input_step + 4 * g);
        KWS_SUDOT_LANE(0);
        KWS_SUDOT_LANE(1);
        KWS_SUDOT_LANE(2);
        KWS_SUDOT_LANE(3);
    }
    for (; g < groups; g++) {
        int8x16_t wv[VECTORS_MAX];
        for (size_t v = 0; v < vectors; v++) wv[v] = vld1q_s8(w + g * row * 4 + v * 16);
        for (size_t m = 0; m < rows; m++) {
            uint32_t quad;
            memcpy(&quad, x + m * input_step + 4 * g, sizeof quad);
            const uint8x16_t xq = vreinterpretq_u8_u32(vdupq_n_u32(quad));
            for (size_t v = 0; v < vectors; v++) acc[m][v] = vusdotq_s32(acc[m][v], xq, wv[v]);
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
#undef KWS_SUDOT_LANE

#define KWS_TILE_CASE(ROWS_, VECTORS)                                                                        \
    case (ROWS_) * 8 + (VECTORS):                                                                            \
        conv_tile(ROWS_, VECTORS, x, input_step, groups, w, row, params, c, live, r, y, channels);           \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1) KWS_TILE_CASE(ROWS_, 2) KWS_TILE_CASE(ROWS_, 3) KWS_TILE_CASE(ROWS_, 4)

KWS_TARGET_I8MM
void kws_conv1d_u8s8_4x16__neoni8mm(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
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
