#ifndef KWS_CONV1D_U8S8_NEON_EPILOGUE_H
#define KWS_CONV1D_U8S8_NEON_EPILOGUE_H
// Private to the aarch64 u8s8-family kernels (not under include/, so not part of the module): the fused
// epilogue of kws_conv1d_u8s8.h on 4 s32 lanes, shared by the NEON, dot-product and highway variants.
#include <arm_neon.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"
#include "kws_simd_target.h"

/// The per-column constants of `rescale`: the multiplier and the shift as the negative 64-bit shift counts
/// `vrshlq_s64` wants, split into the low and high two lanes. Loaded once per column, not once per row.
typedef struct {
    int32x4_t multiplier;
    int64x2_t shift_lo, shift_hi;
} kws_u8s8_neon_rescale;

static inline __attribute__((always_inline)) kws_u8s8_neon_rescale kws_u8s8_neon_load_rescale(const int32_t* multiplier,
                                                                                              const int32_t* shift) {
    const int32x4_t negative = vnegq_s32(vld1q_s32(shift));
    return (kws_u8s8_neon_rescale){vld1q_s32(multiplier), vmovl_s32(vget_low_s32(negative)), vmovl_high_s32(negative)};
}

/// `rescale(v, m, n) = floor((v * m + 2^(n-1)) / 2^n)` as two 64-bit halves: one widening multiply and one
/// rounding shift right (`SRSHL` by -n adds 2^(n-1) before shifting, in more than 64 bits, so it is exactly
/// round-half-up division, the scalar formula) per pair of lanes.
static inline __attribute__((always_inline)) void kws_u8s8_neon_rescale4(int32x4_t value, kws_u8s8_neon_rescale r,
                                                                         int64x2_t* lo, int64x2_t* hi) {
    *lo = vrshlq_s64(vmull_s32(vget_low_s32(value), vget_low_s32(r.multiplier)), r.shift_lo);
    *hi = vrshlq_s64(vmull_high_s32(value, r.multiplier), r.shift_hi);
}

/// The first `count` (1..4) bytes at `p`, zero-extended to s32 lanes.
static inline __attribute__((always_inline)) int32x4_t kws_u8s8_neon_load_u8x4(const uint8_t* p, size_t count) {
    uint8_t bytes[8] = {0};
    memcpy(bytes, p, count);
    return vreinterpretq_s32_u32(vmovl_u16(vget_low_u16(vmovl_u8(vld1_u8(bytes)))));
}

/// The epilogue on the 4 accumulators of channels `lane0 ...`: residual term (truncated to s32 as the scalar
/// `(int32_t)` cast does), requantize, then ReLU and the u8 clamp as two saturating narrows (s64 -> s32 ->
/// u16 -> u8 clamp exactly as the scalar 64-bit clamp to [0, 255]); stores `count` (1..4) bytes. `residual`
/// (NULL for none) and `y` point at channel `lane0` of their rows; `q` and `rr` are the columns' constants.
static inline __attribute__((always_inline)) void kws_u8s8_neon_finish4(int32x4_t acc, kws_u8s8_neon_rescale q,
                                                                        kws_u8s8_neon_rescale rr, const uint8_t* residual,
                                                                        uint8_t* y, size_t count) {
    int64x2_t lo, hi;
    if (residual != NULL) {
        kws_u8s8_neon_rescale4(kws_u8s8_neon_load_u8x4(residual, count), rr, &lo, &hi);
        acc = vaddq_s32(acc, vcombine_s32(vmovn_s64(lo), vmovn_s64(hi)));
    }
    kws_u8s8_neon_rescale4(acc, q, &lo, &hi);
    const uint16x4_t clamped = vqmovun_s32(vcombine_s32(vqmovn_s64(lo), vqmovn_s64(hi)));
    uint8_t bytes[8];
    vst1_u8(bytes, vqmovn_u16(vcombine_u16(clamped, clamped)));
    memcpy(y, bytes, count);
}

#endif
