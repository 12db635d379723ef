#include <assert.h>
#include <string.h>
#include "kws_conv1d_ol4.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"
#include "kws_conv1d_u8s8_sizes.h"
#include "kws_conv1d_u8s8_vnni_tile.h"

enum { ROWS = KWS_VNNI_ROWS, UNITS_MAX = KWS_VNNI_UNITS, LANES = KWS_VNNI_LANES, TAIL_LANES = KWS_VNNI_TAIL_LANES };

KWS_TARGET_VNNI
void kws_ol4_unpack_s4__avx512(size_t count, const uint8_t* packed, int8_t* codes) {
    assert(count % 64 == 0);
    const __m256i low = _mm256_set1_epi8(0x0F);
    const __m512i eight = _mm512_set1_epi8(8);
    for (size_t block = 0; block < count / 64; block++) {
        const __m256i p = _mm256_loadu_si256((const __m256i*)(packed + block * 32));
        const __m256i lo = _mm256_and_si256(p, low);
        const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(p, 4), low);
        const __m512i nibbles = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
        _mm512_storeu_si512(codes + block * 64, _mm512_sub_epi8(_mm512_xor_si512(nibbles, eight), eight));
    }
}

/// One `rows x (16 * vectors + 8 * tail)` tile of the dense pass: the int8 kernel's accumulation (kws_vnni_tile)
/// with the accumulators stored as they are instead of requantized. `acc` has `row` >= 16 * vectors + 8 * tail
/// columns from `c`, so whole vectors are stored without masks.
KWS_INLINE KWS_TARGET_VNNI void dense_tile(const size_t rows, const size_t vectors, const bool tail, const uint8_t* x,
                                           size_t input_step, size_t groups, const int8_t* w, size_t row,
                                           const int32_t* bias, int32_t* acc_out) {
    __m512i acc[ROWS][UNITS_MAX];
    __m256i acc_tail[ROWS];
    kws_vnni_tile(rows, vectors, tail, x, input_step, groups, w, row, bias, acc, acc_tail);
    for (size_t m = 0; m < rows; m++) {
        for (size_t v = 0; v < vectors; v++) _mm512_storeu_si512(acc_out + m * row + v * LANES, acc[m][v]);
        if (tail) _mm256_storeu_si256((__m256i*)(acc_out + m * row + vectors * LANES), acc_tail[m]);
    }
}

#define KWS_TILE_CASE(ROWS_, VECTORS, TAIL)                                                               \
    case (ROWS_) * 8 + (VECTORS) * 2 + (TAIL):                                                            \
        dense_tile(ROWS_, VECTORS, TAIL, x, input_step, groups, w, row, bias + c, out);                   \
        break;
#define KWS_TILE_CASES(ROWS_)                                                                             \
    KWS_TILE_CASE(ROWS_, 0, 1) KWS_TILE_CASE(ROWS_, 1, 0) KWS_TILE_CASE(ROWS_, 1, 1)                     \
    KWS_TILE_CASE(ROWS_, 2, 0) KWS_TILE_CASE(ROWS_, 2, 1) KWS_TILE_CASE(ROWS_, 3, 0)

