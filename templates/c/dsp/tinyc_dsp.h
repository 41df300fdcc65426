/*
 * tinyc DSP kernels: int8 kernels for Arm cores with the DSP extension
 * (Armv7E-M: Cortex-M4, M7; Armv8-M Mainline with DSP: Cortex-M33, M55), in C
 * with ACLE intrinsics. Where the compiler does not target the DSP extension
 * (a host build, for tests) each intrinsic used has an exact C emulation
 * below, so the same sources give the same bytes on x86.
 *
 * Bit-exact with TensorFlow Lite's reference kernels, like the portable
 * family: the requantization is TFLite's double rounding, computed in fewer
 * instructions (see tinyc_dsp_requantize).
 *
 * Weights are laid out by the compiler in exactly the order the kernels read
 * them (see each kernel), and the input zero point is folded into the bias.
 */
#ifndef TINYC_DSP_H
#define TINYC_DSP_H

#include <stdint.h>
#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TINYC_DSP_NATIVE 1
typedef int16x2_t tinyc_q15x2;
#define tinyc_smlad(a, b, acc) __smlad((a), (b), (acc))
#define tinyc_smuad(a, b) __smuad((a), (b))
#define tinyc_smlabb(a, b, acc) __smlabb((int32_t)(a), (int32_t)(b), (acc))
#define tinyc_smlatt(a, b, acc) __smlatt((int32_t)(a), (int32_t)(b), (acc))
#define tinyc_sxtb16(x) ((uint32_t)__sxtb16((int8x4_t)(x)))
#define tinyc_ssat8(x) __ssat((x), 8)
#define tinyc_sxtab16(acc, x) ((uint32_t)__sxtab16((int16x2_t)(acc), (int8x4_t)(x)))
#else
/* Exact C emulations of the intrinsics (host builds). */
#define TINYC_DSP_NATIVE 0
/* SMLAD: acc + lo(a)*lo(b) + hi(a)*hi(b), halves as signed 16-bit. */
static inline int32_t tinyc_smlad(uint32_t a, uint32_t b, int32_t acc)
{
    const int32_t p = (int32_t)(int16_t)(a & 0xFFFFu) * (int32_t)(int16_t)(b & 0xFFFFu);
    const int32_t q = (int32_t)(int16_t)(a >> 16) * (int32_t)(int16_t)(b >> 16);
    return (int32_t)((uint32_t)acc + (uint32_t)p + (uint32_t)q);
}
/* SMUAD: lo(a)*lo(b) + hi(a)*hi(b), halves as signed 16-bit. */
static inline int32_t tinyc_smuad(uint32_t a, uint32_t b)
{
    return tinyc_smlad(a, b, 0);
}
/* SMLABB / SMLATT: acc + the product of the bottom (top) halves, as signed 16-bit. */
static inline int32_t tinyc_smlabb(uint32_t a, uint32_t b, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)((int32_t)(int16_t)(a & 0xFFFFu) * (int32_t)(int16_t)(b & 0xFFFFu)));
}
static inline int32_t tinyc_smlatt(uint32_t a, uint32_t b, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)((int32_t)(int16_t)(a >> 16) * (int32_t)(int16_t)(b >> 16)));
}
/* SXTB16: bytes 0 and 2 sign-extended into the two halves. */
static inline uint32_t tinyc_sxtb16(uint32_t x)
{
    const uint32_t lo = (uint32_t)(int32_t)(int8_t)(x & 0xFFu) & 0xFFFFu;
    const uint32_t hi = (uint32_t)(int32_t)(int8_t)((x >> 16) & 0xFFu) & 0xFFFFu;
    return lo | (hi << 16);
}
/* SXTAB16: acc plus bytes 0 and 2 of x sign-extended, each int16 lane on its own (wrapping). */
static inline uint32_t tinyc_sxtab16(uint32_t acc, uint32_t x)
{
    const uint32_t e = tinyc_sxtb16(x);
    return ((acc + e) & 0xFFFFu) | (((acc >> 16) + (e >> 16)) << 16);
}
/* SSAT #8: clamp to [-128, 127]. */
static inline int32_t tinyc_ssat8(int32_t x)
{
    return x < -128 ? -128 : (x > 127 ? 127 : x);
}
#endif

