/*
 * tinyc DSP int8 depthwise convolution: any window, stride, dilation and
 * padding, depth multiplier 1 (the compiler leaves other multipliers to the
 * portable kernel).
 *
 * Order: output pixels in order; within a pixel, its channels four at a
 * time, then the channels left over one at a time; each group of channels
 * reads its window, then writes its outputs. With reverse = 1, exactly the
 * reverse: pixels and their groups last to first.
 *
 * Four channels at a time: one word of input per tap gives channels (0, 2)
 * with SXTB16 and channels (1, 3) times 256 with an AND, and each lane meets
 * its weight (int8 in flash, laid out per group of four channels and tap as
 * (w0, w2, w1, w3), widened to int16 in the scratch at the start, so words
 * (w0, w2), (w1, w3)) in one SMLABB or SMLATT. Channels 1 and 3 sum
 * 256 times their products, shifted back before the requantization (the
 * compiler checks that these sums fit in 32 bits). Taps outside the image
 * take the input zero point, which the folded bias cancels exactly.
 * Bit-exact with TFLite's DepthwiseConvPerChannel.
 */
#include "tinyc_dsp.h"

/* What every pixel shares. */
typedef struct {
    const tinyc_dsp_conv_params *p;
    const tinyc_dsp_quant *q;
    const int16_t *filter;
    const int8_t *zp_row;       /* in_c bytes of the input zero point */
    int32_t col_step, row_step; /* bytes from one tap to the next in a window row, and from one window row to the next */
    uint32_t zp4;               /* the input zero point in every byte */
} dw_job;

/*
 * What the requantization reads, as values: the output stores (char) could
 * alias anything a pointer reaches, so nothing is reloaded after them.
 */
typedef struct {
    const int32_t *bias_mult, *rounding, *requant;
    const int8_t *codes;
    int32_t output_offset, act_min, act_max;
} dw_quant;

/* Eight bytes from an 8-byte aligned address (one LDRD), whatever type wrote them. */
TINYC_INLINE uint64_t dw_read8(const void *p)
{
    uint64_t v;
#if defined(__GNUC__)
    memcpy(&v, __builtin_assume_aligned(p, 8), 8);
#else
    memcpy(&v, p, 8);
#endif
    return v;
}

/*
 * A fast layer's requantization from q->requant: channel k of a record of
 * `w` channels (four, or one for a channel past the last group of four):
 * doubled biases, multipliers, rounding terms, then the shifts as bytes.
 * `fast` 1: the clamp is SSAT's; 2: the activation's narrower [lo, hi].
 */
TINYC_INLINE int32_t dw_fast(const dw_quant r, const int fast, const int32_t *rq, const int w, const int k, int32_t sum2)
{
    const int32_t e = ((const int8_t *)(const void *)(rq + 3 * w))[k];
    const int32_t x = (int32_t)((uint32_t)sum2 + (uint32_t)rq[k]);
    if (fast == 1) return tinyc_dsp_requantize_right(x, rq[w + k], rq[2 * w + k], e, 0);
    return tinyc_dsp_clamp(tinyc_dsp_requantize_right_wide(x, rq[w + k], rq[2 * w + k], e, 0), r.act_min, r.act_max);
}

/*
 * One channel's requantization (see tinyc_dsp_quant) of `sum2`, twice its
 * sum of products: a right shift by e (at most TINYC_DSP_FOLD_MAX here, the
 * bias doubled, the rounding term from the table), else TFLite's.
 */
TINYC_INLINE int32_t dw_output(const dw_quant r, int32_t c, int32_t sum2)
{
    const int32_t code = r.codes[c], bias = r.bias_mult[2 * c], mult = r.bias_mult[2 * c + 1];
    if (code > 0) {
        return tinyc_dsp_clamp(tinyc_dsp_requantize_right_wide((int32_t)((uint32_t)sum2 + (uint32_t)bias), mult, r.rounding[c], code, 0), r.act_min, r.act_max);
    }
    return tinyc_dsp_clamp(tinyc_dsp_requantize((int32_t)((uint32_t)(sum2 >> 1) + (uint32_t)bias), mult, code + 64) + r.output_offset, r.act_min, r.act_max);
}

/*
 * The channels of one output pixel whose window starts `win` bytes from
 * `input` (channel 0 of the top-left tap, which may lie outside the image:
 * offsets, so that no pointer leaves the tensor): `rows` and `cols` have bit
 * k set when window row / column k lies inside it (`inside`: all of them,
 * nothing is checked). `k3`: a 3x3 window, unrolled.
 */
