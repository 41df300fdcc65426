/*
 * tinyc DSP int8 ADD, SUB and MUL, with broadcasting (the compiler merges the
 * dimensions it can, so the innermost loop is as long as the layout allows).
 * Bit-exact with TFLite's reference_integer_ops::Add / Sub / Mul.
 *
 * Every requantization by a right shift is tinyc_dsp_requantize_right's one
 * SMLAL (tinyc_dsp.h): ADD's rescale of each input, (x + offset) * 2^20 by
 * the input's multiplier, and the output's, of the sum (ADD, SUB) or the
 * product (MUL), given twice the value (which the compiler checks fits in 32
 * bits). An output multiplier that shifts left takes TFLite's arithmetic.
 *
 * Order: elements in increasing output order, each one's inputs read before
 * it is written, so the output may start at or before a dying input.
 */
#include "tinyc_dsp.h"

/* An input's rescale, twice (x + offset) * 2^20, doubled again when TFLite's shift is 0 (then e is 1). */
TINYC_INLINE int32_t rescale_input(int32_t x, const tinyc_dsp_rescale *r)
{
    const int32_t x2 = (int32_t)(((uint32_t)x << r->left) + (uint32_t)r->base);
    return tinyc_dsp_requantize_right_wide(x2, r->mult, r->rounding, r->e, 0);
}

/* The output of a sum or product v (the value, not doubled). */
TINYC_INLINE int32_t requantize_output(int32_t v, const tinyc_dsp_output *o, const int fast)
{
    if (fast) {
        return tinyc_dsp_clamp(tinyc_dsp_requantize_right_wide((int32_t)((uint32_t)v << 1), o->mult, o->rounding, o->e, o->after), o->act_min, o->act_max);
    }
    return tinyc_dsp_clamp(tinyc_dsp_requantize(v, o->mult, o->shift) + o->offset, o->act_min, o->act_max);
}

/* The outer dimensions of a broadcast, each innermost row through `row`. */
#define TINYC_DSP_BROADCAST_ROWS(S, row)                                                                        \
    do {                                                                                                        \
        int32_t i0, i1, i2, i3, i4;                                                                             \
        for (i0 = 0; i0 < (S)->dims[0]; i0++)                                                                   \
        for (i1 = 0; i1 < (S)->dims[1]; i1++)                                                                   \
        for (i2 = 0; i2 < (S)->dims[2]; i2++)                                                                   \
        for (i3 = 0; i3 < (S)->dims[3]; i3++)                                                                   \
        for (i4 = 0; i4 < (S)->dims[4]; i4++) {                                                                 \
            const int32_t o1 = i0 * (S)->stride1[0] + i1 * (S)->stride1[1] + i2 * (S)->stride1[2] +              \
                               i3 * (S)->stride1[3] + i4 * (S)->stride1[4];                                      \
            const int32_t o2 = i0 * (S)->stride2[0] + i1 * (S)->stride2[1] + i2 * (S)->stride2[2] +              \
                               i3 * (S)->stride2[3] + i4 * (S)->stride2[4];                                      \
            row(p, input1 + o1, input2 + o2, output, (S)->dims[5], (S)->stride1[5], (S)->stride2[5]);           \
            output += (S)->dims[5];                                                                             \
        }                                                                                                       \
    } while (0)

/* One innermost row of ADD (sign 1) or SUB (sign -1). */
TINYC_INLINE void add_row(const tinyc_dsp_add_params *p, const int8_t *x, const int8_t *y, int8_t *out, int32_t n, int32_t sx, int32_t sy,
                          const int sign, const int fast)
{
    const tinyc_dsp_rescale r1 = p->input1, r2 = p->input2;
    const tinyc_dsp_output o = p->output;
    int32_t i;
    for (i = 0; i < n; i++, x += sx, y += sy) {
        const int32_t a = rescale_input(*x, &r1), b = rescale_input(*y, &r2);
        out[i] = (int8_t)requantize_output(sign > 0 ? a + b : a - b, &o, fast);
    }
}

/* One innermost row of MUL. */
TINYC_INLINE void mul_row(const tinyc_dsp_mul_params *p, const int8_t *x, const int8_t *y, int8_t *out, int32_t n, int32_t sx, int32_t sy, const int fast)
{
    const int32_t ox = p->input1_offset, oy = p->input2_offset;
    const tinyc_dsp_output o = p->output;
    int32_t i;
    for (i = 0; i < n; i++, x += sx, y += sy) {
        out[i] = (int8_t)requantize_output((*x + ox) * (*y + oy), &o, fast);
    }
}

/* Each row variant a function of its own: `fast` when the output shifts right (p->output.e >= 1). */
static TINYC_NOINLINE void add_fast(const tinyc_dsp_add_params *p, const int8_t *x, const int8_t *y, int8_t *out, int32_t n, int32_t sx, int32_t sy) { add_row(p, x, y, out, n, sx, sy, 1, 1); }
static TINYC_NOINLINE void add_general(const tinyc_dsp_add_params *p, const int8_t *x, const int8_t *y, int8_t *out, int32_t n, int32_t sx, int32_t sy) { add_row(p, x, y, out, n, sx, sy, 1, 0); }
static TINYC_NOINLINE void sub_fast(const tinyc_dsp_add_params *p, const int8_t *x, const int8_t *y, int8_t *out, int32_t n, int32_t sx, int32_t sy) { add_row(p, x, y, out, n, sx, sy, -1, 1); }
static TINYC_NOINLINE void sub_general(const tinyc_dsp_add_params *p, const int8_t *x, const int8_t *y, int8_t *out, int32_t n, int32_t sx, int32_t sy) { add_row(p, x, y, out, n, sx, sy, -1, 0); }
static TINYC_NOINLINE void mul_fast(const tinyc_dsp_mul_params *p, const int8_t *x, const int8_t *y, int8_t *out, int32_t n, int32_t sx, int32_t sy) { mul_row(p, x, y, out, n, sx, sy, 1); }
static TINYC_NOINLINE void mul_general(const tinyc_dsp_mul_params *p, const int8_t *x, const int8_t *y, int8_t *out, int32_t n, int32_t sx, int32_t sy) { mul_row(p, x, y, out, n, sx, sy, 0); }

void tinyc_dsp_add_s8(const tinyc_dsp_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    if (p->output.e > 0) {
        TINYC_DSP_BROADCAST_ROWS(&p->shape, add_fast);
    } else {
        TINYC_DSP_BROADCAST_ROWS(&p->shape, add_general);
    }
}

void tinyc_dsp_sub_s8(const tinyc_dsp_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    if (p->output.e > 0) {
        TINYC_DSP_BROADCAST_ROWS(&p->shape, sub_fast);
    } else {
        TINYC_DSP_BROADCAST_ROWS(&p->shape, sub_general);
    }
}

void tinyc_dsp_mul_s8(const tinyc_dsp_mul_params *p, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    if (p->output.e > 0) {
        TINYC_DSP_BROADCAST_ROWS(&p->shape, mul_fast);
    } else {
        TINYC_DSP_BROADCAST_ROWS(&p->shape, mul_general);
    }
}