/* Unaligned-safe 32-bit load of 4 int8 values (one LDR on the target). */
static inline uint32_t tinyc_read4(const int8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* The mask of bytes 1 and 3 of a word. */
#define TINYC_HIGH_BYTES 0xFF00FF00u

#if defined(__GNUC__)
#define TINYC_INLINE static inline __attribute__((always_inline))
#define TINYC_NOINLINE __attribute__((noinline))
#else
#define TINYC_INLINE static inline
#define TINYC_NOINLINE
#endif

/*
 * GCC's scheduling before register allocation (on by default for Arm at -O2)
 * hoists loads in the matrix kernels' inner loops until their sums spill, and
 * its store merging and SLP vectorizer pack a group's output bytes into a
 * word with an insert per byte (more instructions than a store per byte):
 * the kernels that need every register turn them off for themselves.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define TINYC_NO_PRESCHEDULE __attribute__((optimize("no-schedule-insns", "no-store-merging", "no-tree-slp-vectorize")))
/* Unroll the next loop completely when its trip count is a constant this small. */
#define TINYC_UNROLL1 _Pragma("GCC unroll 1")
#define TINYC_UNROLL3 _Pragma("GCC unroll 3")
#define TINYC_UNROLL8 _Pragma("GCC unroll 8")
#define TINYC_UNROLL9 _Pragma("GCC unroll 9")
#else
#define TINYC_NO_PRESCHEDULE
#define TINYC_UNROLL1
#define TINYC_UNROLL3
#define TINYC_UNROLL8
#define TINYC_UNROLL9
#endif

/*
 * TFLite's MultiplyByQuantizedMultiplier (a saturating rounding doubling high
 * multiply, then a rounding right shift, half away from zero), exactly, for
 * multipliers in [2^30, 2^31) and accumulators the compiler has bounded:
 * - the doubling high multiply rounds (x * m) / 2^31 half up in both signs
 *   (TFLite's nudge of 1 - 2^30 for negative products followed by a division
 *   that truncates towards zero gives the same as adding 2^30 and flooring);
 * - the rounding shift by e >= 1 is (y + 2^(e-1) - (y < 0)) >> e.
 * `shift` is TFLite's: left when positive.
 */
TINYC_INLINE int32_t tinyc_dsp_requantize(int32_t acc, int32_t mult, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    const int64_t ab = (int64_t)(int32_t)((uint32_t)acc << left) * mult + ((int64_t)1 << 30);
    int32_t y = (int32_t)(ab >> 31);
    if (right > 0) {
        y = (y + ((int32_t)1 << (right - 1)) + (y >> 31)) >> right;
    }
    return y;
}

/*
 * The same, plus the output offset and the clamp to [-128, 127], for a
 * channel whose shift is a right shift by e >= 1, given twice the accumulator
 * x (which the compiler has checked fits in 32 bits), in one SMLAL: the high
 * word of x * m + 2^31 is the doubling high multiply y, and one more term in
 * the high word of SMLAL's addend adds the rounding shift's 2^(e-1) - (y < 0)
 * (y < 0 exactly when x < 0: x is even and m >= 2^30) and, for e up to
 * TINYC_DSP_FOLD_MAX, the output offset times 2^e, so that one shift gives
 * the output (`c`: tinyc_dsp_rounding). Past that the offset is added after
 * the shift (`after`). tinyc_dsp_requantize_right_wide is the same before
 * the clamp, for a layer whose activation clamps to a narrower range (a clamp
 * to [lo, hi] inside [-128, 127] gives what SSAT and then that clamp give).
 */
#define TINYC_DSP_FOLD_MAX 22
TINYC_INLINE int32_t tinyc_dsp_requantize_right_wide(int32_t x, int32_t mult, int32_t c, int32_t e, int32_t after)
{
    const int64_t addend = (int64_t)(((uint64_t)(uint32_t)(c + (x >> 31)) << 32) | 0x80000000u);
    const int32_t hi = (int32_t)((addend + (int64_t)x * mult) >> 32);
    return (hi >> e) + after;
}
TINYC_INLINE int32_t tinyc_dsp_requantize_right(int32_t x, int32_t mult, int32_t c, int32_t e, int32_t after)
{
    return tinyc_ssat8(tinyc_dsp_requantize_right_wide(x, mult, c, e, after));
}

/* The per-channel term of tinyc_dsp_requantize_right: 2^(e-1) plus, when it is folded, the output offset times 2^e. */
TINYC_INLINE int32_t tinyc_dsp_rounding(int32_t e, int32_t output_offset)
{
    const uint32_t folded = e <= TINYC_DSP_FOLD_MAX ? (uint32_t)output_offset << e : 0u;
    return (int32_t)((((uint32_t)1 << e) >> 1) + folded);
}

TINYC_INLINE int32_t tinyc_dsp_clamp(int32_t x, int32_t lo, int32_t hi)
{
    x = x < lo ? lo : x;
    return x > hi ? hi : x;
}

/* The convolutions' geometry and output quantization. */
typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    int32_t depth;             /* conv: taps per output channel as laid out (k_h * row_taps), rounded up to a multiple of 8 */
    int32_t input_zero_point;  /* the value padding stands for */
    int32_t output_offset;     /* output zero point */
    int32_t act_min, act_max;  /* clamp range, within [-128, 127] */
    int32_t reverse;           /* 1: pixel blocks (conv) or pixels (depthwise) last to first */
    int32_t row_taps;          /* conv: taps per filter row (k_w * in_c, rounded up to a multiple of 4) */
    int32_t out_stride;        /* elements from one output pixel to the next */
    int32_t block;             /* conv: output pixels a block holds, 8, 4 or 1 (less scratch); 0: 8 */
    /*
     * Row streaming (all 0: the whole tensors): with row_end > 0 a call
     * computes output rows [row_begin, row_end) only; in_ring > 0: the input
     * holds in_ring rows, row y at slot y mod in_ring (one batch); out_ring
     * likewise for the output. Depthwise: the call with row_begin 0 prepares
     * the scratch the later calls of a segment read.
     */
    int32_t row_begin, row_end, in_ring, out_ring;
} tinyc_dsp_conv_params;