KWS_TARGET_VNNI
void kws_conv1d_ol4_dense__avx512vnni(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                      const uint8_t* input, bool narrow_input, int32_t* acc) {
    assert(shape != NULL && weights != NULL && bias != NULL && input != NULL && acc != NULL);
    // vpdpbusd adds four u8 x s8 products straight into s32: exact for any input, narrow or not.
    (void)narrow_input;
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, groups = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;
    // Column and row blocking as in the int8 kernel: whole zmm units, a ymm tail for a remainder of at most
    // 8 channels, blocks of at most 3 units, rows split evenly into tiles of at most 8.
    kws_unit_walk blocks = kws_unit_blocks(channels, LANES, TAIL_LANES, UNITS_MAX);
    for (kws_unit_block block; kws_next_unit_block(&blocks, &block);) {
        const size_t c = block.c, vectors = block.vectors, tail = (size_t)block.tail;
        const int8_t* w = weights + c * 4;
        kws_row_walk tiles = kws_row_tiles(shape->output_length, ROWS);
        for (kws_row_tile tile; kws_next_row_tile(&tiles, &tile);) {
            const uint8_t* x = input + tile.t * input_step;
            int32_t* out = acc + tile.t * row + c;
            switch (tile.rows * 8 + vectors * 2 + tail) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2) KWS_TILE_CASES(3) KWS_TILE_CASES(4)
                KWS_TILE_CASES(5) KWS_TILE_CASES(6) KWS_TILE_CASES(7) KWS_TILE_CASES(8)
                default: assert(0 && "tile shape out of range");
            }
        }
    }
}

KWS_TARGET_VNNI
void kws_conv1d_ol4_sparse__avx512(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                   const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                   size_t input_row_offset, const kws_ol4_outlier* residual_outliers,
                                   size_t residual_outlier_count, const int32_t* residual_multiplier,
                                   const int32_t* residual_shift, int32_t* acc) {
    const size_t row = kws_conv1d_u8s8_packed_channels(shape->output_channels);
    // Outliers of one input row meet the same output rows at every tap: their products are summed in
    // registers and added to each accumulator row once, so consecutive outliers do not chain through memory.
    for (size_t first = 0, end = 0; first < input_outlier_count; first = end) {
        const size_t padded_row = input_outliers[first].row + input_row_offset;
        for (end = first + 1; end < input_outlier_count && input_outliers[end].row == input_outliers[first].row; end++) {}
        for (size_t tap = 0; tap < shape->kernel_size && tap <= padded_row; tap++) {
            const size_t distance = padded_row - tap;
            if (distance % shape->stride != 0 || distance / shape->stride >= shape->output_length) continue;
            int32_t* a = acc + distance / shape->stride * row;
            for (size_t o = 0; o < row; o += LANES) {
                __m512i sum = _mm512_setzero_si512();
                for (size_t k = first; k < end; k++) {
                    assert(input_outliers[k].channel < shape->input_channels);
                    const size_t q = tap * shape->input_channels + input_outliers[k].channel;
                    // Byte q % 4 of every quad: shifted to the top of its s32 lane, then arithmetically back down.
                    const __m128i left = _mm_cvtsi32_si128((int)(24 - 8 * (q % 4)));
                    const __m512i w = _mm512_loadu_si512(weights + (q / 4) * row * 4 + 4 * o);
                    const __m512i ws = _mm512_srai_epi32(_mm512_sll_epi32(w, left), 24);
                    sum = _mm512_add_epi32(sum, _mm512_mullo_epi32(ws, _mm512_set1_epi32(input_outliers[k].value)));
                }
                _mm512_storeu_si512(a + o, _mm512_add_epi32(_mm512_loadu_si512(a + o), sum));
            }
        }
    }
    for (size_t k = 0; k < residual_outlier_count; k++) {
        const kws_ol4_outlier outlier = residual_outliers[k];
        acc[outlier.row * row + outlier.channel] += (int32_t)kws_rescale_s64(
            outlier.value, residual_multiplier[outlier.channel], residual_shift[outlier.channel]);
    }
}

/// `rescale` (kws_conv1d_u8s8.h) on 16 s32 lanes, as in kws_conv1d_u8s8_8x48__avx512vnni.c: even and odd lanes
/// through separate 32x32->64 products and 64-bit arithmetic shifts. Every result fits in s32 (loader bounds).
typedef struct { __m512i m, m_odd, n_even, n_odd, r_even, r_odd; } rescale_zmm;