TINYC_INLINE void dw_pixel(const dw_job *j, const int8_t *input, int32_t win, uint32_t rows, uint32_t cols, int8_t *out, const int inside, const int k3, const int all_right)
{
    const tinyc_dsp_conv_params *p = j->p;
    const int32_t channels = p->in_c, quads = channels >> 2;
    const int32_t k_h = k3 ? 3 : p->k_h, k_w = k3 ? 3 : p->k_w, taps = k_h * k_w;
    const int32_t col_step = j->col_step, row_step = j->row_step;
    const int32_t groups = quads + (channels - 4 * quads), reverse = p->reverse;
    const int32_t zp = p->input_zero_point;
    const uint32_t zp4 = j->zp4;
    const uint32_t *filter = (const uint32_t *)(const void *)j->filter;
    const int16_t *lone = j->filter + 4 * quads * taps;
    dw_quant r;
    int32_t gi, ky, kx;
    r.bias_mult = j->q->bias_mult;
    r.rounding = j->q->rounding;
    r.requant = j->q->requant;
    r.codes = j->q->shift;
    r.output_offset = p->output_offset;
    r.act_min = p->act_min;
    r.act_max = p->act_max;
    for (gi = 0; gi < groups; gi++) {
        /* With reverse = 1 the groups go last to first too (the exact reverse of the forward order). */
        const int32_t grp = reverse ? groups - 1 - gi : gi;
        if (grp < quads) {
            const uint32_t *f = filter + grp * 2 * taps;
            int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, y0, y1, y2, y3;
            int32_t row = win + 4 * grp;
            TINYC_UNROLL3
            for (ky = 0; ky < k_h; ky++, row += row_step) {
                int32_t x = row;
                TINYC_UNROLL3
                for (kx = 0; kx < k_w; kx++, x += col_step, f += 2) {
                    const uint32_t v = inside || ((rows >> ky) & (cols >> kx) & 1u) ? tinyc_read4(input + x) : zp4;
                    const uint32_t e = tinyc_sxtb16(v), o = v & TINYC_HIGH_BYTES;
                    const uint64_t w = dw_read8(f);
                    const uint32_t w02 = (uint32_t)w, w13 = (uint32_t)(w >> 32);
                    a0 = tinyc_smlabb(e, w02, a0);
                    a2 = tinyc_smlatt(e, w02, a2);
                    a1 = tinyc_smlabb(o, w13, a1);
                    a3 = tinyc_smlatt(o, w13, a3);
                }
            }
            if (all_right) {
                const int32_t *rq = r.requant + 13 * grp;
                y0 = dw_fast(r, all_right, rq, 4, 0, (int32_t)((uint32_t)a0 << 1));
                y1 = dw_fast(r, all_right, rq, 4, 1, a1 >> 7);
                y2 = dw_fast(r, all_right, rq, 4, 2, (int32_t)((uint32_t)a2 << 1));
                y3 = dw_fast(r, all_right, rq, 4, 3, a3 >> 7);
            } else {
                y0 = dw_output(r, 4 * grp, (int32_t)((uint32_t)a0 << 1));
                y1 = dw_output(r, 4 * grp + 1, a1 >> 7);
                y2 = dw_output(r, 4 * grp + 2, (int32_t)((uint32_t)a2 << 1));
                y3 = dw_output(r, 4 * grp + 3, a3 >> 7);
            }
            out[4 * grp] = (int8_t)y0;
            out[4 * grp + 1] = (int8_t)y1;
            out[4 * grp + 2] = (int8_t)y2;
            out[4 * grp + 3] = (int8_t)y3;
        } else {
            /* A channel past the last group of four: alone, its weights int16 per tap. */
            const int32_t c = 4 * quads + (grp - quads);
            const int16_t *w = lone + (grp - quads) * taps;
            int32_t acc = 0;
            int32_t row = win + c;
            for (ky = 0; ky < k_h; ky++, row += row_step) {
                int32_t x = row;
                for (kx = 0; kx < k_w; kx++, x += col_step) {
                    const int32_t v = inside || ((rows >> ky) & (cols >> kx) & 1u) ? input[x] : zp;
                    acc += v * *w++;
                }
            }
            out[c] = (int8_t)(all_right ? dw_fast(r, all_right, r.requant + 13 * quads + 4 * (grp - quads), 1, 0, (int32_t)((uint32_t)acc << 1))
                                        : dw_output(r, c, (int32_t)((uint32_t)acc << 1)));
        }
    }
}

/*
 * A 3x3 window that crosses the image's edge: its nine taps as pointers, each
 * to the tap's pixel (channel 0) or, outside the image, to a row of the zero
 * point in every channel (j->zp_row), so the loop reads without a test.
 */