/* Where row y of batch b of a tensor of h rows of row_bytes each lies: in a ring of `ring` rows, or whole. */
TINYC_INLINE int32_t tinyc_dsp_row_at(int32_t ring, int32_t b, int32_t h, int32_t y, int32_t row_bytes)
{
    return (ring > 0 ? y % ring : b * h + y) * row_bytes;
}

/*
 * Per output channel: the bias with the input zero point folded in (int32),
 * the multiplier (int32), as pairs in one table, and the shift (int8) in
 * another, as a code: e >= 1 for a right shift by e through
 * tinyc_dsp_requantize_right (twice the accumulator fits in 32 bits; the
 * bias is doubled), then the activation's clamp, or TFLite's shift - 64
 * (negative) for TFLite's requantization and clamp.
 */
typedef struct {
    const int32_t *bias_mult;  /* [out_c][2]: folded bias, multiplier */
    const int8_t *shift;       /* [out_c] */
    /* Depthwise: tinyc_dsp_rounding(e, output offset) of each right-shift channel (e at most TINYC_DSP_FOLD_MAX), else 0. */
    const int32_t *rounding;
    /* 1 when every channel's code is a right shift of at most TINYC_DSP_FOLD_MAX (or, conv, 0: constant): no test per output. */
    int32_t all_right;
    /*
     * Depthwise, when all_right: per group of four channels the doubled
     * biases, multipliers and rounding terms (four each) and the four shifts
     * as bytes in one word; then per channel left over its four (bias_mult,
     * shift and rounding are then NULL).
     */
    const int32_t *requant;
    /*
     * Conv: the computed channels' pairs (`pairs` of them; a last computed
     * channel alone is paired with itself) and the constant channels, as
     * `order` lists them: 2 * pairs channel indices, then the constant
     * ones; NULL when every channel is computed and there are an even number
     * (pair k: channels 2k and 2k + 1). `computed`: the computed channels.
     */
    const int16_t *order;
    int32_t pairs, computed;
} tinyc_dsp_quant;

/*
 * CONV_2D as a matrix multiply: blocks of `block` output pixels (the last
 * one shorter; one or two left over each a block of one) are expanded into
 * `scratch` (2 * block * depth bytes: the windows as int16, padding taking
 * the input zero point; per sub-block of four pixels (one in blocks of one)
 * and group of 4 taps, the pixels' taps (0, 2), then their taps (1, 3)),
 * then multiplied by pairs of output channels with SMLAD. Filter layout: per
 * pair of computed channels (tinyc_dsp_quant.order) and group of 4 taps, the
 * words (c0 t0, c1 t0, c0 t2, c1 t2) and (c0 t1, c1 t1, c0 t3, c1 t3), the
 * taps window row by window row, each row padded with zeros to row_taps,
 * then to depth. Blocks are computed in order (or last to first with
 * reverse = 1), every read of a block before any write of it.
 */