KWS_INLINE KWS_TARGET_VNNI rescale_zmm load_rescale16(const int32_t* multiplier, const int32_t* shift) {
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i n = _mm512_loadu_si512(shift);
    rescale_zmm r;
    r.m = _mm512_loadu_si512(multiplier);
    r.m_odd = _mm512_srli_epi64(r.m, 32);
    r.n_even = _mm512_and_si512(n, _mm512_set1_epi64(0xFFFFFFFF));
    r.n_odd = _mm512_srli_epi64(n, 32);
    r.r_even = _mm512_sllv_epi64(one, _mm512_sub_epi64(r.n_even, one));
    r.r_odd = _mm512_sllv_epi64(one, _mm512_sub_epi64(r.n_odd, one));
    return r;
}

KWS_INLINE KWS_TARGET_VNNI __m512i rescale16(__m512i value, rescale_zmm r) {
    const __m512i even = _mm512_srav_epi64(_mm512_add_epi64(_mm512_mul_epi32(value, r.m), r.r_even), r.n_even);
    const __m512i odd = _mm512_srav_epi64(
        _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(value, 32), r.m_odd), r.r_odd), r.n_odd);
    return _mm512_mask_blend_epi32((__mmask16)0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

/// Rescale constants of this many 16-channel blocks are kept on the stack across rows; wider layers reload them.
enum { CACHED_BLOCKS = 8 };

KWS_TARGET_VNNI
size_t kws_conv1d_ol4_epilogue__avx512(size_t length, size_t channels, const int32_t* acc,
                                       const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                                       kws_ol4_outlier* outliers) {
    const size_t row = kws_conv1d_u8s8_packed_channels(channels);
    const __m512i zero = _mm512_setzero_si512();
    const __m512i dense_max = _mm512_set1_epi32(KWS_CONV1D_OL4_DENSE_MAX);
    const __m512i code_max = _mm512_set1_epi32(params->code_max);
    const size_t blocks = row / LANES;
    rescale_zmm cached[CACHED_BLOCKS], cached_residual[CACHED_BLOCKS];
    for (size_t b = 0; b < blocks && b < CACHED_BLOCKS; b++) {
        cached[b] = load_rescale16(params->multiplier + b * LANES, params->shift + b * LANES);
        if (residual != NULL) cached_residual[b] = load_rescale16(params->residual_multiplier + b * LANES, params->residual_shift + b * LANES);
    }
    size_t count = 0;
    // Rows outer, channels inner, so the outlier list comes out in (t, o) order like the scalar variant's.
    for (size_t t = 0; t < length; t++) {
        for (size_t b = 0, c = 0; c < channels; b++, c += LANES) {
            const __mmask16 mask = channels - c >= LANES ? (__mmask16)0xFFFF : (__mmask16)((1u << (channels - c)) - 1);
            const rescale_zmm q = b < CACHED_BLOCKS ? cached[b] : load_rescale16(params->multiplier + c, params->shift + c);
            __m512i a = _mm512_loadu_si512(acc + t * row + c);
            if (residual != NULL) {
                const rescale_zmm rr = b < CACHED_BLOCKS ? cached_residual[b]
                    : load_rescale16(params->residual_multiplier + c, params->residual_shift + c);
                const __m512i r = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, residual + t * channels + c));
                a = _mm512_add_epi32(a, rescale16(r, rr));
            }
            const __m512i y = _mm512_min_epi32(_mm512_max_epi32(rescale16(a, q), zero), code_max);
            const __mmask16 big = _mm512_mask_cmpgt_epi32_mask(mask, y, dense_max);
            _mm512_mask_cvtepi32_storeu_epi8(output + t * channels + c, mask, _mm512_mask_blend_epi32(big, y, zero));
            if (big == 0) continue;
            int32_t values[LANES];
            _mm512_storeu_si512(values, y);
            for (unsigned bits = big; bits != 0; bits &= bits - 1) {
                const unsigned lane = (unsigned)__builtin_ctz(bits);
                outliers[count++] = (kws_ol4_outlier){(uint32_t)t, (uint16_t)(c + lane), (uint16_t)values[lane]};
            }
        }
    }
    return count;
}

#endif
