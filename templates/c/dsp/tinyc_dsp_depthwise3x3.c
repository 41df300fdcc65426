/*
 * tinyc DSP int8 depthwise convolution, 3x3 window, dilation 1, any stride
 * and depth multiplier.
 *
 * Order: output rows in bands of `band` rows; within a band, output channels
 * in increasing order; within a channel, the band's rows top to bottom and
 * each row's outputs left to right, into `scratch` (band * out_w * out_c
 * bytes); the band is then copied to the output, after every read of its
 * windows, so the output may overlap the input up to one band behind it (or,
 * with reverse = 1, bands last to first, one band ahead of it). A channel's consecutive rows whose window
 * rows all lie inside the image are one group: their accumulators first
 * (rows 0 and 1 of the window as one SMLAD per column, the columns sliding
 * through registers; then row 2), then their requantization, each pass one
 * call for the whole group. Rows with padding above or below are groups of
 * their own. TINYC_DW_CHUNK accumulators at a time.
 *
 * Padding: columns outside the image take the input zero point (which the
 * folded bias cancels exactly); for rows outside it, the row's weights are
 * zeroed and the zero point times their sum is added to the bias instead.
 * Bit-exact with TFLite's DepthwiseConvPerChannel.
 */
#include "tinyc_dsp.h"

#define TINYC_DW_CHUNK 64

/* Rows 0 and 1 of the column at x as lanes (row 1 is rb bytes after row 0). */
TINYC_INLINE uint32_t pair_at(const int8_t *x, int32_t rb)
{
    return ((uint32_t)(int32_t)x[0] & 0xFFFFu) | ((uint32_t)(int32_t)x[rb] << 16);
}

/* A group of rows of one channel: what they read and multiply. */
typedef struct {
    const int8_t *x0;      /* the first row's window row 0 at column 0, at the channel */
    int32_t rb, rb2;       /* window rows 1 and 2, in bytes after row 0 */
    int32_t hop;           /* bytes from one output row's window to the next */
    int32_t rows, out_w;   /* output rows in the group, outputs per row */
    int32_t a, b;          /* outputs [a, b) of each row load only columns inside the row */
    int32_t tail;          /* 1: output b's last column alone is padding (it takes the zero point) */
    int32_t step, in_w, pad_left, stride, zp;
    uint32_t k0, k1, k2;   /* rows 0 and 1 of columns 0, 1, 2 as lanes */
    int32_t w20, w21, w22; /* row 2 */
    int32_t bias;
} dw_group;

/* Column cx of the row at x0: rows 0 and 1 as lanes / row 2, the zero point's outside the row. */
static inline uint32_t pair_checked(const dw_group *g, const int8_t *x0, int32_t cx)
{
    return (uint32_t)cx < (uint32_t)g->in_w ? pair_at(x0 + cx * g->step, g->rb) : (((uint32_t)g->zp & 0xFFFFu) | ((uint32_t)g->zp << 16));
}

static inline int32_t low_checked(const dw_group *g, const int8_t *x2, int32_t cx)
{
    return (uint32_t)cx < (uint32_t)g->in_w ? x2[cx * g->step] : g->zp;
}

/*
 * Rows 0 and 1 of outputs [a, b) (and the tail) of every row of the group
 * into acc (out_w per row). `sk`: stride 1, 2, or 0 (any). The group's fields
 * are copied to locals first: the stores to acc could alias *g as far as the
 * compiler knows.
 */
