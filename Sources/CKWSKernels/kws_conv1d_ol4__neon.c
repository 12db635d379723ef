#include <assert.h>
#include <string.h>
#include "kws_conv1d_hw.h"
#include "kws_conv1d_ol4.h"

#if defined(__aarch64__)
#include <arm_neon.h>
#include "kws_conv1d_u8s8_neon_epilogue.h"
#include "kws_conv1d_u8s8_neondot_tile.h"
#include "kws_conv1d_u8s8_sizes.h"

enum { ROWS = 4, WIDE_ROWS = 2, VECTORS_MAX = 2, LANES = 4 };

/// Groups each s16 lane of the NEON dense pass adds before widening: one product per group and lane, at most
/// 15 * 127 = 1,905 in magnitude, so 16 groups stay within 30,480 (x86's `vpmaddubsw` lanes hold pair sums,
/// hence its 8).
enum { S16_GROUPS = 16 };

/// The 64-code nibble blocks are the highway's 4-bit blocks (kws_conv1d_hw.h): one unpacker serves both.
void kws_ol4_unpack_s4__neon(size_t count, const uint8_t* packed, int8_t* codes) {
    assert(count % 64 == 0);
    kws_hw_unpack__neon(4, count / 64, packed, codes);
}

/// One `rows x 4*vectors` tile of the Armv8.0 dense pass: inputs <= 15 are valid s8, so `smlal` multiplies
/// them with the s8 weight quads directly into s16 lanes (`lo`: channels 0-1 x depth 0-3 of a vector, `hi`:
/// channels 2-3), widened into the s32 `acc_out` rows every S16_GROUPS groups by two pairwise adds. `wide`: the
/// stem's full u8 input, split into nibbles that take the same path, the high one weighted 16 when widened.
static inline __attribute__((always_inline)) void dense_tile(const size_t rows, const size_t vectors, const bool wide,
                                                             const uint8_t* x, size_t input_step, size_t groups,
                                                             const int8_t* w, size_t row, const int32_t* bias,
                                                             int32_t* acc_out) {
    const int nibbles = wide ? 2 : 1;
    const uint8x16_t low = vdupq_n_u8(0x0F);
    for (size_t m = 0; m < rows; m++)
        for (size_t v = 0; v < vectors; v++) vst1q_s32(acc_out + m * row + v * LANES, vld1q_s32(bias + v * LANES));
    for (size_t start = 0; start < groups; start += S16_GROUPS) {
        const size_t end = start + S16_GROUPS < groups ? start + S16_GROUPS : groups;
        int16x8_t lo[ROWS][VECTORS_MAX][2], hi[ROWS][VECTORS_MAX][2];
        for (size_t m = 0; m < rows; m++)
            for (size_t v = 0; v < vectors; v++)
                for (int n = 0; n < nibbles; n++) lo[m][v][n] = hi[m][v][n] = vdupq_n_s16(0);
        for (size_t g = start; g < end; g++) {
            int8x16_t wv[VECTORS_MAX];
            for (size_t v = 0; v < vectors; v++) wv[v] = vld1q_s8(w + g * row * 4 + v * 16);
            for (size_t m = 0; m < rows; m++) {
                uint32_t quad;
                memcpy(&quad, x + m * input_step + 4 * g, sizeof quad);
                const uint8x16_t xq = vreinterpretq_u8_u32(vdupq_n_u32(quad));
                const int8x16_t part[2] = {vreinterpretq_s8_u8(wide ? vandq_u8(xq, low) : xq),
                                           vreinterpretq_s8_u8(vshrq_n_u8(xq, 4))};
                for (size_t v = 0; v < vectors; v++) {
                    for (int n = 0; n < nibbles; n++) {
                        lo[m][v][n] = vmlal_s8(lo[m][v][n], vget_low_s8(wv[v]), vget_low_s8(part[n]));
                        hi[m][v][n] = vmlal_high_s8(hi[m][v][n], wv[v], part[n]);
                    }
                }
            }
        }
        for (size_t m = 0; m < rows; m++) {
            for (size_t v = 0; v < vectors; v++) {
                int32_t* out = acc_out + m * row + v * LANES;
                int32x4_t sum = vaddq_s32(vld1q_s32(out), vpaddq_s32(vpaddlq_s16(lo[m][v][0]), vpaddlq_s16(hi[m][v][0])));
                if (wide) {
                    sum = vaddq_s32(sum, vshlq_n_s32(vpaddq_s32(vpaddlq_s16(lo[m][v][1]), vpaddlq_s16(hi[m][v][1])), 4));
                }
                vst1q_s32(out, sum);
            }
        }
    }
}

#define KWS_DENSE_CASE(ROWS_, VECTORS, WIDE)                                                                 \
    case (ROWS_) * 8 + (VECTORS) * 2 + (WIDE):                                                               \
        dense_tile(ROWS_, VECTORS, WIDE, x, input_step, groups, w, row, bias + c, out);                      \
        break;
