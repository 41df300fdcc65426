/*
 * tinyc DSP int8 convolution: im2col of two output pixels into int16 scratch,
 * then a 2x2 register-blocked matrix multiply with SMLAD (see tinyc_dsp.h for
 * the layouts). Bit-exact with TFLite's ConvPerChannel.
 */
#include "tinyc_dsp.h"

/*
 * The scratch of a pixel pair is uint32 words: per group of 4 taps, pixel A's
 * lanes (0, 2) and (1, 3), then pixel B's. Word and lane of tap k of pixel
 * `which` (0 or 1).
 */
#define TINYC_WORD(k, which) (((k) >> 2) * 4 + (which) * 2 + ((k) & 1))
#define TINYC_LANE(k) ((((k) >> 1) & 1) * 16)

static void put_lane(uint32_t *scratch, int32_t k, int32_t which, int32_t v)
{
    uint32_t *w = scratch + TINYC_WORD(k, which);
    const int32_t sh = TINYC_LANE(k);
    *w = (*w & ~(0xFFFFu << sh)) | (((uint32_t)v & 0xFFFFu) << sh);
}

/* Expands in_c int8 channels of one input pixel (in_c a multiple of 4) from tap k0 (a multiple of 4). */
static void expand_words(const int8_t *px, int32_t in_c, uint32_t *scratch, int32_t k0, int32_t which)
{
    uint32_t *dst = scratch + TINYC_WORD(k0, which);
    int32_t c;
    for (c = 0; c < in_c; c += 4) {
        const uint32_t x = tinyc_read4(px + c);
        dst[0] = tinyc_sxtb16(x);
        dst[1] = tinyc_sxtb16((x >> 8) | (x << 24));
        dst += 4;
    }
}

/* The window of output pixel `pix` into the scratch, as pixel `which` of the pair. */
static void expand_pixel(const tinyc_dsp_conv_params *p, const int8_t *input, int32_t pix, uint32_t *scratch, int32_t which)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, k_w = p->k_w;
    const int32_t ox = pix % p->out_w, oy = (pix / p->out_w) % p->out_h, b = pix / (p->out_w * p->out_h);
    const int8_t *in_b = input + b * in_h * in_w * in_c;
    const int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
    const int32_t zp = p->input_zero_point;
    const int32_t taps = p->k_h * k_w * in_c;
    int32_t ky, kx, c, k = 0;
    for (ky = 0; ky < p->k_h; ky++) {
        const int32_t iy = iy0 + ky * p->dil_h;
        for (kx = 0; kx < k_w; kx++, k += in_c) {
            const int32_t ix = ix0 + kx * p->dil_w;
            const int inside = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w;
            const int8_t *px = in_b + (iy * in_w + ix) * in_c;
            if (inside && (in_c & 3) == 0) {
                expand_words(px, in_c, scratch, k, which);
            } else {
                for (c = 0; c < in_c; c++) {
                    put_lane(scratch, k + c, which, inside ? px[c] : zp);
                }
            }
        }
    }
    /* Taps past the last (up to depth) multiply zero weights; give them a defined value. */
    for (k = taps; k < p->depth; k++) {
        put_lane(scratch, k, which, 0);
    }
}

static inline void store(int8_t *out, int32_t acc, const int32_t *bm, int32_t shift, const tinyc_dsp_conv_params *p)
{
    int32_t y = tinyc_dsp_requantize((int32_t)((uint32_t)acc + (uint32_t)bm[0]), bm[1], shift) + p->output_offset;
    y = y < p->act_min ? p->act_min : (y > p->act_max ? p->act_max : y);
    *out = (int8_t)y;
}

/* Two taps' groups of 4 (8 words of scratch, 4 words of filter) into the four accumulators. */
#define TINYC_MAC_GROUP(s, f)                                                   \
    do {                                                                        \
        const uint32_t w0 = (f)[0], w1 = (f)[1];                                \
        const uint32_t e0 = tinyc_even256(w0, mask), o0 = tinyc_odd256(w0, mask); \
        const uint32_t e1 = tinyc_even256(w1, mask), o1 = tinyc_odd256(w1, mask); \
        a0 = tinyc_smlad(e0, (s)[0], a0);                                       \
        a1 = tinyc_smlad(e1, (s)[0], a1);                                       \
        a0 = tinyc_smlad(o0, (s)[1], a0);                                       \
        a1 = tinyc_smlad(o1, (s)[1], a1);                                       \
        b0 = tinyc_smlad(e0, (s)[2], b0);                                       \
        b1 = tinyc_smlad(e1, (s)[2], b1);                                       \
        b0 = tinyc_smlad(o0, (s)[3], b0);                                       \
        b1 = tinyc_smlad(o1, (s)[3], b1);                                       \
    } while (0)

void tinyc_dsp_conv2d_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                         const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch)
{
    const int32_t pixels = p->batches * p->out_h * p->out_w;
    const int32_t pairs = (pixels + 1) / 2;
    const int32_t out_c = p->out_c, octets = p->depth >> 3, out_stride = p->out_stride;
    const int32_t *bias_mult = q->bias_mult;
    const int8_t *shift = q->shift;
    const uint32_t mask = q->high_bytes;
    int32_t i, oc, g;
    for (i = 0; i < pairs; i++) {
        const int32_t pair = p->reverse ? pairs - 1 - i : i;
        const int32_t pa = 2 * pair;
        const int32_t has_b = pa + 1 < pixels;
        const int32_t pb = has_b ? pa + 1 : pa;
        int8_t *out_a = output + pa * out_stride;
        int8_t *out_b = output + pb * out_stride;
        const uint32_t *f = filter;
        expand_pixel(p, input, pa, scratch, 0);
        expand_pixel(p, input, pb, scratch, 1);
        for (oc = 0; oc < out_c; oc += 2) {
            const uint32_t *s = scratch;
            int32_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
            for (g = octets; g > 0; g--) {
                TINYC_MAC_GROUP(s, f);
                TINYC_MAC_GROUP(s + 4, f + 2);
                f += 4;
                s += 8;
            }
            store(out_a + oc, a0 >> 8, bias_mult + 2 * oc, shift[oc], p);
            if (has_b) {
                store(out_b + oc, b0 >> 8, bias_mult + 2 * oc, shift[oc], p);
            }
            if (oc + 1 < out_c) {
                store(out_a + oc + 1, a1 >> 8, bias_mult + 2 * oc + 2, shift[oc + 1], p);
                if (has_b) {
                    store(out_b + oc + 1, b1 >> 8, bias_mult + 2 * oc + 2, shift[oc + 1], p);
                }
            }
        }
    }
}
