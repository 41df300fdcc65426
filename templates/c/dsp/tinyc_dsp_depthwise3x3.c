/*
 * tinyc DSP int8 depthwise convolution, 3x3 window, dilation 1, any stride
 * and depth multiplier.
 *
 * Order: output rows in bands of `band` rows; within a band, output channels
 * in increasing order; within a channel, the band's rows top to bottom and
 * each row's outputs left to right, TINYC_DW_CHUNK at a time: their
 * accumulators first (rows 0 and 1 of the window as one SMLAD per column, the
 * columns sliding through registers; then row 2), then their
 * requantization. Bands amortize each channel's setup over small rows.
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

/* What one row of one channel reads and multiplies. */
typedef struct {
    const int8_t *x0;      /* row 0 of the window at column 0, at the channel */
    int32_t rb, rb2;       /* rows 1 and 2, in bytes after row 0 */
    int32_t step, in_w, pad_left, stride, zp;
    uint32_t k0, k1, k2;   /* rows 0 and 1 of columns 0, 1, 2 as lanes */
    int32_t w20, w21, w22; /* row 2 */
    int32_t bias;
} dw_row;

/* Column cx's pair / row-2 value. */
#define TINYC_PAIR(cx) pair_at(x0 + (cx) * step, rb)
#define TINYC_LOW(cx) ((int32_t)x2[(cx) * step])

/*
 * Rows 0 and 1 of outputs [from, to) into acc[0..]; (*pa, *pm) hold the
 * columns the next output reuses (stride 1: two, stride 2: one); every
 * window lies inside the row. `sk`: stride 1, 2, or 0 (any). The
 * row's fields are copied to locals first: the stores to acc could alias *r
 * as far as the compiler knows.
 */
TINYC_INLINE void rows01(const dw_row *r, int32_t *acc, int32_t from, int32_t to, uint32_t *pa, uint32_t *pm, const int sk)
{
    const uint32_t k0 = r->k0, k1 = r->k1, k2 = r->k2;
    const int32_t bias = r->bias, stride = r->stride, step = r->step, rb = r->rb;
    const int8_t *x0 = r->x0;
    uint32_t a = *pa, m = *pm;
    int32_t cx = from * stride - r->pad_left, n;
    for (n = to - from; n > 0; n--) {
        uint32_t z;
        if (sk == 1) {
            z = TINYC_PAIR(cx + 2);
        } else if (sk == 2) {
            m = TINYC_PAIR(cx + 1);
            z = TINYC_PAIR(cx + 2);
        } else {
            a = TINYC_PAIR(cx);
            m = TINYC_PAIR(cx + 1);
            z = TINYC_PAIR(cx + 2);
        }
        *acc++ = tinyc_smlad(z, k2, tinyc_smlad(m, k1, tinyc_smlad(a, k0, bias)));
        if (sk == 1) {
            a = m;
            m = z;
        } else {
            a = z;
        }
        cx += stride;
    }
    *pa = a;
    *pm = m;
}

/* Row 2 of outputs [from, to) added to acc[..], like rows01. */
TINYC_INLINE void row2(const dw_row *r, int32_t *acc, int32_t from, int32_t to, int32_t *pa, int32_t *pm, const int sk)
{
    const int32_t w20 = r->w20, w21 = r->w21, w22 = r->w22, stride = r->stride, step = r->step;
    const int8_t *x2 = r->x0 + r->rb2;
    int32_t a = *pa, m = *pm;
    int32_t cx = from * stride - r->pad_left, n;
    for (n = to - from; n > 0; n--) {
        int32_t z;
        if (sk == 1) {
            z = TINYC_LOW(cx + 2);
        } else if (sk == 2) {
            m = TINYC_LOW(cx + 1);
            z = TINYC_LOW(cx + 2);
        } else {
            a = TINYC_LOW(cx);
            m = TINYC_LOW(cx + 1);
            z = TINYC_LOW(cx + 2);
        }
        *acc = *acc + a * w20 + m * w21 + z * w22;
        acc++;
        if (sk == 1) {
            a = m;
            m = z;
        } else {
            a = z;
        }
        cx += stride;
    }
    *pa = a;
    *pm = m;
}


