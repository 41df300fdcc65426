/*
 * tinyc DSP int8 depthwise convolution, 3x3 window, dilation 1, any stride
 * and depth multiplier. For each output row and each output channel, the
 * row's outputs are computed left to right in chunks: the accumulators of the
 * chunk first (rows 0 and 1 of the window as one SMLAD per column, sliding
 * the columns through registers; then row 2), then their requantization.
 * Outputs whose window crosses the left or right edge are summed tap by tap.
 * Padding: columns outside the image take the input zero point (which the
 * folded bias cancels exactly); for rows outside it, the row's weights are
 * zeroed and the zero point times their sum is added to the bias instead.
 * Bit-exact with TFLite's DepthwiseConvPerChannel.
 */
#include "tinyc_dsp.h"

#define TINYC_DW_CHUNK 32

/* One channel along one output row. */
typedef struct {
    const int8_t *r0, *r1, *r2;  /* the window's rows, at the channel */
    int32_t in_w, step, zp, stride, pad_left;
    uint32_t k0, k1, k2;         /* rows 0 and 1 of columns 0, 1, 2 as lanes */
    int32_t w20, w21, w22;       /* row 2 */
    int32_t bias;
} channel_row;

/* Rows 0 and 1 of input column cx as lanes. */
TINYC_INLINE uint32_t pair_at(const int8_t *r0, const int8_t *r1, int32_t off)
{
    return ((uint32_t)(int32_t)r0[off] & 0xFFFFu) | ((uint32_t)(int32_t)r1[off] << 16);
}

/* Rows 0 and 1 of outputs [from, to) (whole windows inside the row) into acc[0..]. */
TINYC_INLINE void rows01(const channel_row *c, int32_t *acc, int32_t from, int32_t to, const int stride)
{
    const int8_t *r0 = c->r0, *r1 = c->r1;
    const int32_t step = c->step, k0 = (int32_t)c->k0, k1 = (int32_t)c->k1, k2 = (int32_t)c->k2, bias = c->bias;
    int32_t off = (from * c->stride - c->pad_left) * step;
    uint32_t a = pair_at(r0, r1, off), m = pair_at(r0, r1, off + step);
    int32_t n = to - from;
    if (stride == 1) {
        off += 2 * step;
        for (; n > 0; n--) {
            const uint32_t z = pair_at(r0, r1, off);
            *acc++ = tinyc_smlad(z, (uint32_t)k2, tinyc_smlad(m, (uint32_t)k1, tinyc_smlad(a, (uint32_t)k0, bias)));
            a = m;
            m = z;
            off += step;
        }
    } else if (stride == 2) {
        for (; n > 0; n--) {
            const uint32_t z = pair_at(r0, r1, off + 2 * step);
            *acc++ = tinyc_smlad(z, (uint32_t)k2, tinyc_smlad(m, (uint32_t)k1, tinyc_smlad(a, (uint32_t)k0, bias)));
            off += 2 * step;
            a = z;
            m = pair_at(r0, r1, off + step);
        }
    } else {
        const int32_t hop = c->stride * step;
        for (; n > 0; n--) {
            const uint32_t z = pair_at(r0, r1, off + 2 * step);
            *acc++ = tinyc_smlad(z, (uint32_t)k2, tinyc_smlad(m, (uint32_t)k1, tinyc_smlad(a, (uint32_t)k0, bias)));
            off += hop;
            a = pair_at(r0, r1, off);
            m = pair_at(r0, r1, off + step);
        }
    }
}

/* Row 2 of outputs [from, to) added to acc[0..]. */
TINYC_INLINE void row2(const channel_row *c, int32_t *acc, int32_t from, int32_t to, const int stride)
{
    const int8_t *r2 = c->r2;
    const int32_t step = c->step, w20 = c->w20, w21 = c->w21, w22 = c->w22;
    int32_t off = (from * c->stride - c->pad_left) * step;
    int32_t a = r2[off], m = r2[off + step];
    int32_t n = to - from;
    if (stride == 1) {
        off += 2 * step;
        for (; n > 0; n--) {
            const int32_t z = r2[off];
            *acc += a * w20 + m * w21 + z * w22;
            acc++;
            a = m;
            m = z;
            off += step;
        }
    } else {
        const int32_t hop = c->stride * step;
        for (; n > 0; n--) {
            *acc += a * w20 + m * w21 + r2[off + 2 * step] * w22;
            acc++;
            off += hop;
            a = r2[off];
            m = r2[off + step];
        }
    }
}

