#ifndef KWS_CONV1D_ZEROSKIP_U8S8_H
#define KWS_CONV1D_ZEROSKIP_U8S8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kws_conv1d_u8s8.h"
#include "kws_isa.h"

/*
 * Zero-skipping quantized temporal convolution (ZeNA-style, SPEC.md §4): the same integers as
 * kws_conv1d_u8s8 (kws_conv1d_u8s8.h: exact s32 accumulation, the same `rescale` epilogue with residual and
 * ReLU), but a multiply-accumulate is issued only for a pair whose s8 weight and u8 activation are both
 * nonzero. A skipped pair's product is 0, so the sum, and therefore every output byte, is bit-identical
 * to the dense kernel's.
 *
 * Weights: compressed per output channel as a bitmask plus packed values. Output channel `o` owns
 *   - `masks[o][w]`, `w < mask_words = ceil(depth / 64)`: bit `q % 64` of word `q / 64` is set when the
 *     weight at flattened depth index `q = tap * input_channels + input` is nonzero (bits past `depth` are 0);
 *   - its nonzero weights, in increasing `q`, at `values[offsets[o][0] ..< offsets[o][mask_words]]`, where
 *     `offsets[o][w]` (`[output_channels][mask_words + 1]`) is the index of the first nonzero of word `w`.
 * Why a bitmask over the flattened receptive field: channels-last activations make output step `t`'s
 * receptive field the contiguous span `input[t * stride * C_in ..][0 ..< depth]`, so the activation side
 * is a bitmask over the same flattened positions and one AND per 64 positions intersects them; the nonzero
 * count per output channel (what zero-aware allocation balances) is `offsets[o][mask_words] -
 * offsets[o][0]`; and at the sparsities of interest (<= 85% zeros) one bit per position is smaller than a
 * 16-bit index per nonzero.
 *
 * Activations: compressed at run time into a bitmask over the layer's padded input, row after row with no
 * gap (bit `r * C_in + i` is set when `input[r][i] != 0`), so every receptive field is one contiguous bit
 * window of the mask. Halo rows of post-ReLU activations hold 0 and are skipped like any zero.
 *
 * `dense_input`: the stem's input is u8 MFCC codes with a per-coefficient zero point, not post-ReLU values:
 * code 0 is a clamped MFCC, the real zero is the zero point (different per coefficient), and the padding rows
 * hold the zero points, whose products the stem's bias correction expects. With `dense_input` every input
 * position counts as nonzero (only weight zeros are skipped), so the stem is computed exactly as the dense
 * kernel does and its issued MACs are `output_length * nonzero weights`.
 *
 * Every variant returns the number of MACs it issued: the number of (t, o, q) with a nonzero weight and a
 * nonzero (or, with `dense_input`, any) activation; this count is identical across variants. It counts
 * multiply-accumulates, not instructions: the scalar and AVX2 variants execute one multiply per counted pair;
 * the AVX-512 variant puts exactly the counted pairs in the live lanes of its `vpdpbusd`s.
 *
 * `scratch` holds `kws_conv1d_zeroskip_u8s8_scratch_words(shape)` 64-bit words owned by the caller (the
 * kernel never allocates). `output` and `residual` are dense `[output_length][output_channels]`; the kernel
 * reads only the `padded_length(shape) * input_channels` input bytes of its span (no slack needed).
 */

/// The compressed weights and epilogue parameters of one layer; see the layout notes above. `bias`,
/// `multiplier`, `shift` and, with a residual, `residual_multiplier`, `residual_shift` hold
/// `kws_conv1d_u8s8_packed_channels(output_channels)` entries (the SIMD epilogues read whole vectors), with the
/// same meaning as in kws_conv1d_u8s8_params.
typedef struct kws_conv1d_zeroskip_u8s8_params {
    size_t mask_words;
    const uint64_t* masks;
    const uint32_t* offsets;
    const int8_t* values;
    const int32_t* bias;
    const int32_t* multiplier;
    const int32_t* shift;
    const int32_t* residual_multiplier;
    const int32_t* residual_shift;
} kws_conv1d_zeroskip_u8s8_params;