TINYC_INLINE void rows01(const dw_group *g, int32_t *acc, const int sk)
{
    const uint32_t k0 = g->k0, k1 = g->k1, k2 = g->k2;
    const int32_t bias = g->bias, stride = g->stride, step = g->step, rb = g->rb, hop = g->hop, out_w = g->out_w;
    const int32_t a0 = g->a, n = g->b - g->a, cx0 = g->a * g->stride - g->pad_left, tail = g->tail;
    const uint32_t zp_pair = ((uint32_t)g->zp & 0xFFFFu) | ((uint32_t)g->zp << 16);
    const int8_t *x0 = g->x0;
    int32_t row, i;
    for (row = g->rows; row > 0; row--, x0 += hop, acc += out_w) {
        /* The columns output a reuses, loaded as the output before it would have. */
        uint32_t pa = pair_checked(g, x0, cx0), pm = pair_checked(g, x0, cx0 + 1);
        const int8_t *x = x0 + cx0 * step;
        int32_t *o = acc + a0;
        i = n;
        if (sk == 1) {
            /* Two outputs a step: the sliding columns trade places without moves. */
            for (; i >= 2; i -= 2) {
                const uint32_t pz = pair_at(x + 2 * step, rb), pw = pair_at(x + 3 * step, rb);
                o[0] = tinyc_smlad(pz, k2, tinyc_smlad(pm, k1, tinyc_smlad(pa, k0, bias)));
                o[1] = tinyc_smlad(pw, k2, tinyc_smlad(pz, k1, tinyc_smlad(pm, k0, bias)));
                o += 2;
                pa = pz;
                pm = pw;
                x += 2 * step;
            }
        }
        for (; i > 0; i--) {
            uint32_t pz;
            if (sk == 1) {
                pz = pair_at(x + 2 * step, rb);
            } else if (sk == 2) {
                pm = pair_at(x + step, rb);
                pz = pair_at(x + 2 * step, rb);
            } else {
                pa = pair_at(x, rb);
                pm = pair_at(x + step, rb);
                pz = pair_at(x + 2 * step, rb);
            }
            *o++ = tinyc_smlad(pz, k2, tinyc_smlad(pm, k1, tinyc_smlad(pa, k0, bias)));
            if (sk == 1) {
                pa = pm;
                pm = pz;
            } else {
                pa = pz;
            }
            x += stride * step;
        }
        if (tail) {
            if (sk != 1) pm = pair_at(x + step, rb);
            *o = tinyc_smlad(zp_pair, k2, tinyc_smlad(pm, k1, tinyc_smlad(pa, k0, bias)));
        }
    }
}

/* Row 2 of the same outputs, added to acc. */
TINYC_INLINE void row2(const dw_group *g, int32_t *acc, const int sk)
{
    const int32_t w20 = g->w20, w21 = g->w21, w22 = g->w22, stride = g->stride, step = g->step, hop = g->hop, out_w = g->out_w;
    const int32_t a0 = g->a, n = g->b - g->a, cx0 = g->a * g->stride - g->pad_left, tail = g->tail, zp = g->zp;
    const int8_t *x2 = g->x0 + g->rb2;
    int32_t row, i;
    for (row = g->rows; row > 0; row--, x2 += hop, acc += out_w) {
        int32_t la = low_checked(g, x2, cx0), lm = low_checked(g, x2, cx0 + 1);
        const int8_t *x = x2 + cx0 * step;
        int32_t *o = acc + a0;
        i = n;
        if (sk == 1) {
            for (; i >= 2; i -= 2) {
                const int32_t lz = x[2 * step], lw = x[3 * step];
                o[0] = o[0] + la * w20 + lm * w21 + lz * w22;
                o[1] = o[1] + lm * w20 + lz * w21 + lw * w22;
                o += 2;
                la = lz;
                lm = lw;
                x += 2 * step;
            }
        }
        for (; i > 0; i--) {
            int32_t lz;
            if (sk == 1) {
                lz = x[2 * step];
            } else if (sk == 2) {
                lm = x[step];
                lz = x[2 * step];
            } else {
                la = x[0];
                lm = x[step];
                lz = x[2 * step];
            }
            *o = *o + la * w20 + lm * w21 + lz * w22;
            o++;
            if (sk == 1) {
                la = lm;
                lm = lz;
            } else {
                la = lz;
            }
            x += stride * step;
        }
        if (tail) {
            if (sk != 1) lm = x[step];
            *o = *o + la * w20 + lm * w21 + zp * w22;
        }
    }
}

/*
 * Each pass a function of its own, so that its loop gets the registers to
 * itself (the weights, bias and pointers stay in registers).
 */