/*
 * The unchecked runs as functions of their own, so that their loops get the
 * registers to themselves (the weights, bias and pointers stay in registers).
 */
static TINYC_NOINLINE void rows01_run(const dw_row *r, int32_t *acc, int32_t from, int32_t to, uint32_t *pa, uint32_t *pm, int sk)
{
    if (sk == 1) {
        rows01(r, acc, from, to, pa, pm, 1);
    } else if (sk == 2) {
        rows01(r, acc, from, to, pa, pm, 2);
    } else {
        rows01(r, acc, from, to, pa, pm, 0);
    }
}

static TINYC_NOINLINE void row2_run(const dw_row *r, int32_t *acc, int32_t from, int32_t to, int32_t *pa, int32_t *pm, int sk)
{
    if (sk == 1) {
        row2(r, acc, from, to, pa, pm, 1);
    } else if (sk == 2) {
        row2(r, acc, from, to, pa, pm, 2);
    } else {
        row2(r, acc, from, to, pa, pm, 0);
    }
}

static TINYC_NOINLINE void requantize_run(const int32_t *acc, int32_t n, int8_t *out, int32_t out_stride, int32_t mult, int32_t round, int32_t shift,
                                          int32_t output_offset)
{
    for (; n > 0; n--) {
        *out = tinyc_dsp_requantize_right((int32_t)((uint32_t)*acc++ << 1), mult, round, shift, output_offset);
        out += out_stride;
    }
}

/* One output whose window crosses the left or right edge: tap by tap, columns outside the row taking the zero point. */
static TINYC_NOINLINE int32_t edge_acc(const dw_row *r, int32_t ox)
{
    const int32_t cx0 = ox * r->stride - r->pad_left;
    const uint32_t k[3] = {r->k0, r->k1, r->k2};
    const int32_t w2[3] = {r->w20, r->w21, r->w22};
    int32_t acc = r->bias, kx;
    for (kx = 0; kx < 3; kx++) {
        const int32_t cx = cx0 + kx;
        const int inside = (uint32_t)cx < (uint32_t)r->in_w;
        const int32_t off = cx * r->step;
        const int32_t v0 = inside ? r->x0[off] : r->zp, v1 = inside ? r->x0[off + r->rb] : r->zp, v2 = inside ? r->x0[off + r->rb2] : r->zp;
        acc += v0 * (int16_t)(k[kx] & 0xFFFFu) + v1 * (int16_t)(k[kx] >> 16) + v2 * w2[kx];
    }
    return acc;
}

/*
 * One channel's row, TINYC_DW_CHUNK outputs at a time: those in [lo, hi) (the
 * whole window inside the row) in unchecked runs, the others one by one;
 * then the chunk's requantization.
 */
static TINYC_NOINLINE void row_outputs(const tinyc_dsp_conv_params *p, const dw_row *r, int32_t out_w, int32_t lo, int32_t hi,
                                       int8_t *out, int32_t mult, int32_t shift, int32_t round, int sk)
{
    int32_t acc[TINYC_DW_CHUNK];
    const int32_t out_stride = p->out_stride;
    int32_t from, i;
    for (from = 0; from < out_w; from += TINYC_DW_CHUNK) {
        const int32_t to = from + TINYC_DW_CHUNK < out_w ? from + TINYC_DW_CHUNK : out_w;
        const int32_t a = lo < from ? from : (lo > to ? to : lo), b = hi < a ? a : (hi > to ? to : hi);
        int32_t ox;
        for (ox = from; ox < a; ox++) acc[ox - from] = edge_acc(r, ox);
        if (a < b) {
            /* The columns output a takes from the one before it, loaded as that output would have. */
            const int32_t cx = a * r->stride - r->pad_left;
            uint32_t pa = pair_at(r->x0 + cx * r->step, r->rb), pm = pair_at(r->x0 + (cx + 1) * r->step, r->rb);
            int32_t la = r->x0[cx * r->step + r->rb2], lm = r->x0[(cx + 1) * r->step + r->rb2];
            rows01_run(r, acc + (a - from), a, b, &pa, &pm, sk);
            row2_run(r, acc + (a - from), a, b, &la, &lm, sk);
        }
        for (ox = b; ox < to; ox++) acc[ox - from] = edge_acc(r, ox);
        if (shift > 0) {
            requantize_run(acc, to - from, out, out_stride, mult, round, shift, p->output_offset);
            out += (to - from) * out_stride;
        } else {
            for (i = 0; i < to - from; i++) {
                *out = (int8_t)tinyc_dsp_clamp(tinyc_dsp_requantize(acc[i], mult, shift + 64) + p->output_offset, p->act_min, p->act_max);
                out += out_stride;
            }
        }
    }
}

