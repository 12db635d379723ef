/*
 * The kernel harness of `make test-arm64` (README "ARM64"): every kernel variant this CPU can run, on every
 * layer shape of TC-ResNet8/14 at widths 1.0 and 1.5 (shared/TC_TABLES.md) plus odd and random shapes, against
 * the scalar reference. Integer kernels (int8, acc16, input quantization, zero-skip, highway, outlier 4-bit)
 * must equal it bit for bit; the float convolution must be within FLOAT_TOLERANCE of it.
 *
 * Inputs come from a fixed-seed splitmix64 stream and integer arithmetic only, so the same cases are built on
 * every architecture. For each operation it prints one `checksum` line (FNV-1a over the reference outputs);
 * run.sh builds this file natively on x86-64 and for aarch64 (with GCC, and with clang) and requires those lines
 * to be identical on x86-64 and on qemu-aarch64 -cpu max (i8mm), cortex-a76 (dot product) and cortex-a72
 * (Armv8.0), which, with every variant equal to the scalar reference on its own machine, makes every variant
 * bit-exact with the x86 ones.
 *
 * Exit status 0 when every comparison passes. `kernel_harness --quick` runs the TC shapes only.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kws_kernel_table.h"

/// |variant - scalar| <= FLOAT_TOLERANCE * sum of |terms| (bias, every product, residual) per output: the SIMD
/// variants fuse each multiply-add, the scalar one rounds each product first (kws_conv1d_f32.h).
#define FLOAT_TOLERANCE 1e-5

// ---- deterministic inputs ------------------------------------------------------------------------------

static uint64_t rng_state = 0x6B7773A2D3C4E5F6ull;

static uint64_t next_u64(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/// Uniform in [lo, hi] (inclusive), integers only.
static int64_t uniform(int64_t lo, int64_t hi) { return lo + (int64_t)(next_u64() % (uint64_t)(hi - lo + 1)); }

static void* xcalloc(size_t count, size_t size) {
    // 64 bytes of slack: kernels may read a few bytes past a span (they meet zero weights).
    void* p = calloc(count * size + 64, 1);
    if (p == NULL) { fprintf(stderr, "out of memory\n"); exit(2); }
    return p;
}

/// Bit length of v (0 for 0).
static int bit_length(uint64_t v) { int n = 0; while (v != 0) { n++; v >>= 1; } return n; }

// ---- checksums and results -------------------------------------------------------------------------------

static uint64_t fnv(uint64_t h, const void* data, size_t size) {
    const uint8_t* p = data;
    for (size_t i = 0; i < size; i++) h = (h ^ p[i]) * 0x100000001B3ull;
    return h;
}
#define FNV_START 0xCBF29CE484222325ull

enum { MAX_VARIANTS = 4 };

/// One operation's tally: the reference checksum and, per variant, cases run, cases equal and its checksum.
typedef struct {
    const char* op;
    size_t cases;
    uint64_t reference;
    const char* names[MAX_VARIANTS];
    size_t run[MAX_VARIANTS], equal[MAX_VARIANTS];
    uint64_t sums[MAX_VARIANTS];
    double worst[MAX_VARIANTS]; // float only: the largest error / tolerance bound seen per variant
} tally;

static size_t failures = 0;

static void record(tally* t, int v, const char* name, bool equal, const void* out, size_t size, const char* label) {
    t->names[v] = name;
    if (t->run[v] == 0) t->sums[v] = FNV_START;
    t->run[v]++;
    t->sums[v] = fnv(t->sums[v], out, size);
    if (equal) {
        t->equal[v]++;
    } else {
        failures++;
        if (failures <= 20) fprintf(stderr, "MISMATCH %s %s: %s\n", t->op, name, label);
    }
}

static void report(const tally* t) {
    printf("checksum %-22s %016llx  (%zu cases, scalar reference)\n", t->op, (unsigned long long)t->reference, t->cases);
    for (int v = 0; v < MAX_VARIANTS; v++) {
        if (t->names[v] == NULL) continue;
        printf("  %-40s %zu/%zu equal  checksum %016llx", t->names[v], t->equal[v], t->run[v],
               (unsigned long long)t->sums[v]);
        if (t->worst[v] > 0) printf("  max error %.3g of tolerance", t->worst[v]);
        printf("\n");
    }
}

// ---- the variants this CPU can run -------------------------------------------------------------------------

typedef struct { const char* name; kws_conv1d_u8s8_fn run; kws_u8s8_weight_layout layout; } u8s8_variant;
typedef struct { const char* name; kws_conv1d_f32_fn run; } f32_variant;
typedef struct { const char* name; kws_quantize_f32_u8_fn run; } quantize_variant;
typedef struct { const char* name; kws_conv1d_zeroskip_u8s8_fn run; } zeroskip_variant;

static const kws_cpu_features* cpu;
static u8s8_variant u8s8_variants[MAX_VARIANTS], acc16_variants[MAX_VARIANTS];
static f32_variant f32_variants[MAX_VARIANTS];
static quantize_variant quantize_variants[MAX_VARIANTS];
static zeroskip_variant zeroskip_variants[MAX_VARIANTS];
static kws_conv1d_hw_config hw_variants[MAX_VARIANTS];
static kws_conv1d_ol4_config ol4_variants[MAX_VARIANTS];
static kws_mfcc_frame_config mfcc_variants[MAX_VARIANTS];
static int n_u8s8, n_acc16, n_f32, n_quantize, n_zeroskip, n_hw, n_ol4, n_mfcc;

/// Every SIMD variant the table could pick on this CPU, at every tier (the table's own entries, so a new
/// variant wired into kws_kernel_table.c is tested without editing this list), deduplicated by name.
static void collect_variants(void) {
    cpu = kws_cpu_features_get();
    for (int level = KWS_ISA_AVX512; level >= KWS_ISA_SCALAR + 1; level--) {
        const kws_kernels* k = kws_kernels_for((kws_isa)level);
#define ADD(list, n, entry, value)                                                                              \
        if ((entry).isa != KWS_ISA_SCALAR) {                                                                    \
            bool seen = false;                                                                                  \
            for (int i = 0; i < (n); i++) seen |= strcmp((list)[i].name, (entry).name) == 0;                    \
            if (!seen) (list)[(n)++] = value;                                                                   \
        }
        ADD(u8s8_variants, n_u8s8, k->conv1d_u8s8, ((u8s8_variant){k->conv1d_u8s8.name, k->conv1d_u8s8.run, k->conv1d_u8s8.layout}))
        ADD(acc16_variants, n_acc16, k->conv1d_u8s8_acc16,
            ((u8s8_variant){k->conv1d_u8s8_acc16.name, k->conv1d_u8s8_acc16.run, k->conv1d_u8s8_acc16.layout}))
        ADD(f32_variants, n_f32, k->conv1d_f32, ((f32_variant){k->conv1d_f32.name, k->conv1d_f32.run}))
        ADD(quantize_variants, n_quantize, k->quantize_f32_u8, ((quantize_variant){k->quantize_f32_u8.name, k->quantize_f32_u8.run}))
        ADD(zeroskip_variants, n_zeroskip, k->conv1d_zeroskip_u8s8,
            ((zeroskip_variant){k->conv1d_zeroskip_u8s8.name, k->conv1d_zeroskip_u8s8.run}))
        ADD(hw_variants, n_hw, k->conv1d_hw, k->conv1d_hw)
        ADD(ol4_variants, n_ol4, k->conv1d_ol4, k->conv1d_ol4)
        ADD(mfcc_variants, n_mfcc, k->mfcc_frame, k->mfcc_frame)
#undef ADD
    }
}

// ---- shapes ------------------------------------------------------------------------------------------------

typedef struct { size_t c_in, c_out, t_out, k, s; } shape5;

/// Every distinct conv layer of TC-ResNet8, -8-1.5, -14, -14-1.5 (TC_TABLES.md): stems, 1x1 shortcuts, the
/// k=9 block convs at stride 2 and 1, and the classifier as a 1x1 conv over one step.
static const shape5 tc_shapes[] = {
    {40, 16, 98, 3, 1}, {40, 24, 98, 3, 1},
    {16, 24, 49, 1, 2}, {24, 32, 25, 1, 2}, {32, 48, 13, 1, 2}, {24, 36, 49, 1, 2}, {36, 48, 25, 1, 2}, {48, 72, 13, 1, 2},
    {16, 24, 49, 9, 2}, {24, 32, 25, 9, 2}, {32, 48, 13, 9, 2}, {24, 36, 49, 9, 2}, {36, 48, 25, 9, 2}, {48, 72, 13, 9, 2},
    {24, 24, 49, 9, 1}, {32, 32, 25, 9, 1}, {48, 48, 13, 9, 1}, {36, 36, 49, 9, 1}, {48, 48, 25, 9, 1}, {72, 72, 13, 9, 1},
    {48, 12, 1, 1, 1}, {72, 12, 1, 1, 1},
};
/// Odd sizes: one channel, depths just off a multiple of 4/16, channel counts off 4/16, single rows.
static const shape5 odd_shapes[] = {
    {1, 1, 1, 1, 1}, {1, 3, 5, 1, 1}, {3, 5, 7, 2, 3}, {5, 7, 9, 3, 2}, {13, 17, 11, 5, 2}, {7, 33, 6, 3, 1},
    {2, 1, 17, 7, 1}, {9, 20, 4, 2, 1}, {15, 49, 3, 1, 1}, {17, 65, 2, 3, 3}, {4, 4, 1, 4, 1}, {11, 2, 23, 1, 1},
};
enum { RANDOM_SHAPES = 24 };

static shape5 random_shape(void) {
    return (shape5){(size_t)uniform(1, 50), (size_t)uniform(1, 70), (size_t)uniform(1, 20), (size_t)uniform(1, 9),
                    (size_t)uniform(1, 3)};
}

static size_t padded_rows(shape5 s) { return (s.t_out - 1) * s.s + s.k; }

// ---- int8 layer: weights, packing, epilogue parameters -------------------------------------------------------

typedef struct {
    shape5 s;
    kws_conv1d_u8s8_shape shape;
    size_t depth, dp, cp;
    int8_t* w;            // [depth][c_out]
    int8_t* quads;        // [dp/4][cp][4]
    int16_t* pairs16;     // [dp/2][cp][2]
    int16_t* quadpairs16; // per depth quad g: pair rows (4g, 4g+2) and (4g+1, 4g+3), [dp/2][cp][2]
    int8_t* pairs8;       // [dp/2][cp][2]
    int32_t *bias, *multiplier, *shift, *rmultiplier, *rshift;
    uint8_t* input;       // padded rows x c_in (+ slack)
    uint8_t* residual;    // t_out x c_out, or NULL
} int8_case;

/// `w_lo..w_hi` weights with `zero_percent` zeros; inputs 0..x_max with `input_zero_percent` zeros.
static int8_case make_int8_case(shape5 s, int w_lo, int w_hi, int zero_percent, int x_max, int input_zero_percent,
                                bool residual) {
    int8_case c = {.s = s};
    c.shape = (kws_conv1d_u8s8_shape){s.t_out, s.c_in, s.c_out, s.k, s.s};
    c.depth = s.k * s.c_in;
    c.dp = kws_conv1d_u8s8_packed_depth(c.depth);
    c.cp = kws_conv1d_u8s8_packed_channels(s.c_out);
    c.w = xcalloc(c.depth * s.c_out, 1);
    for (size_t i = 0; i < c.depth * s.c_out; i++) c.w[i] = uniform(0, 99) < zero_percent ? 0 : (int8_t)uniform(w_lo, w_hi);
    c.quads = xcalloc(c.dp * c.cp, 1);
    c.pairs16 = xcalloc(c.dp * c.cp, 2);
    c.quadpairs16 = xcalloc(c.dp * c.cp, 2);
    c.pairs8 = xcalloc(c.dp * c.cp, 1);
    for (size_t q = 0; q < c.depth; q++) {
        for (size_t o = 0; o < s.c_out; o++) {
            const int8_t v = c.w[q * s.c_out + o];
            c.quads[((q / 4) * c.cp + o) * 4 + q % 4] = v;
            c.pairs16[((q / 2) * c.cp + o) * 2 + q % 2] = v;
            c.quadpairs16[((q / 4 * 2 + q % 2) * c.cp + o) * 2 + q % 4 / 2] = v;
            c.pairs8[((q / 2) * c.cp + o) * 2 + q % 2] = v;
        }
    }
    c.bias = xcalloc(c.cp, 4), c.multiplier = xcalloc(c.cp, 4), c.shift = xcalloc(c.cp, 4);
    c.rmultiplier = xcalloc(c.cp, 4), c.rshift = xcalloc(c.cp, 4);
    // Requantization that spreads outputs over 0..255: accumulators are about sqrt(depth) * E|x| * E|w| * 2.
    const uint64_t typical = (uint64_t)(sqrt((double)c.depth) + 1) * (uint64_t)(x_max + 1) * (uint64_t)(w_hi + 1) / 2;
    for (size_t o = 0; o < c.cp; o++) {
        c.shift[o] = 1, c.rshift[o] = 1;
        if (o >= s.c_out) continue;
        c.bias[o] = (int32_t)uniform(-(int64_t)typical, (int64_t)typical);
        c.multiplier[o] = (int32_t)uniform((int64_t)1 << 30, ((int64_t)1 << 31) - 1);
        c.shift[o] = 31 + bit_length(typical) - 8 + (int32_t)uniform(-1, 1);
        if (c.shift[o] < 31) c.shift[o] = 31;
        c.rmultiplier[o] = (int32_t)uniform(0, ((int64_t)1 << 31) - 1);
        c.rshift[o] = 31 - bit_length(typical) + 8 + (int32_t)uniform(-1, 1);
        if (c.rshift[o] < 1) c.rshift[o] = 1;
    }
    const size_t rows = padded_rows(s);
    c.input = xcalloc(rows * s.c_in, 1);
    for (size_t i = 0; i < rows * s.c_in + 8; i++) {
        // The 8 bytes past the span are noise: they meet zero weights, whatever their value.
        c.input[i] = i >= rows * s.c_in ? (uint8_t)uniform(0, 255)
            : uniform(0, 99) < input_zero_percent ? 0 : (uint8_t)uniform(0, x_max);
    }
    c.residual = NULL;
    if (residual) {
        c.residual = xcalloc(s.t_out * s.c_out, 1);
        for (size_t i = 0; i < s.t_out * s.c_out; i++) c.residual[i] = (uint8_t)uniform(0, x_max);
    }
    return c;
}

static void free_int8_case(int8_case* c) {
    free(c->w), free(c->quads), free(c->pairs16), free(c->quadpairs16), free(c->pairs8), free(c->bias), free(c->multiplier);
    free(c->shift), free(c->rmultiplier), free(c->rshift), free(c->input), free(c->residual);
}

static kws_conv1d_u8s8_params u8s8_params(const int8_case* c) {
    return (kws_conv1d_u8s8_params){c->quads, c->pairs16, c->pairs8, c->bias, c->multiplier, c->shift, c->rmultiplier,
                                    c->rshift};
}

/// The operands as a variant of `layout` reads them (the quad-pair order replaces the plain s16 pairs).
static kws_conv1d_u8s8_params u8s8_params_for(const int8_case* c, kws_u8s8_weight_layout layout) {
    kws_conv1d_u8s8_params p = u8s8_params(c);
    if (layout == KWS_U8S8_WEIGHTS_S16_QUAD_PAIRS) p.weights_s16 = c->quadpairs16;
    return p;
}

static char label_buffer[160];
static const char* label(shape5 s, const char* extra) {
    snprintf(label_buffer, sizeof label_buffer, "C_in %zu C_out %zu T %zu k %zu s %zu %s", s.c_in, s.c_out, s.t_out, s.k,
             s.s, extra);
    return label_buffer;
}

// ---- per-operation checks ------------------------------------------------------------------------------------

static tally t_u8s8 = {.op = "conv1d_u8s8"}, t_acc16 = {.op = "conv1d_u8s8_acc16"}, t_quant = {.op = "quantize_f32_u8"},
             t_f32 = {.op = "conv1d_f32"}, t_zs = {.op = "conv1d_zeroskip_u8s8"}, t_hw = {.op = "conv1d_hw"},
             t_ol4 = {.op = "conv1d_ol4"};

static void reference_sum(tally* t, const void* out, size_t size) {
    if (t->cases == 0) t->reference = FNV_START;
    t->cases++;
    t->reference = fnv(t->reference, out, size);
}

/// How spread the int8 references are (a requantization that clamps everything to 0 or 255 would hide bugs),
/// and how many output outliers the outlier layers produced.
static size_t u8s8_outputs, u8s8_interior, ol4_output_outliers;

static void check_u8s8(shape5 s, bool residual) {
    int8_case c = make_int8_case(s, -128, 127, 10, 255, 10, residual);
    const kws_conv1d_u8s8_params p = u8s8_params(&c);
    const size_t n = s.t_out * s.c_out;
    uint8_t* expected = xcalloc(n, 1);
    uint8_t* got = xcalloc(n, 1);
    kws_conv1d_u8s8_1x1__scalar(&c.shape, &p, c.input, c.residual, expected);
    reference_sum(&t_u8s8, expected, n);
    for (size_t i = 0; i < n; i++) u8s8_interior += expected[i] != 0 && expected[i] != 255;
    u8s8_outputs += n;
    for (int v = 0; v < n_u8s8; v++) {
        memset(got, 0xA5, n);
        const kws_conv1d_u8s8_params pv = u8s8_params_for(&c, u8s8_variants[v].layout);
        u8s8_variants[v].run(&c.shape, &pv, c.input, c.residual, got);
        record(&t_u8s8, v, u8s8_variants[v].name, memcmp(got, expected, n) == 0, got, n, label(s, residual ? "residual" : ""));
    }
    // acc16 saturates; its scalar emulation is the reference (weights near the s8 extremes to make it saturate).
    kws_conv1d_u8s8_acc16_1x1__scalar(&c.shape, &p, c.input, c.residual, expected);
    reference_sum(&t_acc16, expected, n);
    for (int v = 0; v < n_acc16; v++) {
        memset(got, 0xA5, n);
        const kws_conv1d_u8s8_params pv = u8s8_params_for(&c, acc16_variants[v].layout);
        acc16_variants[v].run(&c.shape, &pv, c.input, c.residual, got);
        record(&t_acc16, v, acc16_variants[v].name, memcmp(got, expected, n) == 0, got, n, label(s, "acc16"));
    }
    free(expected), free(got), free_int8_case(&c);
}

static void check_quantize(size_t length, size_t channels) {
    const size_t n = length * channels;
    float* x = xcalloc(n, sizeof(float));
    float* inverse = xcalloc(channels, sizeof(float));
    int32_t* zero = xcalloc(channels, sizeof(int32_t));
    for (size_t c = 0; c < channels; c++) {
        // Half the channels scale by a power of two, so the ties below are exact ties after the multiply.
        inverse[c] = c % 2 == 0 ? (float)uniform(1, 4000) / 64.0f : ldexpf(1.0f, (int)uniform(-3, 5));
        zero[c] = (int32_t)uniform(-40, 300);
    }
    for (size_t i = 0; i < n; i++) {
        const int64_t kind = uniform(0, 19);
        // Mostly exact halves and quarters (the rounding ties), plus NaN, infinities and far out-of-range values.
        x[i] = kind == 0 ? NAN : kind == 1 ? INFINITY : kind == 2 ? -INFINITY
             : kind == 3 ? (float)uniform(-1000000, 1000000) : (float)uniform(-4096, 4096) / (float)inverse[i % channels] / 4.0f;
        if (kind >= 4 && kind < 10) x[i] = ((float)uniform(-1100, 1100) / 2.0f) / inverse[i % channels];
        if (kind >= 10 && kind < 13) x[i] = ((float)uniform(-600, 600) + 0.5f) / inverse[i % channels];
    }
    uint8_t* expected = xcalloc(n, 1);
    uint8_t* got = xcalloc(n, 1);
    kws_quantize_f32_u8__scalar(length, channels, x, inverse, zero, expected);
    reference_sum(&t_quant, expected, n);
    for (int v = 0; v < n_quantize; v++) {
        memset(got, 0xA5, n);
        quantize_variants[v].run(length, channels, x, inverse, zero, got);
        snprintf(label_buffer, sizeof label_buffer, "length %zu channels %zu", length, channels);
        record(&t_quant, v, quantize_variants[v].name, memcmp(got, expected, n) == 0, got, n, label_buffer);
    }
    free(x), free(inverse), free(zero), free(expected), free(got);
}

static void check_f32(shape5 s, bool residual, bool relu) {
    const kws_conv1d_f32_shape shape = {s.t_out, s.c_in, s.c_out, s.k, s.s};
    const size_t depth = s.k * s.c_in, cp = kws_conv1d_f32_packed_channels(s.c_out), rows = padded_rows(s);
    const size_t n = s.t_out * s.c_out;
    float* w = xcalloc(depth * cp, sizeof(float));
    float* b = xcalloc(cp, sizeof(float));
    float* x = xcalloc(rows * s.c_in, sizeof(float));
    float* r = residual ? xcalloc(n, sizeof(float)) : NULL;
    for (size_t q = 0; q < depth; q++)
        for (size_t o = 0; o < s.c_out; o++) w[q * cp + o] = (float)uniform(-1000, 1000) / 1024.0f;
    for (size_t o = 0; o < s.c_out; o++) b[o] = (float)uniform(-1000, 1000) / 256.0f;
    for (size_t i = 0; i < rows * s.c_in; i++) x[i] = (float)uniform(-3000, 3000) / 1000.0f; // rounded quotients
    for (size_t i = 0; r != NULL && i < n; i++) r[i] = (float)uniform(-1000, 1000) / 128.0f;
    // The tolerance bound per output: sum of |terms|, in double.
    double* bound = xcalloc(n, sizeof(double));
    for (size_t t = 0; t < s.t_out; t++) {
        for (size_t o = 0; o < s.c_out; o++) {
            double sum = fabs(b[o]) + (r != NULL ? fabs(r[t * s.c_out + o]) : 0);
            for (size_t q = 0; q < depth; q++) sum += fabs((double)x[t * s.s * s.c_in + q] * w[q * cp + o]);
            bound[t * s.c_out + o] = FLOAT_TOLERANCE * sum + 1e-30;
        }
    }
    float* expected = xcalloc(n, sizeof(float));
    float* got = xcalloc(n, sizeof(float));
    kws_conv1d_f32_1x1__scalar(&shape, x, w, b, r, expected, relu);
    reference_sum(&t_f32, expected, n * sizeof(float));
    for (int v = 0; v < n_f32; v++) {
        memset(got, 0xA5, n * sizeof(float));
        f32_variants[v].run(&shape, x, w, b, r, got, relu);
        bool ok = true;
        for (size_t i = 0; i < n; i++) {
            const double error = fabs((double)got[i] - expected[i]);
            if (!(error <= bound[i])) ok = false;
            const double ratio = error / bound[i];
            if (ratio > t_f32.worst[v]) t_f32.worst[v] = ratio;
        }
        record(&t_f32, v, f32_variants[v].name, ok, got, n * sizeof(float), label(s, relu ? "relu" : ""));
    }
    free(w), free(b), free(x), free(r), free(bound), free(expected), free(got);
}

static void check_zeroskip(shape5 s, bool residual, bool dense_input) {
    // Sparse weights and post-ReLU-like activations (half zeros); the stem mode counts every input as nonzero.
    int8_case c = make_int8_case(s, -128, 127, 60, 255, dense_input ? 0 : 50, residual);
    const kws_conv1d_u8s8_params dense = u8s8_params(&c);
    const size_t words = kws_conv1d_zeroskip_u8s8_mask_words(&c.shape);
    uint64_t* masks = xcalloc(s.c_out * words, 8);
    uint32_t* offsets = xcalloc(s.c_out * (words + 1), 4);
    int8_t* values = xcalloc(c.depth * s.c_out, 1);
    uint32_t next = 0;
    for (size_t o = 0; o < s.c_out; o++) {
        for (size_t wd = 0; wd <= words; wd++) {
            offsets[o * (words + 1) + wd] = next;
            for (size_t q = wd * 64; wd < words && q < c.depth && q < wd * 64 + 64; q++) {
                const int8_t v = c.w[q * s.c_out + o];
                if (v != 0) {
                    masks[o * words + wd] |= (uint64_t)1 << (q % 64);
                    values[next++] = v;
                }
            }
        }
    }
    const kws_conv1d_zeroskip_u8s8_params p = {words, masks, offsets, values, c.bias, c.multiplier, c.shift,
                                               c.rmultiplier, c.rshift};
    const size_t n = s.t_out * s.c_out;
    uint64_t* scratch = xcalloc(kws_conv1d_zeroskip_u8s8_scratch_words(&c.shape), 8);
    uint8_t* dense_out = xcalloc(n, 1);
    uint8_t* expected = xcalloc(n + 8, 1);
    uint8_t* got = xcalloc(n + 8, 1);
    kws_conv1d_u8s8_1x1__scalar(&c.shape, &dense, c.input, c.residual, dense_out);
    const uint64_t macs = kws_conv1d_zeroskip_u8s8_1x1__scalar(&c.shape, &p, c.input, c.residual, expected, scratch, dense_input);
    // The scalar zero-skip kernel must itself equal the dense one (a skipped pair's product is 0).
    if (memcmp(dense_out, expected, n) != 0) {
        failures++;
        fprintf(stderr, "MISMATCH conv1d_zeroskip_u8s8 scalar vs dense scalar: %s\n", label(s, ""));
    }
    memcpy(expected + n, &macs, 8); // the MAC count is part of the result
    reference_sum(&t_zs, expected, n + 8);
    for (int v = 0; v < n_zeroskip; v++) {
        memset(got, 0xA5, n);
        const uint64_t m = zeroskip_variants[v].run(&c.shape, &p, c.input, c.residual, got, scratch, dense_input);
        memcpy(got + n, &m, 8);
        record(&t_zs, v, zeroskip_variants[v].name, memcmp(got, expected, n + 8) == 0, got, n + 8,
               label(s, dense_input ? "dense input" : ""));
    }
    free(masks), free(offsets), free(values), free(scratch), free(dense_out), free(expected), free(got), free_int8_case(&c);
}

static void check_hw(shape5 s, bool residual, int bits) {
    // Branch operands: codes 0..15 in, weights within +-(2^(bits-1) - 1).
    const int wmax = (1 << (bits - 1)) - 1;
    int8_case c = make_int8_case(s, -wmax, wmax, 20, 15, 30, residual);
    const size_t codes = c.dp * c.cp, block = kws_hw_block_codes(bits), blocks = (codes + block - 1) / block;
    uint8_t* packed = xcalloc(blocks * KWS_HW_BLOCK_BYTES, 1);
    for (size_t i = 0; i < blocks * KWS_HW_BLOCK_BYTES; i++) packed[i] = (uint8_t)uniform(0, 255);
    int8_t* unpacked_ref = xcalloc(blocks * block, 1);
    int8_t* unpacked = xcalloc(blocks * block, 1);
    kws_hw_unpack__scalar(bits, blocks, packed, unpacked_ref);
    const size_t n = s.t_out * s.c_out, trunk = s.t_out * s.c_out;
    uint8_t* trunk_in = xcalloc(trunk, 1);
    for (size_t i = 0; i < trunk; i++) trunk_in[i] = (uint8_t)uniform(0, 255);
    const uint32_t multiplier = (uint32_t)uniform(0, (1 << 23) - 1), shift = (uint32_t)uniform(0, 31);
    const uint8_t maximum = (uint8_t)((1 << bits) - 1);
    // The result: conv output, then the unpacked codes, then the requantized trunk.
    const size_t size = n + blocks * block + trunk;
    uint8_t* expected = xcalloc(size, 1);
    uint8_t* got = xcalloc(size, 1);
    const kws_conv1d_u8s8_params p = u8s8_params(&c);
    kws_conv1d_u8s8_1x1__scalar(&c.shape, &p, c.input, c.residual, expected);
    memcpy(expected + n, unpacked_ref, blocks * block);
    kws_hw_requantize_u8__scalar(trunk, multiplier, shift, maximum, trunk_in, expected + n + blocks * block);
    reference_sum(&t_hw, expected, size);
    for (int v = 0; v < n_hw; v++) {
        memset(got, 0xA5, size);
        hw_variants[v].conv(&c.shape, &p, c.input, c.residual, got);
        hw_variants[v].unpack(bits, blocks, packed, unpacked);
        memcpy(got + n, unpacked, blocks * block);
        hw_variants[v].requantize(trunk, multiplier, shift, maximum, trunk_in, got + n + blocks * block);
        record(&t_hw, v, hw_variants[v].name, memcmp(got, expected, size) == 0, got, size, label(s, bits == 2 ? "2-bit" : "4-bit"));
    }
    free(packed), free(unpacked_ref), free(unpacked), free(trunk_in), free(expected), free(got), free_int8_case(&c);
}

/// One outlier-aware 4-bit layer through `kws_conv1d_ol4_with` (unpack, scatter, dense, sparse, epilogue).
static void check_ol4(shape5 s, bool residual, bool stem) {
    int8_case c = make_int8_case(s, -7, 7, 10, stem ? 255 : 15, stem ? 0 : 20, false);
    const size_t codes = c.dp * c.cp;
    // Packed nibbles of the dense weights (the quad layout in 64-code blocks), then a few 8-bit weight outliers.
    uint8_t* s4 = xcalloc(codes / 2, 1);
    for (size_t i = 0; i < codes; i++) {
        const size_t blk = i / 64, j = i % 64;
        const uint8_t nibble = (uint8_t)c.quads[i] & 0x0F;
        s4[blk * 32 + j % 32] |= j < 32 ? nibble : (uint8_t)(nibble << 4);
    }
    const size_t w_outliers = stem ? 0 : (size_t)uniform(0, 6);
    uint32_t* w_offsets = xcalloc(w_outliers + 1, 4);
    int8_t* w_values = xcalloc(w_outliers + 1, 1);
    for (size_t k = 0; k < w_outliers; k++) {
        const size_t q = (size_t)uniform(0, (int64_t)c.depth - 1), o = (size_t)uniform(0, (int64_t)s.c_out - 1);
        w_offsets[k] = (uint32_t)(((q / 4) * c.cp + o) * 4 + q % 4);
        w_values[k] = (int8_t)(uniform(0, 1) ? uniform(8, 127) : -uniform(8, 127));
        // The outlier's nibble is 0 in the dense operand.
        const size_t i = w_offsets[k], blk = i / 64, j = i % 64;
        s4[blk * 32 + j % 32] &= j < 32 ? 0xF0 : 0x0F;
    }
    // Input outliers (4-bit layers): full codes above 15 whose dense bytes are 0; rows count from the first real row.
    const size_t pad = (s.k - 1) / 2, rows = padded_rows(s);
    const size_t in_outliers = stem ? 0 : (size_t)uniform(0, 8);
    kws_ol4_outlier* inputs = xcalloc(in_outliers + 1, sizeof(kws_ol4_outlier));
    for (size_t k = 0; k < in_outliers; k++) {
        // Ascending, distinct (row, channel) as a producer writes them.
        const uint32_t row = (uint32_t)((rows - pad) * k / (in_outliers + 1));
        const uint16_t channel = (uint16_t)uniform(0, (int64_t)s.c_in - 1);
        inputs[k] = (kws_ol4_outlier){row, channel, (uint16_t)uniform(16, 4095)};
        c.input[(row + pad) * s.c_in + channel] = 0;
    }
    // Residual: dense codes <= 15 plus outliers.
    uint8_t* res = NULL;
    kws_ol4_outlier* res_outliers = xcalloc(4, sizeof(kws_ol4_outlier));
    size_t res_count = 0;
    if (residual) {
        res = xcalloc(s.t_out * s.c_out, 1);
        for (size_t i = 0; i < s.t_out * s.c_out; i++) res[i] = (uint8_t)uniform(0, 15);
        res_count = (size_t)uniform(0, 3);
        for (size_t k = 0; k < res_count; k++) {
            const uint32_t row = (uint32_t)(s.t_out * k / 3);
            const uint16_t channel = (uint16_t)uniform(0, (int64_t)s.c_out - 1);
            res_outliers[k] = (kws_ol4_outlier){row, channel, (uint16_t)uniform(16, 2000)};
            res[row * s.c_out + channel] = 0;
        }
    }
    const uint16_t code_max = (uint16_t)(uniform(0, 2) == 0 ? 15 : uniform(0, 1) ? 255 : 65535);
    // Outputs around 0..40 so some exceed 15 and become output outliers.
    for (size_t o = 0; o < s.c_out; o++) c.shift[o] += 3;
    const kws_conv1d_ol4_params p = {stem ? NULL : s4, stem ? c.quads : NULL, w_outliers, w_offsets, w_values,
                                     c.bias, c.multiplier, c.shift, residual ? c.rmultiplier : NULL,
                                     residual ? c.rshift : NULL, code_max, !stem};
    const size_t n = s.t_out * s.c_out;
    int8_t* scratch = xcalloc(codes, 1);
    int32_t* acc = xcalloc(s.t_out * c.cp, 4);
    uint8_t* expected = xcalloc(n + n * sizeof(kws_ol4_outlier) + 8, 1);
    uint8_t* got = xcalloc(n + n * sizeof(kws_ol4_outlier) + 8, 1);
    const kws_conv1d_ol4_config* scalar = &kws_kernels_for(KWS_ISA_SCALAR)->conv1d_ol4;
    const size_t count = kws_conv1d_ol4_with(scalar, &c.shape, &p, c.input, inputs, in_outliers, pad, res, res_outliers,
                                             res_count, scratch, acc, expected, (kws_ol4_outlier*)(expected + n + 8));
    memcpy(expected + n, &count, 8 < sizeof count ? 8 : sizeof count);
    const size_t size = n + 8 + count * sizeof(kws_ol4_outlier);
    ol4_output_outliers += count;
    reference_sum(&t_ol4, expected, size);
    for (int v = 0; v < n_ol4; v++) {
        memset(got, 0, n + n * sizeof(kws_ol4_outlier) + 8);
        const size_t got_count = kws_conv1d_ol4_with(&ol4_variants[v], &c.shape, &p, c.input, inputs, in_outliers, pad, res,
                                                     res_outliers, res_count, scratch, acc, got,
                                                     (kws_ol4_outlier*)(got + n + 8));
        memcpy(got + n, &got_count, 8 < sizeof got_count ? 8 : sizeof got_count);
        record(&t_ol4, v, ol4_variants[v].name, got_count == count && memcmp(got, expected, size) == 0, got, size,
               label(s, stem ? "stem" : "4-bit"));
    }
    free(s4), free(w_offsets), free(w_values), free(inputs), free(res), free(res_outliers), free(scratch), free(acc);
    free(expected), free(got), free_int8_case(&c);
}

// ---- MFCC frame pass (kws_mfcc.h) ---------------------------------------------------------------------------

static tally t_mfcc = {.op = "mfcc_frame"};

/// One front-end configuration's tables, built here in double as KWSAudio builds them (periodic Hann, HTK mel
/// triangles on power-spectrum bins, DCT-II basis folded into [even | odd] halves with strides a multiple of 8);
/// the values need not be KWSAudio's to the last bit, only the same for the reference and every variant.
typedef struct {
    kws_mfcc_tables t;
    double* window;
    int32_t* first_bin;
    int32_t* run_start;
    float* weights;
    float* basis;
} mfcc_case;

static double hz_to_mel(double f) { return 1127.0 * log(1.0 + f / 700.0); }

/// NaN as one bit pattern, so checksums agree across architectures (x86's default NaN is negative, Arm's is not).
static void canonical_nans(float* values, size_t count) {
    const uint32_t quiet = 0x7FC00000u;
    for (size_t i = 0; i < count; i++)
        if (isnan(values[i])) memcpy(&values[i], &quiet, sizeof quiet);
}

static mfcc_case make_mfcc_case(size_t window, size_t fft, size_t mels, size_t outputs, int magnitude) {
    mfcc_case c;
    memset(&c, 0, sizeof c);
    const size_t bins = fft / 2 + 1;
    c.window = xcalloc(window, sizeof(double));
    for (size_t i = 0; i < window; i++) c.window[i] = 0.5 - 0.5 * cos(2 * M_PI * (double)i / (double)window);
    c.first_bin = xcalloc(mels, sizeof(int32_t));
    c.run_start = xcalloc(mels + 1, sizeof(int32_t));
    c.weights = xcalloc(mels * (bins + 4), sizeof(float));
    const double lo = hz_to_mel(80), hi = hz_to_mel(7600);
    int32_t n = 0;
    for (size_t m = 0; m < mels; m++) {
        const double e0 = lo + (hi - lo) * m / (mels + 1), e1 = lo + (hi - lo) * (m + 1) / (mels + 1),
                     e2 = lo + (hi - lo) * (m + 2) / (mels + 1);
        int32_t first = -1, last = -2;
        for (size_t k = 1; k < bins; k++) {
            const double b = hz_to_mel(8000.0 * k / (bins - 1));
            const double w = fmax(0, fmin((b - e0) / (e1 - e0), (e2 - b) / (e2 - e1)));
            if (w > 0) { if (first < 0) first = (int32_t)k; last = (int32_t)k; }
        }
        c.first_bin[m] = first < 0 ? 0 : first;
        for (int32_t k = first; first >= 0 && k <= last; k++) {
            const double b = hz_to_mel(8000.0 * k / (bins - 1));
            c.weights[n++] = (float)fmax(0, fmin((b - e0) / (e1 - e0), (e2 - b) / (e2 - e1)));
        }
        while (n % 4 != 0) c.weights[n++] = 0;
        c.run_start[m + 1] = n;
    }
    const size_t folded = (mels + 1) / 2, even = (outputs + 1) / 2, odd = outputs / 2;
    const size_t even_stride = (even + 7) / 8 * 8, odd_stride = (odd + 7) / 8 * 8, stride = even_stride + odd_stride;
    c.basis = xcalloc(folded * stride, sizeof(float));
    for (size_t r = 0; r < folded; r++) {
        for (size_t j = 0; j < even; j++)
            c.basis[r * stride + j] = (float)(sqrt(2.0 / mels) * cos(M_PI * (2 * j) * (2 * r + 1) / (2.0 * mels)));
        for (size_t j = 0; j < odd; j++)
            c.basis[r * stride + even_stride + j] =
                (float)(sqrt(2.0 / mels) * cos(M_PI * (2 * j + 1) * (2 * r + 1) / (2.0 * mels)));
    }
    c.t = (kws_mfcc_tables){.window_length = window, .window = c.window, .fft_length = fft, .bin_count = bins,
                            .mel_count = mels, .first_bin = c.first_bin, .run_start = c.run_start,
                            .mel_weights = c.weights, .magnitude = magnitude, .log_offset = magnitude ? 0 : 1e-6f,
                            .dct_outputs = outputs, .folded = folded, .even_count = even, .even_stride = even_stride,
                            .odd_count = odd, .odd_stride = odd_stride, .dct_stride = stride, .dct_basis = c.basis};
    return c;
}

/// Window + cepstrum of random frames (several scales, silence, non-finite and short frames) on a random
/// spectrum-like input, every variant against the scalar reference, bit for bit (NaNs compared and hashed as one
/// pattern).
static void check_mfcc(size_t window, size_t fft, size_t mels, size_t outputs, int magnitude) {
    mfcc_case c = make_mfcc_case(window, fft, mels, outputs, magnitude);
    const size_t scratch_count = kws_mfcc_scratch_count(&c.t);
    float* frame = xcalloc(window + 64, sizeof(float));
    float* spectrum = xcalloc(2 * c.t.bin_count, sizeof(float));
    float* scratch = xcalloc(scratch_count, sizeof(float));
    float* expected = xcalloc(fft + outputs, sizeof(float));
    float* got = xcalloc(fft + outputs, sizeof(float));
    static const float scales[] = {1, 0.3f, 1e-3f, 1e-6f, 1e-20f, 1e4f, 3e18f, 0};
    for (size_t i = 0; i < 2 * sizeof scales / sizeof scales[0] + 3; i++) {
        const float scale = scales[i % (sizeof scales / sizeof scales[0])];
        size_t length = i % 5 == 4 ? (size_t)uniform(0, (int64_t)window + 32) : window;
        for (size_t j = 0; j < length; j++) frame[j] = scale * (float)uniform(-1000000, 1000000) / 1e6f;
        for (size_t k = 0; k < 2 * c.t.bin_count; k++) spectrum[k] = scale * (float)uniform(-1000000, 1000000) / 1e4f;
        if (i == 2 * sizeof scales / sizeof scales[0]) frame[7] = NAN, spectrum[9] = INFINITY;
        if (i == 2 * sizeof scales / sizeof scales[0] + 1) spectrum[40] = NAN;
        memset(scratch, 0, scratch_count * sizeof(float));
        kws_mfcc_window__scalar(&c.t, frame, length, expected);
        kws_mfcc_cepstrum__scalar(&c.t, spectrum, scratch, expected + fft);
        canonical_nans(expected, fft + outputs);
        reference_sum(&t_mfcc, expected, (fft + outputs) * sizeof(float));
        for (int v = 0; v < n_mfcc; v++) {
            memset(scratch, 0, scratch_count * sizeof(float));
            mfcc_variants[v].window(&c.t, frame, length, got);
            mfcc_variants[v].cepstrum(&c.t, spectrum, scratch, got + fft);
            canonical_nans(got, fft + outputs);
            bool equal = true;
            for (size_t k = 0; k < fft + outputs; k++)
                equal &= memcmp(&got[k], &expected[k], sizeof(float)) == 0;
            snprintf(label_buffer, sizeof label_buffer, "window %zu fft %zu mels %zu outputs %zu %s case %zu", window,
                     fft, mels, outputs, magnitude ? "magnitude" : "power", i);
            record(&t_mfcc, v, mfcc_variants[v].name, equal, got, (fft + outputs) * sizeof(float), label_buffer);
        }
    }
    free(frame), free(spectrum), free(scratch), free(expected), free(got);
    free(c.window), free(c.first_bin), free(c.run_start), free(c.weights), free(c.basis);
}

static void check_shape(shape5 s, size_t index) {
    check_u8s8(s, false);
    check_u8s8(s, true);
    check_f32(s, index % 2 == 0, true);
    check_f32(s, index % 2 == 1, false);
    check_zeroskip(s, index % 2 == 1, index % 3 == 0);
    check_hw(s, index % 2 == 0, index % 2 == 0 ? 4 : 2);
    check_ol4(s, index % 2 == 1, index % 4 == 0);
    check_quantize(s.t_out, s.c_out);
}

int main(int argc, char** argv) {
    const bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    collect_variants();
    const kws_cpu_features* f = cpu;
    printf("cpu: avx2 %d fma %d avx512f %d avx512vnni %d avx512vbmi2 %d bmi2 %d | asimd %d asimddp %d i8mm %d\n", f->avx2,
           f->fma, f->avx512f, f->avx512vnni, f->avx512vbmi2, f->bmi2, f->asimd, f->asimddp, f->i8mm);
    size_t index = 0, shapes = 0;
    for (size_t i = 0; i < sizeof tc_shapes / sizeof tc_shapes[0]; i++, shapes++) check_shape(tc_shapes[i], index++);
    if (!quick) {
        for (size_t i = 0; i < sizeof odd_shapes / sizeof odd_shapes[0]; i++, shapes++) check_shape(odd_shapes[i], index++);
        for (size_t i = 0; i < RANDOM_SHAPES; i++, shapes++) check_shape(random_shape(), index++);
    }
    check_mfcc(480, 512, 64, 40, 0);
    check_mfcc(480, 512, 64, 40, 1);
    if (!quick) check_mfcc(400, 1024, 33, 13, 0);
    printf("shapes: %zu (%zu TC-ResNet layer shapes%s)\n", shapes, sizeof tc_shapes / sizeof tc_shapes[0],
           quick ? "" : ", odd and random ones");
    const tally* all[] = {&t_u8s8, &t_acc16, &t_quant, &t_f32, &t_zs, &t_hw, &t_ol4, &t_mfcc};
    size_t checks = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        report(all[i]);
        for (int v = 0; v < MAX_VARIANTS; v++) checks += all[i]->run[v];
    }
    printf("int8 reference outputs strictly between 0 and 255: %zu of %zu; outlier layers' output outliers: %zu\n",
           u8s8_interior, u8s8_outputs, ol4_output_outliers);
    printf("%s: %zu variant runs compared with the scalar reference, %zu mismatches\n", failures == 0 ? "PASS" : "FAIL",
           checks, failures);
    return failures == 0 ? 0 : 1;
}