/* The accumulator of output ox, tap by tap, for windows crossing the left or right edge. */
static int32_t edge_acc(const channel_row *c, int32_t ox)
{
    const int32_t cx0 = ox * c->stride - c->pad_left;
    const int32_t w0[3] = {(int16_t)(c->k0 & 0xFFFFu), (int16_t)(c->k1 & 0xFFFFu), (int16_t)(c->k2 & 0xFFFFu)};
    const int32_t w1[3] = {(int16_t)(c->k0 >> 16), (int16_t)(c->k1 >> 16), (int16_t)(c->k2 >> 16)};
    const int32_t w2[3] = {c->w20, c->w21, c->w22};
    int32_t acc = c->bias, kx;
    for (kx = 0; kx < 3; kx++) {
        const int32_t cx = cx0 + kx;
        const int inside = cx >= 0 && cx < c->in_w;
        const int32_t off = cx * c->step;
        acc += (inside ? c->r0[off] : c->zp) * w0[kx] + (inside ? c->r1[off] : c->zp) * w1[kx] + (inside ? c->r2[off] : c->zp) * w2[kx];
    }
    return acc;
}

/* Requantizes n accumulators to outputs out_stride apart. */
static void requantize_chunk(const tinyc_dsp_conv_params *p, const int32_t *acc, int32_t n, int8_t *out,
                             int32_t mult, int32_t shift)
{
    const int32_t out_stride = p->out_stride;
    if (p->right_shifts) {
        const int32_t round = tinyc_dsp_round(shift, p->output_offset);
        for (; n > 0; n--) {
            *out = tinyc_dsp_requantize_right((int32_t)((uint32_t)*acc++ << 1), mult, round, shift);
            out += out_stride;
        }
    } else {
        for (; n > 0; n--) {
            *out = (int8_t)tinyc_dsp_clamp(tinyc_dsp_requantize(*acc++, mult, shift) + p->output_offset, p->act_min, p->act_max);
            out += out_stride;
        }
    }
}

static inline int32_t lo16(uint32_t x) { return (int16_t)(x & 0xFFFFu); }
static inline int32_t hi16(uint32_t x) { return (int16_t)(x >> 16); }
static inline uint32_t lanes_even(uint32_t w) { return tinyc_sxtb16(w); }
static inline uint32_t lanes_odd(uint32_t w) { return tinyc_sxtb16((w >> 8) | (w << 24)); }

/* The outputs [from, to) of one channel's row, at most TINYC_DW_CHUNK of them. */
static void chunk(const tinyc_dsp_conv_params *p, const channel_row *c, int32_t from, int32_t to, int32_t lo, int32_t hi,
                  int8_t *out, int32_t mult, int32_t shift)
{
    int32_t acc[TINYC_DW_CHUNK];
    const int32_t a = from > lo ? from : lo, b = to < hi ? to : hi;
    int32_t ox;
    for (ox = from; ox < to && ox < a; ox++) acc[ox - from] = edge_acc(c, ox);
    if (a < b) {
        if (c->stride == 1) {
            rows01(c, acc + (a - from), a, b, 1);
            row2(c, acc + (a - from), a, b, 1);
        } else if (c->stride == 2) {
            rows01(c, acc + (a - from), a, b, 2);
            row2(c, acc + (a - from), a, b, 2);
        } else {
            rows01(c, acc + (a - from), a, b, 0);
            row2(c, acc + (a - from), a, b, 0);
        }
    }
    for (ox = a > b ? a : b; ox < to; ox++) acc[ox - from] = edge_acc(c, ox);
    requantize_chunk(p, acc, to - from, out + from * p->out_stride, mult, shift);
}

