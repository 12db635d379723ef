#include <assert.h>
#include "kws_conv1d_hw.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"

KWS_TARGET_AVX512BW
void kws_hw_unpack__avx512(int bits, size_t blocks, const uint8_t* packed, int8_t* codes) {
    assert(bits == 2 || bits == 4);
    const int parts = 8 / bits;
    const size_t block_codes = KWS_HW_BLOCK_BYTES * (size_t)parts;
    const __m512i mask = _mm512_set1_epi8((char)((1 << bits) - 1));
    const __m512i sign = _mm512_set1_epi8((char)(1 << (bits - 1)));
    size_t b = 0;
    // Two blocks per zmm: part p of block 0 lands in the low 256 bits, of block 1 in the high 256 bits;
    // shuffle_i64x2 regroups two parts of one block into one 64-byte store.
    for (; b + 2 <= blocks; b += 2) {
        const __m512i v = _mm512_loadu_si512(packed + b * KWS_HW_BLOCK_BYTES);
        __m512i part[4];
        for (int p = 0; p < parts; p++) {
            const __m512i raw = _mm512_and_si512(_mm512_srli_epi16(v, bits * p), mask);
            part[p] = _mm512_sub_epi8(_mm512_xor_si512(raw, sign), sign);
        }
        int8_t* first = codes + b * block_codes;
        int8_t* second = first + block_codes;
        for (int p = 0; p < parts; p += 2) {
            _mm512_storeu_si512(first + p * KWS_HW_BLOCK_BYTES, _mm512_shuffle_i64x2(part[p], part[p + 1], 0x44));
            _mm512_storeu_si512(second + p * KWS_HW_BLOCK_BYTES, _mm512_shuffle_i64x2(part[p], part[p + 1], 0xEE));
        }
    }
    if (b < blocks) {
        const __m256i v = _mm256_loadu_si256((const __m256i*)(packed + b * KWS_HW_BLOCK_BYTES));
        for (int p = 0; p < parts; p++) {
            const __m256i raw = _mm256_and_si256(_mm256_srli_epi16(v, bits * p), _mm512_castsi512_si256(mask));
            const __m256i s = _mm512_castsi512_si256(sign);
            _mm256_storeu_si256((__m256i*)(codes + b * block_codes + p * KWS_HW_BLOCK_BYTES),
                                _mm256_sub_epi8(_mm256_xor_si256(raw, s), s));
        }
    }
}

KWS_TARGET_AVX512BW
void kws_hw_requantize_u8__avx512(size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                                  const uint8_t* input, uint8_t* output) {
    assert(multiplier < (1u << 23) && shift <= 31u);
    const __m512i m = _mm512_set1_epi32((int)multiplier);
    const __m512i r = _mm512_set1_epi32(shift > 0 ? (int)(1u << (shift - 1)) : 0);
    const __m128i n = _mm_cvtsi32_si128((int)shift);
    const __m512i top = _mm512_set1_epi32(maximum);
    for (size_t i = 0; i < count; i += 16) {
        const __mmask16 live = count - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (count - i)) - 1);
        const __m512i x = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(live, input + i));
        const __m512i v = _mm512_min_epu32(_mm512_srl_epi32(_mm512_add_epi32(_mm512_mullo_epi32(x, m), r), n), top);
        _mm512_mask_cvtepi32_storeu_epi8(output + i, live, v);
    }
}

#endif