static inline int32_t lo16(uint32_t x) { return (int16_t)(x & 0xFFFFu); }
static inline int32_t hi16(uint32_t x) { return (int16_t)(x >> 16); }
static inline uint32_t lanes_even(uint32_t w) { return tinyc_sxtb16(w); }
static inline uint32_t lanes_odd(uint32_t w) { return tinyc_sxtb16((w >> 8) | (w << 24)); }

void tinyc_dsp_depthwise3x3_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                               const int8_t *input, const int8_t *filter, int8_t *output)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t stride = p->stride_w, dm = p->depth_multiplier, pad_left = p->pad_left, out_stride = p->out_stride;
    const int32_t band = p->band;
    const int32_t row_bytes = in_w * in_c;
    const uint32_t *pairs = (const uint32_t *)(const void *)filter;
    const int8_t *corner = filter + 8 * out_c;
    /* Outputs [u0, u1) have their whole window inside the row. */
    int32_t u0 = (pad_left + stride - 1) / stride;
    int32_t u1 = in_w - 3 + pad_left < 0 ? 0 : (in_w - 3 + pad_left) / stride + 1;
    int32_t b, oy0, oy, oc;
    dw_row r;
    u0 = u0 > out_w ? out_w : u0;
    u1 = u1 > out_w ? out_w : (u1 < u0 ? u0 : u1);
    r.step = in_c;
    r.in_w = in_w;
    r.pad_left = pad_left;
    r.stride = stride;
    r.zp = p->input_zero_point;
    for (b = 0; b < p->batches; b++) {
        const int8_t *in_b = input + b * in_h * row_bytes;
        for (oy0 = 0; oy0 < out_h; oy0 += band) {
            const int32_t oy1 = oy0 + band < out_h ? oy0 + band : out_h;
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
                for (oy = oy0; oy < oy1; oy++) {
                    const int32_t iy = oy * p->stride_h - p->pad_top;
                    int8_t *out = output + (b * out_h + oy) * out_w * out_stride + oc;
                    r.k0 = e_a;
                    r.k1 = o_a;
                    r.k2 = e_b;
                    r.w20 = lo16(o_b);
                    r.w21 = hi16(o_b);
                    r.w22 = w22;
                    r.bias = bias;
                    if (iy >= 0 && iy + 2 < in_h) {
                        r.x0 = in_b + iy * row_bytes + ic;
                        r.rb = row_bytes;
                        r.rb2 = 2 * row_bytes;
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
                        r.x0 = in_b + y0 * row_bytes + ic;
                        r.rb = ((ok1 ? iy + 1 : any) - y0) * row_bytes;
                        r.rb2 = ((ok2 ? iy + 2 : any) - y0) * row_bytes;
                        r.k0 &= keep;
                        r.k1 &= keep;
                        r.k2 &= keep;
                        if (!ok2) r.w20 = r.w21 = r.w22 = 0;
                        r.bias += r.zp * outside;
                    }
                    row_outputs(p, &r, out_w, u0, u1, out, mult, shift, round, stride == 1 ? 1 : (stride == 2 ? 2 : 0));
                }
            }
        }
    }
}