void tinyc_dsp_conv2d_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                         const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch);
/*
 * The same for a layer whose every channel's code is 0 or a right shift of
 * at most TINYC_DSP_FOLD_MAX (q->all_right): _fast when its activation clamps
 * to [-128, 127] (SSAT is the clamp), _fast_clamp for any narrower clamp.
 */
void tinyc_dsp_conv2d_fast_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                              const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch);
void tinyc_dsp_conv2d_fast_clamp_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                    const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch);

/*
 * CONV_2D as a matrix multiply of pair words, for layers whose every channel
 * shifts right by e in [1, 17] and whose accumulators stay within 2^23 (the
 * compiler checks; other layers take tinyc_dsp_conv2d*_s8). A window's taps
 * are pair words, two int16 taps each: per window row, each four input bytes
 * as the words of their taps (0, 2) and (1, 3); three bytes left, their
 * (0, 2) as one more word; then the taps left over in every row (the middle
 * one of three, or the one or two), two to a word, the last of an odd number
 * alone. Blocks of p->block output pixels (8 or 4: sub-blocks of four, every
 * window of a block read before any of its outputs written; past the last
 * whole block, four pixels if as many are left; then, and with p->block 1,
 * blocks of one, as are pixels whose outputs do not lie equally far apart)
 * are expanded into `scratch` (16 bytes per word per sub-block: per word the
 * four pixels' words) and multiplied by pairs of output channels with SMLAD.
 *
 * `stream`, per pair of computed channels (tinyc_dsp_quant.order, as for
 * tinyc_dsp_conv2d_s8): each channel's bias word (256 times the bias with the
 * input zero point folded in, plus the code e + 6 in the low byte), the
 * pair's filter words (per pair word (c0 a, c1 a, c0 b, c1 b) for its taps a
 * and b), each channel's multiplier; then the constant channels' output
 * bytes, one a word. Channel 0 of a pair sums its products, channel 1 256
 * times them (its lanes taken with an AND); the requantization takes 256
 * times the accumulator x: y = SMULL high(x, m) + 64 + (2 output_offset + 1)
 * 2^(e+6), minus 128 when x < 0 (the rounding shift's correction of
 * negative values), shifted right by e + 7 (TFLite's double rounding, the
 * output offset folded in), then SSAT. _relu leaves the correction out (a
 * layer whose clamp's floor is at or above the output zero point: every
 * negative accumulator clamps), _clamp clamps to the activation's narrower
 * range. The pairs1 entry points are the same for a layer whose every
 * block is one pixel (p->block 1): they leave the four-pixel code out.
 */
void tinyc_dsp_conv2d_pairs_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                               const int8_t *input, const uint32_t *stream, int8_t *output, uint32_t *scratch);
void tinyc_dsp_conv2d_pairs1_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                const int8_t *input, const uint32_t *stream, int8_t *output, uint32_t *scratch);
void tinyc_dsp_conv2d_pairs_clamp_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                     const int8_t *input, const uint32_t *stream, int8_t *output, uint32_t *scratch);
void tinyc_dsp_conv2d_pairs1_clamp_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                      const int8_t *input, const uint32_t *stream, int8_t *output, uint32_t *scratch);
void tinyc_dsp_conv2d_pairs_relu_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                    const int8_t *input, const uint32_t *stream, int8_t *output, uint32_t *scratch);
void tinyc_dsp_conv2d_pairs1_relu_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                     const int8_t *input, const uint32_t *stream, int8_t *output, uint32_t *scratch);
void tinyc_dsp_conv2d_pairs_relu_clamp_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                          const int8_t *input, const uint32_t *stream, int8_t *output, uint32_t *scratch);
void tinyc_dsp_conv2d_pairs1_relu_clamp_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                           const int8_t *input, const uint32_t *stream, int8_t *output, uint32_t *scratch);

/*
 * DEPTHWISE_CONV_2D, any window (up to 32 taps a side), stride, dilation and
 * padding, depth multiplier 1 (order: tinyc_dsp_depthwise.c). Filter layout:
 * for each group of four channels, for each tap (window row by row), the
 * weights of channels 0, 1, 2, 3; then each channel left over, its taps in
 * order. `scratch` (8-byte aligned): k_h * k_w * in_c int16 (the filter,
 * widened), then the input zero point: in_c + 2 dil_w in_c bytes for the
 * 3x3 entry points, in_c for this one.
 */
