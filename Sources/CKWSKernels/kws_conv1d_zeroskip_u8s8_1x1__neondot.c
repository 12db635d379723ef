#include <assert.h>
#include <string.h>
#include "kws_conv1d_zeroskip_u8s8_common.h"

#if defined(__aarch64__)
#include <arm_neon.h>
#include "kws_conv1d_u8s8_neon_epilogue.h"
#include "kws_simd_target.h"

/// The activation mask, 16 bytes per compare: each nonzero byte keeps its own bit of {1, 2, ..., 128} and one
/// horizontal add per 8 bytes packs them into a mask byte (NEON has no movemask). The tail (< 64 bytes) is
/// read byte by byte, so nothing past the span is read.
static void build_mask(const uint8_t* input, size_t bits, uint64_t* mask, size_t words) {
    static const uint8_t weights[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
    const uint8x16_t bit = vld1q_u8(weights);
    size_t b = 0;
    for (; b + 64 <= bits; b += 64) {
        uint64_t word = 0;
        for (int part = 0; part < 4; part++) {
            const uint8x16_t x = vld1q_u8(input + b + 16 * part);
            const uint8x16_t set = vandq_u8(vtstq_u8(x, x), bit);
            word |= (uint64_t)vaddv_u8(vget_low_u8(set)) << (16 * part);
            word |= (uint64_t)vaddv_u8(vget_high_u8(set)) << (16 * part + 8);
        }
        mask[b / 64] = word;
    }
    if (b < bits) mask[b / 64] = kws_zeroskip_tail_word(input, b, bits);
    mask[words] = 0;
}

enum { STEPS = 8 };

/// `steps` (a constant after inlining) output steps of one channel. As in the AVX-512 variant, a 64-position
/// word is one unit of issue: its expanded weights (0 wherever the channel has no weight) meet the word's 64
/// input bytes in 4 SDOTs per step, so exactly the intersected pairs contribute, branch-free; `macs` counts
/// them by popcount. SDOT is s8 x s8: inputs are flipped by xor 0x80 and the caller adds 128 * the channel's
/// weight sum (kws_conv1d_u8s8_neondot_tile.h). A word that would read past the input span is copied into a
/// zeroed buffer first (NEON has no masked load); the bytes it leaves out meet zero weights. Each step's sum is
/// stored at `acc_out + m * acc_step`.
static inline __attribute__((always_inline)) KWS_TARGET_DOTPROD uint64_t channel_steps(
    const size_t steps, size_t words, const uint64_t* wm, const uint64_t* windows, const int8_t* expanded,
    const uint8_t* input, size_t first, size_t input_step, size_t bits, int32_t* acc_out, size_t acc_step) {
    int32x4_t acc[STEPS];
    uint64_t macs = 0;
    const uint8x16_t flip = vdupq_n_u8(0x80);
    for (size_t m = 0; m < steps; m++) acc[m] = vdupq_n_s32(0);
    for (size_t w = 0; w < words; w++) {
        int8x16_t weights[4];
        for (int part = 0; part < 4; part++) weights[part] = vld1q_s8(expanded + 64 * w + 16 * part);
        for (size_t m = 0; m < steps; m++) {
            macs += (uint64_t)__builtin_popcountll(wm[w] & windows[m * words + w]);
            const size_t start = first + m * input_step + 64 * w;
            const uint8_t* x = input + start;
            uint8_t tail[64];
            if (start + 64 > bits) {
                memset(tail, 0, sizeof tail);
                memcpy(tail, x, bits - start);
                x = tail;
            }
            for (int part = 0; part < 4; part++) {
                const int8x16_t xv = vreinterpretq_s8_u8(veorq_u8(vld1q_u8(x + 16 * part), flip));
                acc[m] = vdotq_s32(acc[m], weights[part], xv);
            }
        }
    }
#pragma GCC unroll 8
    for (size_t m = 0; m < steps; m++) acc_out[m * acc_step] = vaddvq_s32(acc[m]);
    return macs;
}

KWS_TARGET_DOTPROD
uint64_t kws_conv1d_zeroskip_u8s8_1x1__neondot(const kws_conv1d_u8s8_shape* shape,
                                               const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                               const uint8_t* residual, uint8_t* output, uint64_t* scratch,
                                               bool dense_input) {
    const kws_zeroskip_scratch s = kws_zeroskip_prepare(shape, params, input, output, scratch, dense_input, build_mask);
    const size_t channels = shape->output_channels, words = params->mask_words;
    const size_t input_step = shape->stride * shape->input_channels;
    const size_t bits = s.bits;

    // Channel by channel, so its weights are expanded once (bit walk; no NEON expand) and reused at every step.
    // The s32 sums go to the first of each output's four scratch slots; the second holds the channel's
    // correction 128 * sum of its weights, the same for every step.
    uint64_t macs = 0;
    for (size_t o = 0; o < channels; o++) {
        const uint64_t* wm = params->masks + o * words;
        const uint32_t* offsets = params->offsets + o * (words + 1);
        int32_t weight_sum = 0;
        memset(s.expanded, 0, 64 * words);
        for (size_t w = 0; w < words; w++) {
            uint32_t k = offsets[w];
            for (uint64_t m = wm[w]; m != 0; m &= m - 1) {
                const int8_t v = params->values[k++];
                s.expanded[64 * w + (size_t)__builtin_ctzll(m)] = v;
                weight_sum += v;
            }
        }
        size_t t = 0;
        for (; t + STEPS <= shape->output_length; t += STEPS) {
            macs += channel_steps(STEPS, words, wm, s.windows + t * words, s.expanded, input, t * input_step, input_step,
                                  bits, s.acc + (t * s.acc_row + o) * 4, s.acc_row * 4);
        }
        for (; t < shape->output_length; t++) {
            macs += channel_steps(1, words, wm, s.windows + t * words, s.expanded, input, t * input_step, input_step,
                                  bits, s.acc + (t * s.acc_row + o) * 4, s.acc_row * 4);
        }
        s.acc[o * 4 + 1] = weight_sum * 128;
    }
    for (size_t t = 0; t < shape->output_length; t++) {
        const int32_t* row = s.acc + t * s.acc_row * 4;
        const uint8_t* r = residual != NULL ? residual + t * channels : NULL;
        uint8_t* y = output + t * channels;
        for (size_t c = 0; c < channels; c += 4) {
            const size_t count = channels - c < 4 ? channels - c : 4;
            // Slot 0 of channels c..c+3 (lanes past `channels` hold stale sums, never stored), plus bias and
            // the correction kept in row 0's slot 1.
            const int32x4_t sums = vld4q_s32(row + 4 * c).val[0];
            const int32x4_t correction = vld4q_s32(s.acc + 4 * c).val[1];
            const int32x4_t acc = vaddq_s32(vaddq_s32(sums, correction), vld1q_s32(params->bias + c));
            const kws_u8s8_neon_rescale q = kws_u8s8_neon_load_rescale(params->multiplier + c, params->shift + c);
            const kws_u8s8_neon_rescale rr = r != NULL
                ? kws_u8s8_neon_load_rescale(params->residual_multiplier + c, params->residual_shift + c) : q;
            kws_u8s8_neon_finish4(acc, q, rr, r != NULL ? r + c : NULL, y + c, count);
        }
    }
    return macs;
}

#endif