#define KWS_DENSE_CASES(ROWS_, WIDE) KWS_DENSE_CASE(ROWS_, 1, WIDE) KWS_DENSE_CASE(ROWS_, 2, WIDE)

/// The column blocks and row tiles of a dense pass; `tile_rows` rows at most per tile.
#define KWS_FOR_TILES(VECTORS_MAX_, TILE_ROWS, BODY)                                                         \
    do {                                                                                                     \
        kws_column_walk blocks = kws_column_blocks(channels, LANES, (VECTORS_MAX_));                         \
        for (kws_column_block block; kws_next_column_block(&blocks, &block);) {                              \
            const size_t c = block.c, vectors = block.vectors;                                               \
            kws_row_walk tiles = kws_row_tiles(shape->output_length, (TILE_ROWS));                           \
            for (kws_row_tile tile; kws_next_row_tile(&tiles, &tile);) {                                     \
                const size_t t = tile.t, rows = tile.rows;                                                   \
                const uint8_t* x = input + t * input_step;                                                   \
                int32_t* out = acc + t * row + c;                                                            \
                BODY                                                                                         \
            }                                                                                                \
        }                                                                                                    \
    } while (0)

void kws_conv1d_ol4_dense__neon(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                const uint8_t* input, bool narrow_input, int32_t* acc) {
    assert(shape != NULL && weights != NULL && bias != NULL && input != NULL && acc != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, groups = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;
    const bool wide = !narrow_input;
    KWS_FOR_TILES(VECTORS_MAX, wide ? WIDE_ROWS : ROWS, {
        const int8_t* w = weights + c * 4;
        switch (rows * 8 + vectors * 2 + wide) {
            KWS_DENSE_CASES(1, 0) KWS_DENSE_CASES(2, 0) KWS_DENSE_CASES(3, 0) KWS_DENSE_CASES(4, 0)
            KWS_DENSE_CASES(1, 1) KWS_DENSE_CASES(2, 1)
            default: assert(0 && "tile shape out of range");
        }
    });
}

/// The dot-product dense pass: the int8 kernel's SDOT tile (exact for any u8 input, so narrow or not), with
/// the accumulators stored instead of requantized.
static inline __attribute__((always_inline)) KWS_TARGET_DOTPROD void dot_dense_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t groups, const int8_t* w,
    size_t row, const int32x4_t* init, int32_t* acc_out) {
    int32x4_t acc[KWS_NEONDOT_ROWS][KWS_NEONDOT_VECTORS];
    kws_neondot_tile(rows, vectors, x, input_step, groups, w, row, init, acc);
    for (size_t m = 0; m < rows; m++)
        for (size_t v = 0; v < vectors; v++) vst1q_s32(acc_out + m * row + v * LANES, acc[m][v]);
}

#define KWS_DOT_CASE(ROWS_, VECTORS)                                                                         \
    case (ROWS_) * 8 + (VECTORS):                                                                            \
        dot_dense_tile(ROWS_, VECTORS, x, input_step, groups, w, row, init, out);                            \
        break;
#define KWS_DOT_CASES(ROWS_) KWS_DOT_CASE(ROWS_, 1) KWS_DOT_CASE(ROWS_, 2) KWS_DOT_CASE(ROWS_, 3) KWS_DOT_CASE(ROWS_, 4)

KWS_TARGET_DOTPROD
void kws_conv1d_ol4_dense__neondot(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                   const uint8_t* input, bool narrow_input, int32_t* acc) {
    assert(shape != NULL && weights != NULL && bias != NULL && input != NULL && acc != NULL);
    (void)narrow_input;
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, groups = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;
    int32x4_t init[KWS_NEONDOT_VECTORS];
    size_t initialized = (size_t)-1;
    KWS_FOR_TILES(KWS_NEONDOT_VECTORS, KWS_NEONDOT_ROWS, {
        const int8_t* w = weights + c * 4;
        if (initialized != c) {
            kws_neondot_column_init(vectors, w, groups, row, bias + c, init);
            initialized = c;
        }
        switch (rows * 8 + vectors) {
            KWS_DOT_CASES(1) KWS_DOT_CASES(2) KWS_DOT_CASES(3) KWS_DOT_CASES(4)
            default: assert(0 && "tile shape out of range");
        }
    });
}

/// The output step a padded input row meets at `tap`, or -1 when no output step does (as the scalar pass).
static inline long output_step(size_t padded_row, size_t tap, const kws_conv1d_u8s8_shape* shape) {
    if (padded_row < tap) return -1;
    const size_t distance = padded_row - tap;
    if (distance % shape->stride != 0) return -1;
    const size_t t = distance / shape->stride;
    return t < shape->output_length ? (long)t : -1;
}

