/*
 * tinyc DSP int8 depthwise convolution, 3x3 window, dilation 1, any stride
 * and depth multiplier. For each output row and each output channel the row's
 * outputs are computed left to right; the window's columns slide through
 * registers, each column one SMLAD over rows 0 and 1 plus one 16-bit multiply
 * for row 2. Padding: columns outside the image take the input zero point
 * (which the folded bias cancels exactly); for rows outside it, the row's
 * weights are zeroed and the zero point times their sum is added instead.
 * Bit-exact with TFLite's DepthwiseConvPerChannel.
 */
#include "tinyc_dsp.h"

/* One column of the window: rows 0 and 1 as 16-bit lanes, row 2 alone. */
typedef struct {
    uint32_t pair;
    int32_t low;
} column;

static inline column load_column(const int8_t *r0, const int8_t *r1, const int8_t *r2, int32_t cx, int32_t in_w, int32_t step, int32_t zp)
{
    column c;
    if ((uint32_t)cx < (uint32_t)in_w) {
        const int32_t off = cx * step;
        c.pair = ((uint32_t)(int32_t)r0[off] & 0xFFFFu) | ((uint32_t)(int32_t)r1[off] << 16);
        c.low = r2[off];
    } else {
        c.pair = ((uint32_t)zp & 0xFFFFu) | ((uint32_t)zp << 16);
        c.low = zp;
    }
    return c;
}

/* Lanes (bytes 0, 2) and (bytes 1, 3) of a filter word, sign-extended. */
static inline uint32_t lanes_even(uint32_t w) { return tinyc_sxtb16(w); }
static inline uint32_t lanes_odd(uint32_t w) { return tinyc_sxtb16((w >> 8) | (w << 24)); }
static inline int32_t lane_lo(uint32_t x) { return (int16_t)(x & 0xFFFFu); }
static inline int32_t lane_hi(uint32_t x) { return (int16_t)(x >> 16); }

void tinyc_dsp_depthwise3x3_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                               const int8_t *input, const int8_t *filter, int8_t *output)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t stride_w = p->stride_w, dm = p->depth_multiplier, out_stride = p->out_stride;
    const int32_t zp = p->input_zero_point, output_offset = p->output_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t row_bytes = in_w * in_c;
    const uint32_t *pairs = (const uint32_t *)(const void *)filter;
    const int8_t *corner = filter + 8 * out_c;
    int32_t b, oy, oc, ox;
    for (b = 0; b < p->batches; b++) {
        const int8_t *in_b = input + b * in_h * row_bytes;
        for (oy = 0; oy < out_h; oy++) {
            const int32_t iy = oy * p->stride_h - p->pad_top;
            const int32_t ok0 = iy >= 0 && iy < in_h, ok1 = iy + 1 >= 0 && iy + 1 < in_h, ok2 = iy + 2 >= 0 && iy + 2 < in_h;
            /* Rows outside the image read a row inside it (their weights are zero). */
            const int32_t any = ok1 ? iy + 1 : (ok0 ? iy : iy + 2);
            const int8_t *row0 = in_b + (ok0 ? iy : any) * row_bytes;
            const int8_t *row1 = in_b + (ok1 ? iy + 1 : any) * row_bytes;
            const int8_t *row2 = in_b + (ok2 ? iy + 2 : any) * row_bytes;
            const uint32_t keep01 = (ok0 ? 0xFFFFu : 0u) | (ok1 ? 0xFFFF0000u : 0u);
            int8_t *out_row = output + ((b * out_h + oy) * out_w) * out_stride;
            for (oc = 0; oc < out_c; oc++) {
                const int32_t ic = oc / dm;
                const uint32_t wa = pairs[2 * oc], wb = pairs[2 * oc + 1];
                /* (w00, w10), (w01, w11), (w02, w12): rows 0 and 1 of each column; (w20, w21) and w22: row 2. */
                const uint32_t k0 = lanes_even(wa) & keep01, k1 = lanes_odd(wa) & keep01, k2 = lanes_even(wb) & keep01;
                const uint32_t r2 = ok2 ? lanes_odd(wb) : 0u;
                const int32_t w20 = lane_lo(r2), w21 = lane_hi(r2), w22 = ok2 ? corner[oc] : 0;
                const int32_t *bm = q->bias_mult + 2 * oc;
                const int32_t mult = bm[1], shift = q->shift[oc];
                int32_t bias = bm[0];
                const int8_t *c0 = row0 + ic, *c1 = row1 + ic, *c2 = row2 + ic;
                int8_t *out = out_row + oc;
                int32_t cx = -p->pad_left;
                column a, m, z;
                /* Rows outside the image: their taps stand for the zero point, which the folded bias expects. */
                if (!ok0) bias += zp * (lane_lo(lanes_even(wa)) + lane_lo(lanes_odd(wa)) + lane_lo(lanes_even(wb)));
                if (!ok1) bias += zp * (lane_hi(lanes_even(wa)) + lane_hi(lanes_odd(wa)) + lane_hi(lanes_even(wb)));
                if (!ok2) bias += zp * (lane_lo(lanes_odd(wb)) + lane_hi(lanes_odd(wb)) + corner[oc]);
                a = load_column(c0, c1, c2, cx, in_w, in_c, zp);
                m = load_column(c0, c1, c2, cx + 1, in_w, in_c, zp);
                z = load_column(c0, c1, c2, cx + 2, in_w, in_c, zp);
                for (ox = 0; ox < out_w; ox++) {
                    int32_t acc, y;
                    if (ox > 0) {
                        cx += stride_w;
                        if (stride_w == 1) {
                            a = m;
                            m = z;
                        } else if (stride_w == 2) {
                            a = z;
                            m = load_column(c0, c1, c2, cx + 1, in_w, in_c, zp);
                        } else {
                            a = load_column(c0, c1, c2, cx, in_w, in_c, zp);
                            m = load_column(c0, c1, c2, cx + 1, in_w, in_c, zp);
                        }
                        z = load_column(c0, c1, c2, cx + 2, in_w, in_c, zp);
                    }
                    acc = tinyc_smlad(a.pair, k0, bias);
                    acc = tinyc_smlad(m.pair, k1, acc);
                    acc = tinyc_smlad(z.pair, k2, acc);
                    acc += a.low * w20 + m.low * w21 + z.low * w22;
                    y = tinyc_dsp_requantize(acc, mult, shift) + output_offset;
                    y = y < act_min ? act_min : (y > act_max ? act_max : y);
                    *out = (int8_t)y;
                    out += out_stride;
                }
            }
        }
    }
}
