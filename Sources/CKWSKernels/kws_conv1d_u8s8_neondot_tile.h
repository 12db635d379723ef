#ifndef KWS_CONV1D_U8S8_NEONDOT_TILE_H
#define KWS_CONV1D_U8S8_NEONDOT_TILE_H
// Private to the aarch64 dot-product kernels: the u8 x s8 -> s32 accumulation of one register tile, shared by
// the int8 convolution (kws_conv1d_u8s8_4x16__neondot.c) and the outlier dense pass (kws_conv1d_ol4__neon.c),
// which differ only in what they do with the accumulators.
#include <arm_neon.h>
#include <string.h>
#include "kws_simd_target.h"

/// Register tile: 4 rows x 4 vectors of 4 channels = 16 accumulators, 4 input and 4 weight registers (24 of 32).
enum { KWS_NEONDOT_ROWS = 4, KWS_NEONDOT_VECTORS = 4 };

/*
 * SDOT multiplies s8 by s8, but the activations are u8. The x86 `vpdpbusd` takes u8 x s8 directly; here each
 * input byte is flipped to s8 by xor 0x80 (x - 128), and the lost 128 * sum_q W[q][o] is added back through
 * the accumulators' starting value. Both sides are exact integers, so
 *     bias + 128 * sum_q W[q][o] + sum_q (x_q - 128) * W[q][o] = bias + sum_q x_q * W[q][o]
 * bit for bit (s32 lanes wrap, and the caller's headroom rule keeps the final sum in range). The column sums
 * cost one SDOT per weight vector per call, against `rows` per weight vector in the tile loop.
 */

/// The starting accumulators of `vectors` columns: bias + 128 * (the column's weight sum), the weight sum
/// taken by SDOT against ones. `w` points at the block's first channel of quad group 0.
static inline __attribute__((always_inline)) KWS_TARGET_DOTPROD void kws_neondot_column_init(
    const size_t vectors, const int8_t* w, size_t groups, size_t row, const int32_t* bias, int32x4_t* init) {
    const int8x16_t ones = vdupq_n_s8(1);
    for (size_t v = 0; v < vectors; v++) {
        int32x4_t sum = vdupq_n_s32(0);
        for (size_t g = 0; g < groups; g++) sum = vdotq_s32(sum, vld1q_s8(w + g * row * 4 + v * 16), ones);
        init[v] = vaddq_s32(vld1q_s32(bias + v * 4), vshlq_n_s32(sum, 7));
    }
}

/// Four quad groups against one 16-byte input register per row: `vdotq_laneq_s32` takes lane `l`'s 4 input
/// bytes as the scalar side, so one load per row serves 4 groups (the lane must be a literal, hence a macro).
#define KWS_NEONDOT_LANE(L)                                                                                    \
    do {                                                                                                       \
        int8x16_t wv[KWS_NEONDOT_VECTORS];                                                                     \
        for (size_t v = 0; v < vectors; v++) wv[v] = vld1q_s8(w + (g + (L)) * row * 4 + v * 16);             \
        for (size_t m = 0; m < rows; m++)                                                                      \
            for (size_t v = 0; v < vectors; v++) acc[m][v] = vdotq_laneq_s32(acc[m][v], wv[v], xv[m], (L));   \
    } while (0)

/// One `rows x 4*vectors` tile: `acc[m][v]` = init[v] + sum over `groups` quads of (x - 128) * W. `x` points
/// at the tile's first row, `w` at the block's first channel of group 0. Reads only the packed depth of each
/// row (`4 * groups` bytes), as kws_conv1d_u8s8.h allows.
static inline __attribute__((always_inline)) KWS_TARGET_DOTPROD void kws_neondot_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t groups, const int8_t* w,
    size_t row, const int32x4_t* init, int32x4_t acc[KWS_NEONDOT_ROWS][KWS_NEONDOT_VECTORS]) {
    for (size_t m = 0; m < rows; m++)
        for (size_t v = 0; v < vectors; v++) acc[m][v] = init[v];
    const uint8x16_t flip = vdupq_n_u8(0x80);
    size_t g = 0;
    for (; g + 4 <= groups; g += 4) {
        int8x16_t xv[KWS_NEONDOT_ROWS];
        for (size_t m = 0; m < rows; m++) xv[m] = vreinterpretq_s8_u8(veorq_u8(vld1q_u8(x + m * input_step + 4 * g), flip));
        KWS_NEONDOT_LANE(0);
        KWS_NEONDOT_LANE(1);
        KWS_NEONDOT_LANE(2);
        KWS_NEONDOT_LANE(3);
    }
    // The last 1..3 groups of a depth that is not a multiple of 16: one broadcast quad per row and group.
    for (; g < groups; g++) {
        int8x16_t wv[KWS_NEONDOT_VECTORS];
        for (size_t v = 0; v < vectors; v++) wv[v] = vld1q_s8(w + g * row * 4 + v * 16);
        for (size_t m = 0; m < rows; m++) {
            uint32_t quad;
            memcpy(&quad, x + m * input_step + 4 * g, sizeof quad);
            const int8x16_t xq = vreinterpretq_s8_u8(veorq_u8(vreinterpretq_u8_u32(vdupq_n_u32(quad)), flip));
            for (size_t v = 0; v < vectors; v++) acc[m][v] = vdotq_s32(acc[m][v], wv[v], xq);
        }
    }
}
#undef KWS_NEONDOT_LANE
#endif