void tinyc_dsp_depthwise_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                            const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch);
/*
 * The same for 3x3 windows, and for 3x3 windows whose every channel shifts
 * right by at most TINYC_DSP_FOLD_MAX (q->all_right): _fast when the
 * activation clamps to [-128, 127], _fast_clamp for a narrower clamp.
 */
void tinyc_dsp_depthwise3x3_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                               const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch);
void tinyc_dsp_depthwise3x3_fast_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                    const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch);
void tinyc_dsp_depthwise3x3_fast_clamp_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                          const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch);

/* AVERAGE_POOL_2D's geometry: the window clipped to the image; row streaming as tinyc_dsp_conv_params. */
typedef struct {
    int32_t batches, in_h, in_w, channels, out_h, out_w;
    int32_t k_h, k_w, stride_h, stride_w, pad_top, pad_left;
    int32_t act_min, act_max;
    int32_t reverse;    /* 1: pixels last to first, each pixel's channel groups last to first */
    int32_t out_stride; /* elements from one output pixel to the next */
    int32_t row_begin, row_end, in_ring, out_ring;
} tinyc_dsp_pool_params;

/*
 * AVERAGE_POOL_2D (tinyc_dsp_pool.c), windows of at most 16 rows and 256
 * cells: _clamp for an activation narrower than [-128, 127].
 */
void tinyc_dsp_avgpool2d_s8(const tinyc_dsp_pool_params *p, const int8_t *input, int8_t *output);
void tinyc_dsp_avgpool2d_clamp_s8(const tinyc_dsp_pool_params *p, const int8_t *input, int8_t *output);

/* A broadcast of two inputs to the output (6 dimensions, element strides; 0 broadcasts). */
typedef struct {
    int32_t dims[6], stride1[6], stride2[6];
} tinyc_dsp_broadcast;

/*
 * An ADD input's rescale (TFLite's multiplier and shift of (x + offset) * 2^20)
 * as tinyc_dsp_requantize_right: twice the value is (x << left) + base (left
 * 21; 22 when TFLite's shift is 0, with e 1 then), the multiplier, the
 * rounding term 2^(e-1), e >= 1.
 */
typedef struct {
    int32_t left, base, mult, rounding, e;
} tinyc_dsp_rescale;

/*
 * An element-wise op's output requantization: with e >= 1 (a right shift)
 * tinyc_dsp_requantize_right of twice the value (mult, rounding =
 * tinyc_dsp_rounding(e, offset) and after = 0 up to TINYC_DSP_FOLD_MAX,
 * rounding = 2^(e-1) and after = offset past it); with e = 0 TFLite's
 * requantization (mult, shift) and offset. Then the clamp.
 */
typedef struct {
    int32_t mult, rounding, e, after, shift, offset, act_min, act_max;
} tinyc_dsp_output;

typedef struct {
    tinyc_dsp_broadcast shape;
    tinyc_dsp_rescale input1, input2;
    tinyc_dsp_output output;
} tinyc_dsp_add_params;

typedef struct {
    tinyc_dsp_broadcast shape;
    int32_t input1_offset, input2_offset;
    tinyc_dsp_output output;
} tinyc_dsp_mul_params;

/* ADD, SUB and MUL with broadcasting (tinyc_dsp_elementwise.c). */
void tinyc_dsp_add_s8(const tinyc_dsp_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);
void tinyc_dsp_sub_s8(const tinyc_dsp_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);
void tinyc_dsp_mul_s8(const tinyc_dsp_mul_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);

/* An element-wise function of one int8 input as a table of its 256 outputs, indexed by the input byte as unsigned. */
void tinyc_dsp_lookup_s8(int32_t size, const int8_t *table, const int8_t *input, int8_t *output);

/* Pixels of a full block, and of a sub-block (the matrix multiply's width) of both convolution kernels. */
#define TINYC_BLOCK 8
#define TINYC_SUB 4
/* At most this many pixels left: each its own block of one. */
#define TINYC_SINGLES 2

/* The two int16 scratch words of input bytes x (taps 0 to 3 of a group): lanes (0, 2) at dst, (1, 3) at dst + w. */
static inline void tinyc_dsp_put_word(uint32_t *dst, uint32_t x, int32_t w)
{
    dst[0] = tinyc_sxtb16(x);
    dst[w] = tinyc_sxtb16(x >> 8);
}

#endif
