#ifndef KWS_SIMD_TARGET_H
#define KWS_SIMD_TARGET_H
/*
 * Function attributes of the SIMD variants: each variant is compiled for the features its kernel table row
 * requires (kws_kernel_table.c) and nothing more, so the rest of the package builds for the baseline CPU.
 * Private to CKWSKernels.
 */

#include <stddef.h>

#define KWS_INLINE static inline __attribute__((always_inline))

/// Tiles are split evenly (9 column units in blocks of at most 4 -> 3 + 3 + 3, not 4 + 4 + 1; 49 rows in tiles
/// of at most 4 -> 13 tiles of 3 or 4) so no tile is a latency-bound sliver: the size of the next piece when
/// `remaining` items are left for `pieces_left` pieces.
static inline size_t kws_even_split(size_t remaining, size_t pieces_left) {
    return remaining / pieces_left + (remaining % pieces_left != 0);
}

/// One column block of a tiled kernel: its first output channel `c`, its `vectors` of `lanes` channels, and the
/// `live` channels that exist (the last vector may be partial).
typedef struct {
    size_t c, live, vectors;
} kws_column_block;

/// The column blocks of `channels` outputs: vectors of `lanes` channels, in blocks of at most `vectors_max`
/// split evenly. `for (kws_column_block b; kws_next_column_block(&walk, &b);)` visits them in order.
typedef struct {
    size_t channels, lanes, units, blocks, block, unit;
} kws_column_walk;

static inline kws_column_walk kws_column_blocks(size_t channels, size_t lanes, size_t vectors_max) {
    const size_t units = (channels + lanes - 1) / lanes;
    return (kws_column_walk){channels, lanes, units, (units + vectors_max - 1) / vectors_max, 0, 0};
}

static inline int kws_next_column_block(kws_column_walk* walk, kws_column_block* block) {
    if (walk->block == walk->blocks) return 0;
    block->vectors = kws_even_split(walk->units - walk->unit, walk->blocks - walk->block);
    block->c = walk->unit * walk->lanes;
    const size_t width = block->vectors * walk->lanes;
    block->live = walk->channels - block->c < width ? walk->channels - block->c : width;
    walk->unit += block->vectors;
    walk->block++;
    return 1;
}

/// One row tile: its first output row `t` and its `rows`.
typedef struct {
    size_t t, rows;
} kws_row_tile;

/// The row tiles of `length` output rows, at most `rows_max` each, split evenly; visited like the column blocks.
typedef struct {
    size_t length, tiles, tile, t;
} kws_row_walk;

static inline kws_row_walk kws_row_tiles(size_t length, size_t rows_max) {
    return (kws_row_walk){length, (length + rows_max - 1) / rows_max, 0, 0};
}

static inline int kws_next_row_tile(kws_row_walk* walk, kws_row_tile* tile) {
    if (walk->tile == walk->tiles) return 0;
    tile->t = walk->t;
    tile->rows = kws_even_split(walk->length - walk->t, walk->tiles - walk->tile);
    walk->t += tile->rows;
    walk->tile++;
    return 1;
}

/// One column block of an AVX-512 kernel whose columns are "units": whole zmm vectors, then the remainder as a
/// masked zmm (more than `tail_lanes` channels) or a ymm tail (1..tail_lanes channels). The block's first output
/// channel `c`, its `vectors` zmm units, whether a ymm `tail` follows them, and whether it is the `last` block
/// (the one whose final zmm may be masked).
typedef struct {
    size_t c, vectors;
    int tail, last;
} kws_unit_block;

/// The unit blocks of `channels` outputs, at most `units_max` units each, split evenly (64 -> 2 + 2, 72 -> 3 + 2);
/// visited like the column blocks.
typedef struct {
    size_t lanes, units, blocks, block, unit;
    int has_tail;
} kws_unit_walk;

static inline kws_unit_walk kws_unit_blocks(size_t channels, size_t lanes, size_t tail_lanes, size_t units_max) {
    const size_t remainder = channels % lanes;
    const size_t units = channels / lanes + (remainder > 0);
    return (kws_unit_walk){lanes, units, (units + units_max - 1) / units_max, 0, 0,
                           remainder > 0 && remainder <= tail_lanes};
}

static inline int kws_next_unit_block(kws_unit_walk* walk, kws_unit_block* block) {
    if (walk->block == walk->blocks) return 0;
    const size_t units = kws_even_split(walk->units - walk->unit, walk->blocks - walk->block);
    block->last = walk->block + 1 == walk->blocks;
    block->tail = block->last && walk->has_tail;
    block->vectors = units - (size_t)block->tail;
    block->c = walk->unit * walk->lanes;
    walk->unit += units;
    walk->block++;
    return 1;
}

#define KWS_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define KWS_TARGET_AVX2BMI2 __attribute__((target("avx2,bmi,bmi2,popcnt")))
// The ymm tail column uses the FMA3 form, which clang implies from avx512f but GCC does not (the table picks
// this variant only on CPUs with AVX2 + FMA anyway), so the harness's GCC build names it.
#define KWS_TARGET_AVX512F __attribute__((target("avx512f,avx2,fma")))
// The highway AVX-512 stages run beside the VNNI convolution, so they need BW (byte ops) and VL (ymm forms).
#define KWS_TARGET_AVX512BW __attribute__((target("avx512f,avx512bw,avx512vl")))
#define KWS_TARGET_VNNI __attribute__((target("avx512vnni,avx512bw,avx512f,avx512vl")))
#define KWS_TARGET_VBMI2 \
    __attribute__((target("avx512vbmi2,avx512vnni,avx512bw,avx512vl,avx512f,avx2,bmi,bmi2,popcnt")))

// aarch64: Advanced SIMD (NEON) is part of Armv8.0, so the plain NEON variants need no attribute; the
// dot-product (Armv8.2 FEAT_DotProd: SDOT/UDOT) and int8 matrix-multiply (FEAT_I8MM: SUDOT/USDOT) variants name
// their extension so the package itself still builds for Armv8.0. Clang (Swift's C compiler) takes the feature
// names; GCC's arm_neon.h guards the intrinsics with "arch=armv8.2-a+..." and only inlines them into a function
// whose target includes that whole architecture level, so GCC is given the same strings.
#if defined(__clang__)
#define KWS_TARGET_DOTPROD __attribute__((target("dotprod")))
#define KWS_TARGET_I8MM __attribute__((target("dotprod,i8mm")))
#else
#define KWS_TARGET_DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))
#define KWS_TARGET_I8MM __attribute__((target("arch=armv8.2-a+dotprod+i8mm")))
#endif

#endif