void tinyc_dsp_depthwise3x3_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                               const int8_t *input, const int8_t *filter, int8_t *output)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t stride_w = p->stride_w, dm = p->depth_multiplier;
    const int32_t row_bytes = in_w * in_c;
    const uint32_t *pairs = (const uint32_t *)(const void *)filter;
    const int8_t *corner = filter + 8 * out_c;
    /* Outputs [lo, hi) have their whole window inside the row. */
    int32_t lo = (p->pad_left + stride_w - 1) / stride_w;
    int32_t hi = in_w - 3 + p->pad_left < 0 ? 0 : (in_w - 3 + p->pad_left) / stride_w + 1;
    int32_t b, oy, oc, from;
    channel_row c;
    lo = lo > out_w ? out_w : lo;
    hi = hi > out_w ? out_w : hi;
    hi = hi < lo ? lo : hi;
    c.in_w = in_w;
    c.step = in_c;
    c.zp = p->input_zero_point;
    c.stride = stride_w;
    c.pad_left = p->pad_left;
    for (b = 0; b < p->batches; b++) {
        const int8_t *in_b = input + b * in_h * row_bytes;
        for (oy = 0; oy < out_h; oy++) {
            const int32_t iy = oy * p->stride_h - p->pad_top;
            const int32_t ok0 = iy >= 0 && iy < in_h, ok1 = iy + 1 >= 0 && iy + 1 < in_h, ok2 = iy + 2 >= 0 && iy + 2 < in_h;
            /* Rows outside the image read a row inside it (their weights are zero). */
            const int32_t any = ok1 ? iy + 1 : (ok0 ? iy : iy + 2);
            const int8_t *row0 = in_b + (ok0 ? iy : any) * row_bytes;
            const int8_t *row1 = in_b + (ok1 ? iy + 1 : any) * row_bytes;
            const int8_t *row2p = in_b + (ok2 ? iy + 2 : any) * row_bytes;
            const uint32_t keep01 = (ok0 ? 0xFFFFu : 0u) | (ok1 ? 0xFFFF0000u : 0u);
            int8_t *out_row = output + ((b * out_h + oy) * out_w) * p->out_stride;
            for (oc = 0; oc < out_c; oc++) {
                const int32_t ic = oc / dm;
                const uint32_t wa = pairs[2 * oc], wb = pairs[2 * oc + 1];
                /* (w00, w10), (w01, w11), (w02, w12): rows 0 and 1 of each column; (w20, w21) and w22: row 2. */
                const uint32_t e_a = lanes_even(wa), o_a = lanes_odd(wa), e_b = lanes_even(wb), o_b = lanes_odd(wb);
                const int32_t w22 = corner[oc];
                const int32_t mult = q->bias_mult[2 * oc + 1], shift = q->shift[oc];
                /* Taps of rows outside the image stand for the zero point, which the folded bias expects. */
                int32_t outside = 0;
                if (!ok0) outside += lo16(e_a) + lo16(o_a) + lo16(e_b);
                if (!ok1) outside += hi16(e_a) + hi16(o_a) + hi16(e_b);
                if (!ok2) outside += lo16(o_b) + hi16(o_b) + w22;
                c.r0 = row0 + ic;
                c.r1 = row1 + ic;
                c.r2 = row2p + ic;
                c.k0 = e_a & keep01;
                c.k1 = o_a & keep01;
                c.k2 = e_b & keep01;
                c.w20 = ok2 ? lo16(o_b) : 0;
                c.w21 = ok2 ? hi16(o_b) : 0;
                c.w22 = ok2 ? w22 : 0;
                /* With right shifts the table's bias is doubled (for the matrix kernel); the accumulator doubles instead. */
                c.bias = (p->right_shifts ? q->bias_mult[2 * oc] >> 1 : q->bias_mult[2 * oc]) + c.zp * outside;
                for (from = 0; from < out_w; from += TINYC_DW_CHUNK) {
                    const int32_t to = from + TINYC_DW_CHUNK < out_w ? from + TINYC_DW_CHUNK : out_w;
                    chunk(p, &c, from, to, lo, hi, out_row + oc, mult, shift);
                }
            }
        }
    }
}