/// Input rows a layer reads, padding rows included: `(output_length - 1) * stride + kernel_size`.
static inline size_t kws_conv1d_zeroskip_u8s8_padded_length(const kws_conv1d_u8s8_shape* shape) {
    return (shape->output_length - 1) * shape->stride + shape->kernel_size;
}

/// 64-bit words in one output channel's weight mask: `ceil(kernel_size * input_channels / 64)`.
static inline size_t kws_conv1d_zeroskip_u8s8_mask_words(const kws_conv1d_u8s8_shape* shape) {
    return (shape->kernel_size * shape->input_channels + 63) / 64;
}

/// Scratch a call needs, in 64-bit words: the activation mask (plus one zero word so a bit window never reads
/// past it), every output step's window of it, one output channel's weights expanded to 64-byte words, and
/// four s32 partial sums of every output value.
static inline size_t kws_conv1d_zeroskip_u8s8_scratch_words(const kws_conv1d_u8s8_shape* shape) {
    const size_t bits = kws_conv1d_zeroskip_u8s8_padded_length(shape) * shape->input_channels;
    const size_t words = kws_conv1d_zeroskip_u8s8_mask_words(shape);
    return (bits + 63) / 64 + 1 + shape->output_length * words + words * 8
        + shape->output_length * kws_conv1d_u8s8_packed_channels(shape->output_channels) * 2;
}

/// Portable C: mask built byte by byte; each intersected pair found by count-trailing-zeros, its weight by the
/// rank (popcount of the lower weight bits). One output value at a time with the scalar epilogue.
uint64_t kws_conv1d_zeroskip_u8s8_1x1__scalar(const kws_conv1d_u8s8_shape* shape,
                                              const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                              const uint8_t* residual, uint8_t* output, uint64_t* scratch,
                                              bool dense_input);

/// AVX2 + BMI2: mask built 32 bytes per `vpmovmskb`; `pext` maps the intersection into the packed weights'
/// index space so pairs are walked in lockstep (two `tzcnt`, one scalar MAC each); AVX2 epilogue.
uint64_t kws_conv1d_zeroskip_u8s8_1x1__avx2bmi2(const kws_conv1d_u8s8_shape* shape,
                                                const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                                const uint8_t* residual, uint8_t* output, uint64_t* scratch,
                                                bool dense_input);

/// AVX-512 VBMI2 + VNNI: mask built 64 bytes per `vptestmb`; each output channel's packed weights expanded
/// once (`vpexpandb`) to 64-position words and reused for every step; per step and word, the intersection
/// loads only the paired activations (masked `vmovdqu8`, other lanes 0) and one `vpdpbusd` adds them, eight
/// steps per pass; AVX2 epilogue. Branch-free, so a word's cost does not depend on how many pairs it holds:
/// the unit of issue is the 64-lane instruction, and this variant issues one per (step, channel, word).
uint64_t kws_conv1d_zeroskip_u8s8_1x1__avx512vbmi2(const kws_conv1d_u8s8_shape* shape,
                                                   const kws_conv1d_zeroskip_u8s8_params* params,
                                                   const uint8_t* input, const uint8_t* residual, uint8_t* output,
                                                   uint64_t* scratch, bool dense_input);

/// aarch64 NEON + dot product, the AVX-512 variant's scheme: each output channel's weights expanded once to
/// 64-position words (zeros where it has none) and reused at every step; per step and word, 4 SDOTs over the
/// word's input bytes (flipped to s8, the weight-sum correction added at the end), eight steps per pass;
/// branch-free, so exactly the intersected pairs contribute and the MAC count is their popcount. NEON epilogue.
uint64_t kws_conv1d_zeroskip_u8s8_1x1__neondot(const kws_conv1d_u8s8_shape* shape,
                                               const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                               const uint8_t* residual, uint8_t* output, uint64_t* scratch,
                                               bool dense_input);

/// Runs `kws_kernels_for(isa)->conv1d_zeroskip_u8s8` (AVX-512 means the VBMI2 variant, AVX2 the BMI2 one, each
/// needing those features too), or the best one below it this CPU supports; returns the MACs issued.
uint64_t kws_conv1d_zeroskip_u8s8(kws_isa isa, const kws_conv1d_u8s8_shape* shape,
                                  const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                  const uint8_t* residual, uint8_t* output, uint64_t* scratch, bool dense_input);

#endif