static TINYC_NOINLINE void rows01_run(const dw_group *g, int32_t *acc)
{
    if (g->stride == 1) {
        rows01(g, acc, 1);
    } else if (g->stride == 2) {
        rows01(g, acc, 2);
    } else {
        rows01(g, acc, 0);
    }
}

static TINYC_NOINLINE void row2_run(const dw_group *g, int32_t *acc)
{
    if (g->stride == 1) {
        row2(g, acc, 1);
    } else if (g->stride == 2) {
        row2(g, acc, 2);
    } else {
        row2(g, acc, 0);
    }
}

static TINYC_NOINLINE void requantize_run(const int32_t *acc, int32_t n, int8_t *out, int32_t out_stride, int32_t mult, int32_t round, int32_t shift,
                                          int32_t output_offset)
{
    for (; n > 0; n--) {
        *out = (int8_t)tinyc_dsp_requantize_right((int32_t)((uint32_t)*acc++ << 1), mult, round, shift, output_offset);
        out += out_stride;
    }
}

/* One output of the row at x0 whose window crosses the left or right edge: tap by tap. */
static TINYC_NOINLINE int32_t edge_acc(const dw_group *g, const int8_t *x0, int32_t ox)
{
    const int32_t cx0 = ox * g->stride - g->pad_left;
    const uint32_t k[3] = {g->k0, g->k1, g->k2};
    const int32_t w2[3] = {g->w20, g->w21, g->w22};
    int32_t acc = g->bias, kx;
    for (kx = 0; kx < 3; kx++) {
        const int32_t cx = cx0 + kx;
        const int inside = (uint32_t)cx < (uint32_t)g->in_w;
        const int32_t off = cx * g->step;
        const int32_t v0 = inside ? x0[off] : g->zp, v1 = inside ? x0[off + g->rb] : g->zp, v2 = inside ? x0[off + g->rb2] : g->zp;
        acc += v0 * (int16_t)(k[kx] & 0xFFFFu) + v1 * (int16_t)(k[kx] >> 16) + v2 * w2[kx];
    }
    return acc;
}

/*
 * A group's outputs: its rows' accumulators (the passes above for [a, b) and
 * the tail, tap by tap for the other edge outputs), then their
 * requantization. rows * out_w accumulators at most TINYC_DW_CHUNK; a single
 * longer row goes TINYC_DW_CHUNK outputs at a time.
 */
static void group_outputs(const tinyc_dsp_conv_params *p, const dw_group *g, int8_t *out, int32_t out_stride, int32_t mult, int32_t shift, int32_t round)
{
    int32_t acc[TINYC_DW_CHUNK];
    const int32_t out_w = g->out_w;
    int32_t row, ox, i;
    if (g->rows * out_w > TINYC_DW_CHUNK) {
        /* One row (the band is one row when rows are long): in chunks of columns. */
        dw_group c = *g;
        int32_t from;
        for (from = 0; from < out_w; from += TINYC_DW_CHUNK) {
            const int32_t to = from + TINYC_DW_CHUNK < out_w ? from + TINYC_DW_CHUNK : out_w;
            c.out_w = to - from;
            c.a = g->a < from ? 0 : (g->a > to ? to - from : g->a - from);
            c.b = g->b < from + c.a ? c.a : (g->b > to ? to - from : g->b - from);
            c.tail = g->tail && g->b >= from && g->b < to;
            c.x0 = g->x0 + from * g->stride * g->step;
            c.pad_left = g->pad_left;
            if (c.a < c.b || c.tail) {
                rows01_run(&c, acc);
                row2_run(&c, acc);
            }
            for (ox = from; ox < to; ox++) {
                if (ox - from >= c.a && ox - from < c.b + c.tail) continue;
                acc[ox - from] = edge_acc(g, g->x0, ox);
            }
            if (shift > 0) {
                requantize_run(acc, to - from, out + from * out_stride, out_stride, mult, round, shift, p->output_offset);
            } else {
                for (i = 0; i < to - from; i++) {
                    out[(from + i) * out_stride] = (int8_t)tinyc_dsp_clamp(tinyc_dsp_requantize(acc[i], mult, shift + 64) + p->output_offset, p->act_min, p->act_max);
                }
            }
        }
        return;
    }
    if (g->a < g->b || g->tail) {
        rows01_run(g, acc);
        row2_run(g, acc);
    }
    if (g->a > 0 || g->b + g->tail < out_w) {
        for (row = 0; row < g->rows; row++) {
            for (ox = 0; ox < out_w; ox++) {
                if (ox >= g->a && ox < g->b + g->tail) continue;
                acc[row * out_w + ox] = edge_acc(g, g->x0 + row * g->hop, ox);
            }
        }
    }
    if (shift > 0) {
        requantize_run(acc, g->rows * out_w, out, out_stride, mult, round, shift, p->output_offset);
    } else {
        for (i = 0; i < g->rows * out_w; i++) {
            out[i * out_stride] = (int8_t)tinyc_dsp_clamp(tinyc_dsp_requantize(acc[i], mult, shift + 64) + p->output_offset, p->act_min, p->act_max);
        }
    }
}

