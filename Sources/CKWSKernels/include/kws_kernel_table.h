#ifndef KWS_KERNEL_TABLE_H
#define KWS_KERNEL_TABLE_H
#include <stddef.h>
#include <stdint.h>
#include "kws_conv1d_f32.h"
#include "kws_conv1d_hw.h"
#include "kws_conv1d_ol4.h"
#include "kws_conv1d_u8s8.h"
#include "kws_conv1d_zeroskip_u8s8.h"
#include "kws_isa.h"
#include "kws_mfcc.h"

/*
 * One table per operation, filled once from one CPU probe (as XNNPACK's per-datatype configs are): for each
 * requested level, every operation's entry holds the variant chosen for this CPU, its name, the weight layout
 * it reads and its register tile. A caller resolves its entries once (an engine at creation), packs the
 * weights in the layout the entry names and calls the function pointer: the hot path never looks at the CPU.
 *
 * The choice per operation, for a requested level L on this CPU (the best variant at or below L whose
 * features the CPU has):
 *   - conv1d_f32:     avx512f (L = avx512), avx2 + fma, scalar;
 *   - conv1d_u8s8, quantize_f32_u8, conv1d_hw, conv1d_ol4: avx512f + bw + vl + vnni (L = avx512), avx2 + fma,
 *                     scalar;
 *   - conv1d_u8s8_acc16: avx2 + fma (L >= avx2), scalar;
 *   - conv1d_zeroskip_u8s8: the avx512 VNNI set + vbmi2 (L = avx512), avx2 + fma + bmi2 + popcnt, scalar;
 *   - mfcc_frame: avx512f (L = avx512), avx2 + fma, scalar (all three give the same bits, kws_mfcc.h).
 * On aarch64 (tiers named neon and neondot, kws_isa.h):
 *   - conv1d_f32, quantize_f32_u8: neon (L >= neon), scalar;
 *   - conv1d_u8s8: neon + asimddp + i8mm, neon + asimddp (L = neondot), neon, scalar;
 *   - conv1d_hw: neon + asimddp (the int8 SDOT kernel on the unpacked quads), neon (s8 `smlal`), scalar;
 *   - conv1d_ol4: neon + asimddp (SDOT dense pass), neon (s8 `smlal` dense pass), scalar; the other stages are
 *     NEON at both;
 *   - conv1d_zeroskip_u8s8: neon + asimddp (L = neondot), scalar;
 *   - conv1d_u8s8_acc16: scalar (it emulates x86's saturating `vpmaddubsw`, which the exact dot product makes
 *     pointless on Arm);
 *   - mfcc_frame: scalar (the front end is a small part of a frame's cost beside FFTW);
 * Thread safety: kws_kernels_for may be called from any thread; the tables never change once filled.
 */

typedef void (*kws_conv1d_f32_fn)(const kws_conv1d_f32_shape* shape, const float* input, const float* packed_weights,
                                  const float* packed_bias, const float* residual, float* output, bool relu);
typedef void (*kws_conv1d_u8s8_fn)(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                   const uint8_t* input, const uint8_t* residual, uint8_t* output);
typedef void (*kws_quantize_f32_u8_fn)(size_t length, size_t channels, const float* input, const float* inverse_scale,
                                       const int32_t* zero_point, uint8_t* output);
typedef uint64_t (*kws_conv1d_zeroskip_u8s8_fn)(const kws_conv1d_u8s8_shape* shape,
                                                const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                                const uint8_t* residual, uint8_t* output, uint64_t* scratch,
                                                bool dense_input);
typedef void (*kws_hw_unpack_fn)(int bits, size_t blocks, const uint8_t* packed, int8_t* codes);
typedef void (*kws_hw_requantize_u8_fn)(size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                                        const uint8_t* input, uint8_t* output);
typedef void (*kws_ol4_unpack_s4_fn)(size_t count, const uint8_t* packed, int8_t* codes);
typedef void (*kws_conv1d_ol4_dense_fn)(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                        const int32_t* bias, const uint8_t* input, bool narrow_input, int32_t* acc);
typedef void (*kws_conv1d_ol4_sparse_fn)(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                         const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                         size_t input_row_offset, const kws_ol4_outlier* residual_outliers,
                                         size_t residual_outlier_count, const int32_t* residual_multiplier,
                                         const int32_t* residual_shift, int32_t* acc);
typedef size_t (*kws_conv1d_ol4_epilogue_fn)(size_t length, size_t channels, const int32_t* acc,
                                             const kws_conv1d_ol4_params* params, const uint8_t* residual,
                                             uint8_t* output, kws_ol4_outlier* outliers);

/// Which packed weight operand of `kws_conv1d_u8s8_params` a u8s8 variant reads (kws_conv1d_u8s8.h).
typedef enum kws_u8s8_weight_layout {
    /// `weights_s8`: `[dp / 4][cp][4]` quads (`vpdpbusd` order).
    KWS_U8S8_WEIGHTS_S8_QUADS = 0,
    /// `weights_s16`: `[dp / 2][cp][2]` pairs widened to s16 (`vpmaddwd`).
    KWS_U8S8_WEIGHTS_S16_PAIRS = 1,
    /// `weights_pairs_s8`: `[dp / 2][cp][2]` s8 pairs (`vpmaddubsw`).
    KWS_U8S8_WEIGHTS_S8_PAIRS = 2,
    /// `weights_s16`: per depth quad `g`, pairs (4g, 4g+2) then (4g+1, 4g+3), widened to s16 (AVX2 `vpmaddwd`
    /// on a broadcast quad).
    KWS_U8S8_WEIGHTS_S16_QUAD_PAIRS = 3,
} kws_u8s8_weight_layout;

