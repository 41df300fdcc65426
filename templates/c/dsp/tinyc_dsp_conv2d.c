/*
 * tinyc DSP int8 convolution: im2col of two output pixels into int16 scratch,
 * then a 2x2 register-blocked matrix multiply with SMLAD (see tinyc_dsp.h for
 * the layouts). Bit-exact with TFLite's ConvPerChannel.
 *
 * The filter's taps are laid out row by row of the window, each row padded
 * with zero weights to row_taps taps (a multiple of 4 unless in_c is one), so
 * that a window row inside the image is one contiguous run of input bytes
 * expanded a word at a time.
 */
#include "tinyc_dsp.h"

/*
 * The scratch of a pixel pair is uint32 words: per group of 4 taps, pixel A's
 * lanes (0, 2) and (1, 3), then pixel B's. Byte offset of tap k of pixel
 * `which` (0 or 1).
 */
#define TINYC_TAP_BYTE(k, which) ((((k) >> 2) * 4 + (which) * 2 + ((k) & 1)) * 4 + (((k) >> 1) & 1) * 2)

static inline void put_tap(uint32_t *scratch, int32_t k, int32_t which, int32_t v)
{
    const int16_t h = (int16_t)v;
    memcpy((char *)scratch + TINYC_TAP_BYTE(k, which), &h, 2);
}

/* Expands n input bytes to taps k0.. (k0 a multiple of 4): whole words, then the last 1 to 3 bytes one by one. */
static void expand_run(const int8_t *px, int32_t n, uint32_t *scratch, int32_t k0, int32_t which)
{
    uint32_t *dst = scratch + (k0 >> 2) * 4 + which * 2;
    int32_t c;
    for (c = 0; c + 4 <= n; c += 4) {
        const uint32_t x = tinyc_read4(px + c);
        dst[0] = tinyc_sxtb16(x);
        dst[1] = tinyc_sxtb16((x >> 8) | (x << 24));
        dst += 4;
    }
    for (; c < n; c++) {
        put_tap(scratch, k0 + c, which, px[c]);
    }
}

/* The window of output pixel (b, oy, ox) into the scratch, as pixel `which` of the pair. */
static void expand_pixel(const tinyc_dsp_conv_params *p, const int8_t *input, int32_t b, int32_t oy, int32_t ox,
                         uint32_t *scratch, int32_t which)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, k_w = p->k_w, dil_w = p->dil_w, row_taps = p->row_taps;
    const int8_t *in_b = input + b * in_h * in_w * in_c;
    const int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
    const int32_t zp = p->input_zero_point;
    const int32_t run = k_w * in_c;
    const int32_t whole = ix0 >= 0 && ix0 + (k_w - 1) * dil_w < in_w;
    int32_t ky, kx, c, k;
    for (ky = 0; ky < p->k_h; ky++) {
        const int32_t iy = iy0 + ky * p->dil_h;
        const int32_t k_row = ky * row_taps;
        const int8_t *row = in_b + (iy * in_w + ix0) * in_c;
        if (iy < 0 || iy >= in_h) {
            for (k = 0; k < run; k++) {
                put_tap(scratch, k_row + k, which, zp);
            }
        } else if (whole && dil_w == 1) {
            expand_run(row, run, scratch, k_row, which);
        } else {
            for (kx = 0; kx < k_w; kx++) {
                const int32_t ix = ix0 + kx * dil_w;
                const int32_t kk = k_row + kx * in_c;
                if (ix >= 0 && ix < in_w && (in_c & 3) == 0) {
                    expand_run(row + kx * dil_w * in_c, in_c, scratch, kk, which);
                } else {
                    for (c = 0; c < in_c; c++) {
                        put_tap(scratch, kk + c, which, ix >= 0 && ix < in_w ? row[kx * dil_w * in_c + c] : zp);
                    }
                }
            }
        }
        /* The row's padding taps (and those past the last row) multiply zero weights: any value will do, but a defined one. */
        for (k = k_row + run; k < k_row + row_taps; k++) {
            put_tap(scratch, k, which, 0);
        }
    }
}

/* The taps past the window (up to depth) are zero in both pixels; set once per call. */
static void clear_tail(const tinyc_dsp_conv_params *p, uint32_t *scratch)
{
    int32_t k;
    for (k = p->k_h * p->row_taps; k < p->depth; k++) {
        put_tap(scratch, k, 0, 0);
        put_tap(scratch, k, 1, 0);
    }
}

/* One group of 4 taps of both pixels (4 scratch words) times two channels (2 filter words). */
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

