#include <assert.h>
#include <string.h>
#include "kws_conv1d_f32_sizes.h"

#if defined(__aarch64__)
#include <arm_neon.h>
#include "kws_simd_target.h"

enum { ROWS = 4, VECTORS_MAX = 4, LANES = 4 };

/// Four depth steps against one 4-float input register per row: `vfmaq_laneq_f32` takes lane `L` as the
/// scalar side, so one load per row serves 4 steps (the lane must be a literal, hence a macro).
#define KWS_F32_STEP(L)                                                                                        \
    do {                                                                                                       \
        float32x4_t wq[VECTORS_MAX];                                                                           \
        for (size_t v = 0; v < vectors; v++) wq[v] = vld1q_f32(w + (q + (L)) * weight_row + v * LANES);       \
        for (size_t m = 0; m < rows; m++)                                                                      \
            for (size_t v = 0; v < vectors; v++) acc[m][v] = vfmaq_laneq_f32(acc[m][v], wq[v], xv[m], (L));   \
    } while (0)

/// One `rows x 4*vectors` output tile, 16 accumulators (FMA is part of Armv8.0, so this is the one float
/// variant on aarch64). Each accumulator adds its products in `q` order from the bias, fused, exactly as the
/// AVX2 and AVX-512 variants do: the same IEEE operations in the same order, so it matches them bit for bit
/// and the scalar reference (which rounds each product) to about 1e-6 relative.
static inline __attribute__((always_inline)) void conv_tile(
    const size_t rows, const size_t vectors, const float* x, size_t input_step, size_t depth, const float* w,
    size_t weight_row, const float* bias, const float* residual, float* y, size_t output_row, size_t live, bool relu) {
    float32x4_t acc[ROWS][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const float32x4_t b = vld1q_f32(bias + v * LANES);
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    size_t q = 0;
    for (; q + 4 <= depth; q += 4) {
        float32x4_t xv[ROWS];
        for (size_t m = 0; m < rows; m++) xv[m] = vld1q_f32(x + m * input_step + q);
        KWS_F32_STEP(0);
        KWS_F32_STEP(1);
        KWS_F32_STEP(2);
        KWS_F32_STEP(3);
    }
    for (; q < depth; q++) {
        float32x4_t wq[VECTORS_MAX];
        for (size_t v = 0; v < vectors; v++) wq[v] = vld1q_f32(w + q * weight_row + v * LANES);
        for (size_t m = 0; m < rows; m++) {
            const float32x4_t xq = vld1q_dup_f32(x + m * input_step + q);
            for (size_t v = 0; v < vectors; v++) acc[m][v] = vfmaq_f32(acc[m][v], xq, wq[v]);
        }
    }
    const float32x4_t zero = vdupq_n_f32(0.0f);
    for (size_t m = 0; m < rows; m++) {
        for (size_t v = 0; v < vectors; v++) {
            const size_t count = live - v * LANES < LANES ? live - v * LANES : LANES;
            float32x4_t out = acc[m][v];
            if (residual != NULL) {
                float r[LANES] = {0};
                memcpy(r, residual + m * output_row + v * LANES, count * sizeof(float));
                out = vaddq_f32(out, vld1q_f32(r));
            }
            // FMAXNM, not FMAX: a NaN becomes 0, as with the scalar `> 0` and x86's max(acc, 0).
            if (relu) out = vmaxnmq_f32(out, zero);
            if (count == LANES) {
                vst1q_f32(y + m * output_row + v * LANES, out);
            } else {
                float o[LANES];
                vst1q_f32(o, out);
                memcpy(y + m * output_row + v * LANES, o, count * sizeof(float));
            }
        }
    }
}
#undef KWS_F32_STEP

#define KWS_TILE_CASE(ROWS_, VECTORS)                                                                        \
    case (ROWS_) * 8 + (VECTORS):                                                                            \
        conv_tile(ROWS_, VECTORS, x, input_step, depth, w, weight_row, b, r, y, channels, live, relu);       \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1) KWS_TILE_CASE(ROWS_, 2) KWS_TILE_CASE(ROWS_, 3) KWS_TILE_CASE(ROWS_, 4)

void kws_conv1d_f32_4x16__neon(const kws_conv1d_f32_shape* shape, const float* input, const float* packed_weights,
                               const float* packed_bias, const float* residual, float* output, bool relu) {
    const kws_conv1d_f32_sizes sizes = kws_conv1d_f32_sizes_of(shape, input, packed_weights, packed_bias, output);
    const size_t channels = sizes.channels, depth = sizes.depth, input_step = sizes.input_step;
    const size_t weight_row = sizes.weight_row;
    kws_column_walk blocks = kws_column_blocks(channels, LANES, VECTORS_MAX);
    for (kws_column_block block; kws_next_column_block(&blocks, &block);) {
        const size_t c = block.c, live = block.live, vectors = block.vectors;
        const float* w = packed_weights + c;
        const float* b = packed_bias + c;
        kws_row_walk tiles = kws_row_tiles(shape->output_length, ROWS);
        for (kws_row_tile tile; kws_next_row_tile(&tiles, &tile);) {
            const size_t t = tile.t, rows = tile.rows;
            const float* x = input + t * input_step;
            const float* r = residual != NULL ? residual + t * channels + c : NULL;
            float* y = output + t * channels + c;
            switch (rows * 8 + vectors) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2) KWS_TILE_CASES(3) KWS_TILE_CASES(4)
                default: assert(0 && "tile shape out of range");
            }
        }
    }
}

#endif
