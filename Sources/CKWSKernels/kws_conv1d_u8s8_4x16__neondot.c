#include <assert.h>
#include "kws_conv1d_u8s8.h"

#if defined(__aarch64__)
#include "kws_conv1d_u8s8_neon_epilogue.h"
#include "kws_conv1d_u8s8_neondot_tile.h"
#include "kws_conv1d_u8s8_sizes.h"

enum { ROWS = KWS_NEONDOT_ROWS, VECTORS_MAX = KWS_NEONDOT_VECTORS, LANES = 4 };

/// One `rows x 4*vectors` tile: the shared SDOT accumulation, then the fused epilogue per 4-channel column.
/// Constant `rows`/`vectors` (the switch below) let the compiler keep the 16 accumulators in registers.
static inline __attribute__((always_inline)) KWS_TARGET_DOTPROD void conv_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t groups, const int8_t* w,
    size_t row, const kws_conv1d_u8s8_params* params, const int32x4_t* init, size_t c, size_t live,
    const uint8_t* residual, uint8_t* y, size_t output_row) {
    int32x4_t acc[ROWS][VECTORS_MAX];
    kws_neondot_tile(rows, vectors, x, input_step, groups, w, row, init, acc);
    // Unrolled so every acc[m][v] index is a constant: otherwise the array stays in memory and the compilers
    // store all 16 accumulators back after every 4 SDOT steps of the main loop.
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

#define KWS_TILE_CASE(ROWS_, VECTORS)                                                                        \
    case (ROWS_) * 8 + (VECTORS):                                                                            \
        conv_tile(ROWS_, VECTORS, x, input_step, groups, w, row, params, init, c, live, r, y, channels);     \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1) KWS_TILE_CASE(ROWS_, 2) KWS_TILE_CASE(ROWS_, 3) KWS_TILE_CASE(ROWS_, 4)

KWS_TARGET_DOTPROD
void kws_conv1d_u8s8_4x16__neondot(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                   const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, groups = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;
    // Only the 4-lane units that hold real channels are computed (24 channels: 6 units, 2 blocks of 3).
    kws_column_walk blocks = kws_column_blocks(channels, LANES, VECTORS_MAX);
    for (kws_column_block block; kws_next_column_block(&blocks, &block);) {
        const size_t c = block.c, live = block.live, vectors = block.vectors;
        const int8_t* w = params->weights_s8 + c * 4;
        int32x4_t init[VECTORS_MAX];
        kws_neondot_column_init(vectors, w, groups, row, params->bias + c, init);
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