void kws_conv1d_ol4_sparse__neon(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                 const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                 size_t input_row_offset, const kws_ol4_outlier* residual_outliers,
                                 size_t residual_outlier_count, const int32_t* residual_multiplier,
                                 const int32_t* residual_shift, int32_t* acc) {
    const size_t row = kws_conv1d_u8s8_packed_channels(shape->output_channels);
    for (size_t k = 0; k < input_outlier_count; k++) {
        const kws_ol4_outlier outlier = input_outliers[k];
        assert(outlier.channel < shape->input_channels);
        const size_t padded_row = outlier.row + input_row_offset;
        for (size_t tap = 0; tap < shape->kernel_size; tap++) {
            const long t = output_step(padded_row, tap, shape);
            if (t < 0) continue;
            const size_t q = tap * shape->input_channels + outlier.channel;
            const int8_t* w = weights + (q / 4) * row * 4;
            int32_t* a = acc + (size_t)t * row;
            // The outlier's weights are every 4th byte of the quad row: `ld4` de-interleaves 16 channels' quads
            // so register q % 4 holds them; padding channels have zero weights, so all `row` lanes are added.
            for (size_t o = 0; o < row; o += 16) {
                const int8x16x4_t quads = vld4q_s8(w + 4 * o);
                const int8x16_t wq = (q % 4 == 0) ? quads.val[0] : (q % 4 == 1) ? quads.val[1]
                                   : (q % 4 == 2) ? quads.val[2] : quads.val[3];
                const int16x8_t w16[2] = {vmovl_s8(vget_low_s8(wq)), vmovl_high_s8(wq)};
                for (int i = 0; i < 4; i++) {
                    const int32x4_t w32 = i % 2 == 0 ? vmovl_s16(vget_low_s16(w16[i / 2])) : vmovl_high_s16(w16[i / 2]);
                    // value <= 65535 and |w| <= 127: the product fits s32.
                    vst1q_s32(a + o + 4 * i, vmlaq_n_s32(vld1q_s32(a + o + 4 * i), w32, (int32_t)outlier.value));
                }
            }
        }
    }
    for (size_t k = 0; k < residual_outlier_count; k++) {
        const kws_ol4_outlier outlier = residual_outliers[k];
        acc[outlier.row * row + outlier.channel] += (int32_t)kws_rescale_s64(
            outlier.value, residual_multiplier[outlier.channel], residual_shift[outlier.channel]);
    }
}

size_t kws_conv1d_ol4_epilogue__neon(size_t length, size_t channels, const int32_t* acc,
                                     const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                                     kws_ol4_outlier* outliers) {
    const size_t row = kws_conv1d_u8s8_packed_channels(channels);
    const int32x4_t code_max = vdupq_n_s32(params->code_max), zero = vdupq_n_s32(0);
    size_t count = 0;
    // Rows outside, so the output outliers come out in (t, o) order as the scalar epilogue writes them.
    for (size_t t = 0; t < length; t++) {
        for (size_t c = 0; c < channels; c += LANES) {
            const size_t n = channels - c < LANES ? channels - c : LANES;
            const kws_u8s8_neon_rescale q = kws_u8s8_neon_load_rescale(params->multiplier + c, params->shift + c);
            const kws_u8s8_neon_rescale rr = residual != NULL
                ? kws_u8s8_neon_load_rescale(params->residual_multiplier + c, params->residual_shift + c) : q;
            int32x4_t a = vld1q_s32(acc + t * row + c);
            int64x2_t lo, hi;
            if (residual != NULL) {
                kws_u8s8_neon_rescale4(kws_u8s8_neon_load_u8x4(residual + t * channels + c, n), rr, &lo, &hi);
                a = vaddq_s32(a, vcombine_s32(vmovn_s64(lo), vmovn_s64(hi)));
            }
            kws_u8s8_neon_rescale4(a, q, &lo, &hi);
            // Saturating to s32 then clamping to [0, code_max] is the scalar 64-bit clamp.
            const int32x4_t y = vminq_s32(vmaxq_s32(vcombine_s32(vqmovn_s64(lo), vqmovn_s64(hi)), zero), code_max);
            const uint32x4_t above = vcgtq_s32(y, vdupq_n_s32(KWS_CONV1D_OL4_DENSE_MAX));
            const int32x4_t dense = vbicq_s32(y, vreinterpretq_s32_u32(above));
            uint8_t bytes[8];
            const uint16x4_t d16 = vmovn_u32(vreinterpretq_u32_s32(dense));
            vst1_u8(bytes, vmovn_u16(vcombine_u16(d16, d16)));
            memcpy(output + t * channels + c, bytes, n);
            if (vmaxvq_u32(above) == 0) continue;
            int32_t values[LANES];
            vst1q_s32(values, y);
            for (size_t lane = 0; lane < n; lane++) {
                if (values[lane] > KWS_CONV1D_OL4_DENSE_MAX) {
                    outliers[count++] = (kws_ol4_outlier){(uint32_t)t, (uint16_t)(c + lane), (uint16_t)values[lane]};
                }
            }
        }
    }
    return count;
}

#endif