/* The general requantization and clamp of one output. */
TINYC_INLINE int8_t requantize_general(const tinyc_dsp_conv_params *p, int32_t acc, int32_t mult, int32_t shift)
{
    return (int8_t)tinyc_dsp_clamp(tinyc_dsp_requantize(acc, mult, shift) + p->output_offset, p->act_min, p->act_max);
}

/*
 * Every channel pair for one pixel pair (out_b may equal out_a: the same pixel
 * twice). `right` (a constant where inlined) selects the requantization.
 */
TINYC_INLINE void channel_pairs(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q, const uint32_t *filter,
                                const uint32_t *scratch, int8_t *out_a, int8_t *out_b, const int right)
{
    const int32_t out_c = p->out_c, octets = p->depth >> 3, output_offset = p->output_offset;
    const int32_t *bm = q->bias_mult;
    const int8_t *shift = q->shift;
    const uint32_t mask = q->high_bytes;
    const uint32_t *f = filter;
    int32_t oc, g;
    for (oc = 0; oc < out_c; oc += 2) {
        const uint32_t *s = scratch;
        int32_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
        for (g = octets; g > 0; g--) {
            TINYC_MAC_GROUP(s, f);
            TINYC_MAC_GROUP(s + 4, f + 2);
            f += 4;
            s += 8;
        }
        if (right) {
            /* The scaled sums are multiples of 256: >> 7 gives twice the sum; the bias is doubled in the table. */
            int32_t e = shift[oc], round = tinyc_dsp_round(e, output_offset);
            out_a[oc] = tinyc_dsp_requantize_right((int32_t)((uint32_t)(a0 >> 7) + (uint32_t)bm[0]), bm[1], round, e);
            out_b[oc] = tinyc_dsp_requantize_right((int32_t)((uint32_t)(b0 >> 7) + (uint32_t)bm[0]), bm[1], round, e);
            if (oc + 1 < out_c) {
                e = shift[oc + 1];
                round = tinyc_dsp_round(e, output_offset);
                out_a[oc + 1] = tinyc_dsp_requantize_right((int32_t)((uint32_t)(a1 >> 7) + (uint32_t)bm[2]), bm[3], round, e);
                out_b[oc + 1] = tinyc_dsp_requantize_right((int32_t)((uint32_t)(b1 >> 7) + (uint32_t)bm[2]), bm[3], round, e);
            }
        } else {
            out_a[oc] = requantize_general(p, (int32_t)((uint32_t)(a0 >> 8) + (uint32_t)bm[0]), bm[1], shift[oc]);
            out_b[oc] = requantize_general(p, (int32_t)((uint32_t)(b0 >> 8) + (uint32_t)bm[0]), bm[1], shift[oc]);
            if (oc + 1 < out_c) {
                out_a[oc + 1] = requantize_general(p, (int32_t)((uint32_t)(a1 >> 8) + (uint32_t)bm[2]), bm[3], shift[oc + 1]);
                out_b[oc + 1] = requantize_general(p, (int32_t)((uint32_t)(b1 >> 8) + (uint32_t)bm[2]), bm[3], shift[oc + 1]);
            }
        }
        bm += 4;
    }
}

void tinyc_dsp_conv2d_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                         const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch)
{
    const int32_t out_h = p->out_h, out_w = p->out_w;
    const int32_t pixels = p->batches * out_h * out_w;
    const int32_t pairs = (pixels + 1) / 2;
    const int32_t out_stride = p->out_stride;
    int32_t i;
    clear_tail(p, scratch);
    for (i = 0; i < pairs; i++) {
        const int32_t pair = p->reverse ? pairs - 1 - i : i;
        const int32_t pa = 2 * pair;
        /* An odd last pixel is computed twice, as both pixels of its pair, and written twice to the same bytes. */
        const int32_t pb = pa + 1 < pixels ? pa + 1 : pa;
        /* Pixel coordinates: one division per pixel. */
        const int32_t row_a = pa / out_w, ox_a = pa - row_a * out_w;
        const int32_t row_b = pb / out_w, ox_b = pb - row_b * out_w;
        expand_pixel(p, input, row_a / out_h, row_a % out_h, ox_a, scratch, 0);
        expand_pixel(p, input, row_b / out_h, row_b % out_h, ox_b, scratch, 1);
        if (p->right_shifts) {
            channel_pairs(p, q, filter, scratch, output + pa * out_stride, output + pb * out_stride, 1);
        } else {
            channel_pairs(p, q, filter, scratch, output + pa * out_stride, output + pb * out_stride, 0);
        }
    }
}