static inline int32_t lo16(uint32_t x) { return (int16_t)(x & 0xFFFFu); }
static inline int32_t hi16(uint32_t x) { return (int16_t)(x >> 16); }
static inline uint32_t lanes_even(uint32_t w) { return tinyc_sxtb16(w); }
static inline uint32_t lanes_odd(uint32_t w) { return tinyc_sxtb16((w >> 8) | (w << 24)); }

void tinyc_dsp_depthwise3x3_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                               const int8_t *input, const int8_t *filter, int8_t *output, int8_t *scratch)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t stride = p->stride_w, dm = p->depth_multiplier, pad_left = p->pad_left, out_stride = p->out_stride;
    const int32_t band = p->band, stride_h = p->stride_h, pad_top = p->pad_top;
    const int32_t row_bytes = in_w * in_c;
    const uint32_t *pairs = (const uint32_t *)(const void *)filter;
    const int8_t *corner = filter + 8 * out_c;
    /*
     * Outputs from a on load only columns at or right of the row's start
     * (stride 1 loads the window's column 2, stride 2 columns 1 and 2, others
     * all three), and before b only columns left of its end. Output b, when
     * only its last column is padding (the usual right edge of SAME), is the
     * tail.
     */
    const int32_t first_new = stride == 1 ? 2 : (stride == 2 ? 1 : 0);
    int32_t a = pad_left - first_new <= 0 ? 0 : (pad_left - first_new + stride - 1) / stride;
    int32_t bb = in_w - 3 + pad_left < 0 ? 0 : (in_w - 3 + pad_left) / stride + 1;
    int32_t b, oy0, oc;
    dw_group g;
    a = a > out_w ? out_w : a;
    bb = bb > out_w ? out_w : (bb < a ? a : bb);
    g.a = a;
    g.b = bb;
    {
        const int32_t cb = bb * stride - pad_left;
        g.tail = bb < out_w && cb >= 0 && cb + 1 < in_w && cb + 2 >= in_w && (stride == 1 ? bb > a || cb >= 0 : 1);
    }
    g.out_w = out_w;
    g.step = in_c;
    g.in_w = in_w;
    g.pad_left = pad_left;
    g.stride = stride;
    g.zp = p->input_zero_point;
    g.hop = stride_h * row_bytes;
    const int32_t bands = (out_h + band - 1) / band;
    int32_t step_i;
    for (step_i = 0; step_i < p->batches * bands; step_i++) {
        /* With reverse = 1 the bands go last to first (each band reads all its windows before it writes). */
        const int32_t k = p->reverse ? p->batches * bands - 1 - step_i : step_i;
        const int8_t *in_b;
        int32_t oy1;
        b = k / bands;
        oy0 = (k % bands) * band;
        oy1 = oy0 + band < out_h ? oy0 + band : out_h;
        in_b = input + b * in_h * row_bytes;
        {
            for (oc = 0; oc < out_c; oc++) {
                const uint32_t wa = pairs[2 * oc], wb = pairs[2 * oc + 1];
                /* (w00, w10), (w01, w11), (w02, w12): rows 0 and 1 of each column; (w20, w21) and w22: row 2. */
                const uint32_t e_a = lanes_even(wa), o_a = lanes_odd(wa), e_b = lanes_even(wb), o_b = lanes_odd(wb);
                const int32_t w22 = corner[oc];
                const int32_t mult = q->bias_mult[2 * oc + 1], shift = q->shift[oc];
                const int32_t round = shift > 0 ? tinyc_dsp_round(shift) : 0;
                /* A right-shift channel's bias is doubled in the table (for the matrix kernel); the accumulator doubles instead. */
                const int32_t bias = shift > 0 ? q->bias_mult[2 * oc] >> 1 : q->bias_mult[2 * oc];
                const int32_t ic = oc / dm;
                int32_t oy = oy0;
                while (oy < oy1) {
                    const int32_t iy = oy * stride_h - pad_top;
                    /* The band's outputs go to the scratch first (out_c apart), then to the output together. */
                    int8_t *out = scratch + (oy - oy0) * out_w * out_c + oc;
                    g.k0 = e_a;
                    g.k1 = o_a;
                    g.k2 = e_b;
                    g.w20 = lo16(o_b);
                    g.w21 = hi16(o_b);
                    g.w22 = w22;
                    g.bias = bias;
                    if (iy >= 0 && iy + 2 < in_h) {
                        /* Rows inside the image from here to the band's end or the first with padding below. */
                        int32_t rows = 1;
                        while (oy + rows < oy1 && (oy + rows) * stride_h - pad_top + 2 < in_h) rows++;
                        g.x0 = in_b + iy * row_bytes + ic;
                        g.rb = row_bytes;
                        g.rb2 = 2 * row_bytes;
                        g.rows = rows;
                        group_outputs(p, &g, out, out_c, mult, shift, round);
                        oy += rows;
                    } else {
                        /* Rows outside the image: zero weights, read a row inside it, and the zero point's share in the bias. */
                        const int32_t ok0 = iy >= 0 && iy < in_h, ok1 = iy + 1 >= 0 && iy + 1 < in_h, ok2 = iy + 2 >= 0 && iy + 2 < in_h;
                        const int32_t any = ok1 ? iy + 1 : (ok0 ? iy : iy + 2);
                        const int32_t y0 = ok0 ? iy : any;
                        const uint32_t keep = (ok0 ? 0xFFFFu : 0u) | (ok1 ? 0xFFFF0000u : 0u);
                        int32_t outside = 0;
                        if (!ok0) outside += lo16(e_a) + lo16(o_a) + lo16(e_b);
                        if (!ok1) outside += hi16(e_a) + hi16(o_a) + hi16(e_b);
                        if (!ok2) outside += lo16(o_b) + hi16(o_b) + w22;
                        g.x0 = in_b + y0 * row_bytes + ic;
                        g.rb = ((ok1 ? iy + 1 : any) - y0) * row_bytes;
                        g.rb2 = ((ok2 ? iy + 2 : any) - y0) * row_bytes;
                        g.k0 &= keep;
                        g.k1 &= keep;
                        g.k2 &= keep;
                        if (!ok2) g.w20 = g.w21 = g.w22 = 0;
                        g.bias += g.zp * outside;
                        g.rows = 1;
                        group_outputs(p, &g, out, out_c, mult, shift, round);
                        oy++;
                    }
                }
            }
            /* Every read of the band's windows is done: its rows go out. */
            {
                int8_t *dst = output + (b * out_h + oy0) * out_w * out_stride;
                const int32_t pixels = (oy1 - oy0) * out_w;
                int32_t i;
                if (out_stride == out_c) {
                    memcpy(dst, scratch, (size_t)(pixels * out_c));
                } else {
                    for (i = 0; i < pixels; i++) memcpy(dst + i * out_stride, scratch + i * out_c, (size_t)out_c);
                }
            }
        }
    }
}