/// Float convolution (kws_conv1d_f32.h); weights are always `[k][C_in][packed_channels]`.
typedef struct kws_conv1d_f32_config {
    kws_conv1d_f32_fn run;
    /// The variant's function name without `kws_`, e.g. `conv1d_f32_8x48__avx512f`.
    const char* name;
    /// The level the variant runs at (at most the requested one).
    kws_isa isa;
    /// Register tile: output steps x output channels.
    size_t tile_steps;
    size_t tile_channels;
} kws_conv1d_f32_config;

/// u8 x s8 convolution, exact or acc16 (kws_conv1d_u8s8.h).
typedef struct kws_conv1d_u8s8_config {
    kws_conv1d_u8s8_fn run;
    const char* name;
    kws_isa isa;
    /// The one weight operand this variant reads; the others may be NULL.
    kws_u8s8_weight_layout layout;
    size_t tile_steps;
    size_t tile_channels;
} kws_conv1d_u8s8_config;

/// Input quantization f32 -> u8 (kws_conv1d_u8s8.h).
typedef struct kws_quantize_f32_u8_config {
    kws_quantize_f32_u8_fn run;
    const char* name;
    kws_isa isa;
} kws_quantize_f32_u8_config;

/// Zero-skipping u8 x s8 convolution (kws_conv1d_zeroskip_u8s8.h); one layout (bitmask + packed nonzeros).
typedef struct kws_conv1d_zeroskip_u8s8_config {
    kws_conv1d_zeroskip_u8s8_fn run;
    const char* name;
    kws_isa isa;
} kws_conv1d_zeroskip_u8s8_config;

/// Precision-highway stages (kws_conv1d_hw.h), all at one level; the convolution reads `weights_s8` quads.
typedef struct kws_conv1d_hw_config {
    kws_hw_unpack_fn unpack;
    kws_conv1d_u8s8_fn conv;
    kws_hw_requantize_u8_fn requantize;
    /// The convolution stage's variant, e.g. `conv1d_u8s8_8x48__avx512vnni`.
    const char* name;
    kws_isa isa;
    size_t tile_steps;
    size_t tile_channels;
} kws_conv1d_hw_config;

/// Outlier-aware 4-bit stages (kws_conv1d_ol4.h), all at one level so a CPU runs the whole layer on one path.
typedef struct kws_conv1d_ol4_config {
    kws_ol4_unpack_s4_fn unpack;
    kws_conv1d_ol4_dense_fn dense;
    kws_conv1d_ol4_sparse_fn sparse;
    kws_conv1d_ol4_epilogue_fn epilogue;
    /// The dense stage's variant, e.g. `conv1d_ol4_dense__avx512vnni`.
    const char* name;
    kws_isa isa;
} kws_conv1d_ol4_config;

/// kws_conv1d_ol4 (the whole layer) on `kernels`' stages, without looking the table up.
size_t kws_conv1d_ol4_with(const kws_conv1d_ol4_config* kernels, const kws_conv1d_u8s8_shape* shape,
                           const kws_conv1d_ol4_params* params, const uint8_t* input,
                           const kws_ol4_outlier* input_outliers, size_t input_outlier_count, size_t input_row_offset,
                           const uint8_t* residual, const kws_ol4_outlier* residual_outliers,
                           size_t residual_outlier_count, int8_t* weight_scratch, int32_t* acc, uint8_t* output,
                           kws_ol4_outlier* output_outliers);

/// kws_conv1d_ol4_unpacked on `kernels`' stages.
size_t kws_conv1d_ol4_unpacked_with(const kws_conv1d_ol4_config* kernels, const kws_conv1d_u8s8_shape* shape,
                                    const kws_conv1d_ol4_params* params, const int8_t* weights, const uint8_t* input,
                                    const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                    size_t input_row_offset, const uint8_t* residual,
                                    const kws_ol4_outlier* residual_outliers, size_t residual_outlier_count,
                                    int32_t* acc, uint8_t* output, kws_ol4_outlier* output_outliers);

/// The MFCC stages around the FFT (kws_mfcc.h), both at one level.
typedef struct kws_mfcc_frame_config {
    kws_mfcc_window_fn window;
    kws_mfcc_cepstrum_fn cepstrum;
    /// The cepstrum stage's variant, e.g. `mfcc_cepstrum__avx512`.
    const char* name;
    kws_isa isa;
} kws_mfcc_frame_config;

/// Every operation's entry for one requested level.
typedef struct kws_kernels {
    /// The level asked for (each entry's `isa` may be lower).
    kws_isa requested;
    kws_conv1d_f32_config conv1d_f32;
    kws_conv1d_u8s8_config conv1d_u8s8;
    kws_conv1d_u8s8_config conv1d_u8s8_acc16;
    kws_quantize_f32_u8_config quantize_f32_u8;
    kws_conv1d_zeroskip_u8s8_config conv1d_zeroskip_u8s8;
    kws_conv1d_hw_config conv1d_hw;
    kws_conv1d_ol4_config conv1d_ol4;
    kws_mfcc_frame_config mfcc_frame;
} kws_kernels;

/// The entries for `requested` on this CPU (a level above `KWS_ISA_AVX512` reads as `KWS_ISA_AVX512`). The
/// first call probes the CPU and fills every level's table; the pointer stays valid for the process.
const kws_kernels* kws_kernels_for(kws_isa requested);

#endif
