/*
 * tinyc DSP int8 convolution: im2col of four output pixels into int16
 * scratch, then a matrix multiply with SMLAD, one output channel by four
 * pixels at a time (see tinyc_dsp.h for the layouts). Bit-exact with TFLite's
 * ConvPerChannel.
 *
 * The filter's taps are laid out row by row of the window, each row padded
 * with zero weights to row_taps taps (a multiple of 4 unless in_c is one), so
 * that a window row inside the image is one contiguous run of input bytes
 * expanded a word at a time.
 */
#include "tinyc_dsp.h"


/*
 * The scratch of a pixel quad is uint32 words: per group of 4 taps, for each
 * of the 4 pixels, its lanes (0, 2) and (1, 3). Byte offset of tap k of pixel
 * `which` (0 to 3).
 */
#define TINYC_TAP_BYTE(k, which) ((((k) >> 2) * 8 + (which) * 2 + ((k) & 1)) * 4 + (((k) >> 1) & 1) * 2)

static inline void put_tap(uint32_t *scratch, int32_t k, int32_t which, int32_t v)
{
    const int16_t h = (int16_t)v;
    memcpy((char *)scratch + TINYC_TAP_BYTE(k, which), &h, 2);
}

/* Expands n input bytes to taps k0.. (k0 a multiple of 4): whole words, then the last 1 to 3 bytes one by one. */
static void expand_run(const int8_t *px, int32_t n, uint32_t *scratch, int32_t k0, int32_t which)
{
    uint32_t *dst = scratch + (k0 >> 2) * 8 + which * 2;
    int32_t c;
    for (c = 0; c + 4 <= n; c += 4) {
        const uint32_t x = tinyc_read4(px + c);
        dst[0] = tinyc_sxtb16(x);
        dst[1] = tinyc_sxtb16((x >> 8) | (x << 24));
        dst += 8;
    }
    for (; c < n; c++) {
        put_tap(scratch, k0 + c, which, px[c]);
    }
}

/* The window of output pixel (b, oy, ox) into the scratch, as pixel `which` of the quad. */
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
    }
}

/* Taps that only pad (each row's beyond k_w * in_c, and those past the last row) multiply zero weights: zero them once. */
static void clear_padding(const tinyc_dsp_conv_params *p, uint32_t *scratch)
{
    const int32_t run = p->k_w * p->in_c, row_taps = p->row_taps;
    int32_t k, which;
    for (k = 0; k < p->depth; k++) {
        if (k / row_taps < p->k_h && k % row_taps < run) continue;
        for (which = 0; which < 4; which++) put_tap(scratch, k, which, 0);
    }
}

/* What every channel of a pixel quad shares. */
typedef struct {
    const uint32_t *scratch;
    int32_t octets;
    uint32_t mask;
    int32_t output_offset, act_min, act_max;
    int8_t *out[4];
} quad_job;

/*
 * The four sums of one output channel over the quad: each filter word's two
 * lane extractions (one AND each) serve all four pixels, so the loop needs
 * few registers. A function of its own, so that it gets them.
 */
#define TINYC_QUAD_SUMS(j, f)                                                   \
    const uint32_t *s = (j)->scratch, *end = (f) + 2 * (j)->octets;             \
    const uint32_t mask = (j)->mask;                                            \
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;                                     \
    while (f < end) {                                                           \
        const uint32_t w = *f++;                                                \
        const uint32_t e = tinyc_even256(w, mask), o = tinyc_odd256(w, mask);   \
        a0 = tinyc_smlad(o, s[1], tinyc_smlad(e, s[0], a0));                    \
        a1 = tinyc_smlad(o, s[3], tinyc_smlad(e, s[2], a1));                    \
        a2 = tinyc_smlad(o, s[5], tinyc_smlad(e, s[4], a2));                    \
        a3 = tinyc_smlad(o, s[7], tinyc_smlad(e, s[6], a3));                    \
        s += 8;                                                                 \
    }

static int32_t requantize_general(const quad_job *j, int32_t sum, int32_t bias, int32_t mult, int32_t shift)
{
    return tinyc_dsp_clamp(tinyc_dsp_requantize((int32_t)((uint32_t)(sum >> 8) + (uint32_t)bias), mult, shift) + j->output_offset,
                                   j->act_min, j->act_max);
}

/*
 * Every output channel of the quad, in one call. A right shift (code e >= 1):
 * the scaled sums >> 7 are twice the sums and the bias is doubled in the
 * table; else TFLite's requantization for shift code + 64 (see
 * tinyc_dsp_quant).
 */
static TINYC_NOINLINE void quad_channels(const quad_job *j, const uint32_t *filter, int32_t out_c, const int32_t *bm, const int8_t *codes)
{
    int8_t *o0 = j->out[0], *o1 = j->out[1], *o2 = j->out[2], *o3 = j->out[3];
    const int32_t words = 2 * j->octets;
    int32_t oc;
    for (oc = 0; oc < out_c; oc++, bm += 2) {
        const uint32_t *f = filter + oc * words;
        const int32_t code = codes[oc];
        TINYC_QUAD_SUMS(j, f)
        {
            const int32_t bias = bm[0], mult = bm[1];
            int32_t y0, y1, y2, y3;
            if (code > 0) {
                const int32_t round = tinyc_dsp_round(code), zp = j->output_offset;
                y0 = tinyc_dsp_requantize_right((int32_t)((uint32_t)(a0 >> 7) + (uint32_t)bias), mult, round, code, zp);
                y1 = tinyc_dsp_requantize_right((int32_t)((uint32_t)(a1 >> 7) + (uint32_t)bias), mult, round, code, zp);
                y2 = tinyc_dsp_requantize_right((int32_t)((uint32_t)(a2 >> 7) + (uint32_t)bias), mult, round, code, zp);
                y3 = tinyc_dsp_requantize_right((int32_t)((uint32_t)(a3 >> 7) + (uint32_t)bias), mult, round, code, zp);
            } else {
                y0 = requantize_general(j, a0, bias, mult, code + 64);
                y1 = requantize_general(j, a1, bias, mult, code + 64);
                y2 = requantize_general(j, a2, bias, mult, code + 64);
                y3 = requantize_general(j, a3, bias, mult, code + 64);
            }
            o0[oc] = (int8_t)y0;
            o1[oc] = (int8_t)y1;
            o2[oc] = (int8_t)y2;
            o3[oc] = (int8_t)y3;
        }
    }
}

void tinyc_dsp_conv2d_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                         const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch)
{
    const int32_t out_h = p->out_h, out_w = p->out_w;
    const int32_t pixels = p->batches * out_h * out_w;
    const int32_t quads = (pixels + 3) / 4;
    const int32_t out_stride = p->out_stride;
    int32_t i, j;
    clear_padding(p, scratch);
    for (i = 0; i < quads; i++) {
        const int32_t quad = p->reverse ? quads - 1 - i : i;
        quad_job job;
        job.scratch = scratch;
        job.octets = p->depth >> 3;
        job.mask = q->high_bytes;
        job.output_offset = p->output_offset;
        job.act_min = p->act_min;
        job.act_max = p->act_max;
        for (j = 0; j < 4; j++) {
            /* Past the last pixel, the last pixel again: computed twice, written twice to the same bytes. */
            const int32_t pix = 4 * quad + j < pixels ? 4 * quad + j : pixels - 1;
            const int32_t row = pix / out_w, ox = pix - row * out_w;
            expand_pixel(p, input, row / out_h, row % out_h, ox, scratch, j);
            job.out[j] = output + pix * out_stride;
        }
        quad_channels(&job, filter, p->out_c, q->bias_mult, q->shift);
    }
}