TINYC_INLINE void dw_taps3(const dw_job *j, const int8_t *const *tap, int8_t *out, const int all_right)
{
    const tinyc_dsp_conv_params *p = j->p;
    const int32_t channels = p->in_c, quads = channels >> 2;
    const int32_t groups = quads + (channels - 4 * quads), reverse = p->reverse;
    const uint32_t *filter = (const uint32_t *)(const void *)j->filter;
    const int16_t *lone = j->filter + 4 * quads * 9;
    dw_quant r;
    int32_t gi, t;
    r.bias_mult = j->q->bias_mult;
    r.rounding = j->q->rounding;
    r.requant = j->q->requant;
    r.codes = j->q->shift;
    r.output_offset = p->output_offset;
    r.act_min = p->act_min;
    r.act_max = p->act_max;
    for (gi = 0; gi < groups; gi++) {
        const int32_t grp = reverse ? groups - 1 - gi : gi;
        if (grp < quads) {
            const uint32_t *f = filter + grp * 18;
            int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, y0, y1, y2, y3;
            TINYC_UNROLL9
            for (t = 0; t < 9; t++, f += 2) {
                const uint32_t v = tinyc_read4(tap[t] + 4 * grp);
                const uint32_t e = tinyc_sxtb16(v), o = v & TINYC_HIGH_BYTES;
                const uint64_t w = dw_read8(f);
                a0 = tinyc_smlabb(e, (uint32_t)w, a0);
                a2 = tinyc_smlatt(e, (uint32_t)w, a2);
                a1 = tinyc_smlabb(o, (uint32_t)(w >> 32), a1);
                a3 = tinyc_smlatt(o, (uint32_t)(w >> 32), a3);
            }
            if (all_right) {
                const int32_t *rq = r.requant + 13 * grp;
                y0 = dw_fast(r, all_right, rq, 4, 0, (int32_t)((uint32_t)a0 << 1));
                y1 = dw_fast(r, all_right, rq, 4, 1, a1 >> 7);
                y2 = dw_fast(r, all_right, rq, 4, 2, (int32_t)((uint32_t)a2 << 1));
                y3 = dw_fast(r, all_right, rq, 4, 3, a3 >> 7);
            } else {
                y0 = dw_output(r, 4 * grp, (int32_t)((uint32_t)a0 << 1));
                y1 = dw_output(r, 4 * grp + 1, a1 >> 7);
                y2 = dw_output(r, 4 * grp + 2, (int32_t)((uint32_t)a2 << 1));
                y3 = dw_output(r, 4 * grp + 3, a3 >> 7);
            }
            out[4 * grp] = (int8_t)y0;
            out[4 * grp + 1] = (int8_t)y1;
            out[4 * grp + 2] = (int8_t)y2;
            out[4 * grp + 3] = (int8_t)y3;
        } else {
            const int32_t c = 4 * quads + (grp - quads);
            const int16_t *w = lone + (grp - quads) * 9;
            int32_t acc = 0;
            for (t = 0; t < 9; t++) acc += tap[t][c] * w[t];
            out[c] = (int8_t)(all_right ? dw_fast(r, all_right, r.requant + 13 * quads + 4 * (grp - quads), 1, 0, (int32_t)((uint32_t)acc << 1))
                                        : dw_output(r, c, (int32_t)((uint32_t)acc << 1)));
        }
    }
}

static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_edge3_fast(const dw_job *j, const int8_t *const *tap, int8_t *out) { dw_taps3(j, tap, out, 1); }
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_edge3_clamp(const dw_job *j, const int8_t *const *tap, int8_t *out) { dw_taps3(j, tap, out, 2); }
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_edge3(const dw_job *j, const int8_t *const *tap, int8_t *out) { dw_taps3(j, tap, out, 0); }

/*
 * The pixel's variants, each a function of its own (its loop gets the
 * registers): `fast` when every channel shifts right (q->all_right) and the
 * clamp is SSAT's, `clamp` when they do and the clamp is narrower.
 */
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_inside3_fast(const dw_job *j, const int8_t *win, int8_t *out) { dw_pixel(j, win, 0, ~0u, ~0u, out, 1, 1, 1); }
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_inside3_clamp(const dw_job *j, const int8_t *win, int8_t *out) { dw_pixel(j, win, 0, ~0u, ~0u, out, 1, 1, 2); }
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_inside3(const dw_job *j, const int8_t *win, int8_t *out) { dw_pixel(j, win, 0, ~0u, ~0u, out, 1, 1, 0); }
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_inside(const dw_job *j, const int8_t *win, int8_t *out) { dw_pixel(j, win, 0, ~0u, ~0u, out, 1, 0, 0); }
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_edge(const dw_job *j, const int8_t *input, int32_t win, uint32_t rows, uint32_t cols, int8_t *out) { dw_pixel(j, input, win, rows, cols, out, 0, 0, 0); }

/* Bit k set when tap k of a window starting at i0 (step d) lies in [0, n). */
static uint32_t taps_inside(int32_t i0, int32_t d, int32_t k, int32_t n)
{
    uint32_t bits = 0;
    int32_t t;
    for (t = 0; t < k && t < 32; t++) {
        const int32_t i = i0 + t * d;
        if (i >= 0 && i < n) bits |= (uint32_t)1 << t;
    }
    return bits;
}

/*
 * The whole layer. `k3` (3x3 windows) and `fast` (0, or 1 or 2: see dw_fast) are
 * constants of each entry point below, so a build links only the pixel
 * variants its layers use.
 */
TINYC_INLINE void dw_layer(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                           const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch, const int k3, const int fast)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_h = p->out_h, out_w = p->out_w;
    const uint32_t all_rows = taps_inside(0, 0, p->k_h, 1);
    dw_job j;
    int32_t i;
    j.p = p;
    j.q = q;
    /* The weights widened to int16 once per call (flash keeps them as bytes; every pixel reads them): a tap's pair of words is one LDRD (the scratch is 8-byte aligned). */
    for (i = 0; i < p->k_h * p->k_w * in_c; i++) scratch[i] = filter[i];
    j.filter = scratch;
    {
        /* After the widened weights: a pixel of the zero point, for taps outside the image. */
        int8_t *zp_row = (int8_t *)(void *)(scratch + p->k_h * p->k_w * in_c);
        memset(zp_row, p->input_zero_point, (size_t)in_c);
        j.zp_row = zp_row;
    }
    j.col_step = p->dil_w * in_c;
    j.row_step = p->dil_h * in_w * in_c;
    j.zp4 = ((uint32_t)p->input_zero_point & 0xFFu) * 0x01010101u;
    {
        /* Output columns whose window columns all lie inside the image: [x_lo, x_hi). */
        const int32_t span = (p->k_w - 1) * p->dil_w, sw = p->stride_w, reach = in_w - 1 - span + p->pad_left;
        const int32_t x_lo = (p->pad_left + sw - 1) / sw;
        const int32_t x_hi = reach < 0 ? 0 : (reach / sw + 1 < out_w ? reach / sw + 1 : out_w);
        const int32_t rows_total = p->batches * out_h;
        int32_t r;
        for (r = 0; r < rows_total; r++) {
            const int32_t row = p->reverse ? rows_total - 1 - r : r;
            const int32_t b = row / out_h, oy = row - b * out_h;
            const int32_t iy0 = oy * p->stride_h - p->pad_top;
            const uint32_t rows = taps_inside(iy0, p->dil_h, p->k_h, in_h);
            const int32_t row_win = (b * in_h + iy0) * in_w * in_c - p->pad_left * in_c;
            int8_t *out_row = output + row * out_w * p->out_stride;
            int32_t x;
            for (x = 0; x < out_w; x++) {
                const int32_t ox = p->reverse ? out_w - 1 - x : x;
                /* The window's top-left tap, inside the image or not (only taps inside are read). */
                const int32_t win = row_win + ox * sw * in_c;
                int8_t *out = out_row + ox * p->out_stride;
                if (rows == all_rows && ox >= x_lo && ox < x_hi) {
                    if (k3 && fast == 2) {
                        dw_inside3_clamp(&j, input + win, out);
                    } else if (k3 && fast) {
                        dw_inside3_fast(&j, input + win, out);
                    } else if (k3) {
                        dw_inside3(&j, input + win, out);
                    } else {
                        dw_inside(&j, input + win, out);
                    }
                } else {
                    const uint32_t cols = taps_inside(ox * sw - p->pad_left, p->dil_w, p->k_w, in_w);
                    if (k3) {
                        const int8_t *tap[9];
                        int32_t t;
                        for (t = 0; t < 9; t++) {
                            const int32_t ky = t >= 6 ? 2 : (t >= 3), kx = t - 3 * ky;
                            tap[t] = ((rows >> ky) & (cols >> kx) & 1u) ? input + win + ky * j.row_step + kx * j.col_step : j.zp_row;
                        }
                        if (fast == 2) {
                            dw_edge3_clamp(&j, tap, out);
                        } else if (fast) {
                            dw_edge3_fast(&j, tap, out);
                        } else {
                            dw_edge3(&j, tap, out);
                        }
                    } else {
                        dw_edge(&j, input, win, rows, cols, out);
                    }
                }
            }
        }
    }
}

void tinyc_dsp_depthwise_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                            const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch)
{
    dw_layer(p, q, input, filter, output, scratch, 0, 0);
}

void tinyc_dsp_depthwise3x3_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                               const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch)
{
    dw_layer(p, q, input, filter, output, scratch, 1, 0);
}

void tinyc_dsp_depthwise3x3_fast_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                    const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch)
{
    dw_layer(p, q, input, filter, output, scratch, 1, 1);
}

void tinyc_dsp_depthwise3x3_fast_clamp_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                          const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch)
{
    dw_layer(p, q, input, filter, output, scratch, 1, 2);
}
