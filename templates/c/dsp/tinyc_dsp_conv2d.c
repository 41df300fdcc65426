/*
 * tinyc DSP int8 convolution: im2col of a block of output pixels (eight,
 * four or one) into int16 scratch, then a matrix multiply with SMLAD, two
 * output channels by four pixels (a sub-block) at a time: every filter word
 * read meets four pixels and every scratch word two channels (see
 * tinyc_dsp.h for the layouts). Bit-exact with TFLite's ConvPerChannel.
 *
 * The filter's taps are laid out row by row of the window, each row padded
 * with zero weights to row_taps taps (a multiple of 4), so that a window row
 * inside the image is one contiguous run of input bytes expanded a word at a
 * time.
 *
 * Lanes: an input word of taps (0, 1, 2, 3) is expanded to the scratch words
 * (0, 2) and (1, 3), each tap as int16. The filter holds the channels of a
 * pair interleaved, per group of four taps the words (c0 t0, c1 t0, c0 t2,
 * c1 t2) and (c0 t1, c1 t1, c0 t3, c1 t3): one SXTB16 gives channel 0's
 * lanes, one AND with 0xFF00FF00 channel 1's times 256. Channel 0 sums its
 * products, channel 1 256 times its products (the compiler checks that these
 * sums fit in 32 bits); both are turned into twice the sum before the
 * requantization.
 */
#include "tinyc_dsp.h"

/*
 * The scratch of a sub-block of w pixels (4, or 1 in blocks of one) is, per
 * group of 4 taps, the words (0, 2) of its pixels, then their words (1, 3).
 * A pixel's `slot` is the scratch at its first word; its tap k lies in word
 * (k / 4) * 2w + (k & 1) w, half (k >> 1) & 1.
 */
static inline void put_tap(uint32_t *slot, int32_t k, int32_t w, int32_t v)
{
    const int16_t h = (int16_t)v;
    memcpy((char *)(slot + (k >> 2) * 2 * w + (k & 1) * w) + ((k >> 1) & 1) * 2, &h, 2);
}

/*
 * Expands n input bytes to taps k0.. (k0 a multiple of 4): whole words, then
 * the last 1 to 3 bytes, as a word too when it stays inside the input (`end`:
 * its end; the taps past the n multiply zero weights), else one by one.
 */
static void expand_run(const int8_t *px, int32_t n, uint32_t *slot, int32_t k0, int32_t w, const int8_t *end)
{
    uint32_t *dst = slot + (k0 >> 2) * 2 * w;
    int32_t c;
    for (c = 0; c + 4 <= n; c += 4, dst += 2 * w) tinyc_dsp_put_word(dst, tinyc_read4(px + c), w);
    if (c < n && end - (px + c) >= 4) {
        tinyc_dsp_put_word(dst, tinyc_read4(px + c), w);
        return;
    }
    for (; c < n; c++) put_tap(slot, k0 + c, w, px[c]);
}

/* What the expansion of every window of a layer shares, computed once per call. */
typedef struct {
    const int8_t *input, *end;
    int32_t in_h, in_w, in_c, k_h, k_w, dil_h, dil_w, stride_h, stride_w, pad_top, pad_left;
    int32_t row_taps, run, zp;
    int32_t ring;      /* rows of the input's ring (row streaming), or 0: whole */
    int32_t row_bytes; /* bytes of one input row */
    int32_t span_h, span_w; /* (k - 1) * dilation */
    int32_t point;     /* 1x1 without padding over a multiple of 4 channels: one run of in_c bytes */
} window_expander;

static void window_expander_init(window_expander *x, const tinyc_dsp_conv_params *p, const int8_t *input)
{
    x->input = input;
    x->ring = p->in_ring;
    x->row_bytes = p->in_w * p->in_c;
    x->end = input + (p->in_ring > 0 ? p->in_ring : p->batches * p->in_h) * p->in_w * p->in_c;
    x->in_h = p->in_h, x->in_w = p->in_w, x->in_c = p->in_c, x->k_h = p->k_h, x->k_w = p->k_w;
    x->dil_h = p->dil_h, x->dil_w = p->dil_w, x->stride_h = p->stride_h, x->stride_w = p->stride_w;
    x->pad_top = p->pad_top, x->pad_left = p->pad_left;
    x->row_taps = p->row_taps, x->run = p->k_w * p->in_c, x->zp = p->input_zero_point;
    x->span_h = (p->k_h - 1) * p->dil_h, x->span_w = (p->k_w - 1) * p->dil_w;
    x->point = p->k_h == 1 && p->k_w == 1 && p->pad_top == 0 && p->pad_left == 0 && (p->in_c & 3) == 0;
}

/* One window row from input row `row` (NULL: outside the image, every tap the zero point), its first column ix0, as taps k0.. */
static void expand_row(const window_expander *x, const int8_t *row, int32_t ix0, int32_t k0, uint32_t *slot, int32_t w)
{
    const int32_t in_c = x->in_c;
    int32_t kx, c;
    if (row == NULL) {
        for (c = 0; c < x->run; c++) put_tap(slot, k0 + c, w, x->zp);
    } else if (ix0 >= 0 && ix0 + x->span_w < x->in_w && x->dil_w == 1) {
        expand_run(row + ix0 * in_c, x->run, slot, k0, w, x->end);
    } else {
        for (kx = 0; kx < x->k_w; kx++) {
            const int32_t ix = ix0 + kx * x->dil_w, k = k0 + kx * in_c;
            if (ix >= 0 && ix < x->in_w && (in_c & 3) == 0) {
                expand_run(row + ix * in_c, in_c, slot, k, w, x->end);
            } else {
                for (c = 0; c < in_c; c++) put_tap(slot, k + c, w, ix >= 0 && ix < x->in_w ? row[ix * in_c + c] : x->zp);
            }
        }
    }
}

/*
 * A window wholly inside the image (dilation 1 across): each row's run read
 * a word at a time, the last word whole (its extra taps multiply zero
 * weights), rows `step` bytes apart from `row` (whole input) or where the
 * ring keeps them (row iy0 first). 0 when a word would pass the input's end
 * (then nothing is written).
 */
static TINYC_NOINLINE int expand_inside(const window_expander *x, int32_t b, int32_t iy0, int32_t ix0, uint32_t *slot, int32_t w)
{
    const int32_t words = (x->run + 3) >> 2, step = x->dil_h * x->row_bytes;
    int32_t ky, i;
    if (x->ring == 0) {
        const int8_t *row = x->input + (b * x->in_h + iy0) * x->row_bytes + ix0 * x->in_c;
        if (x->end - row < (x->k_h - 1) * step + 4 * words) return 0;
        for (ky = 0; ky < x->k_h; ky++, row += step) {
            for (i = 0; i < words; i++, slot += 2 * w) tinyc_dsp_put_word(slot, tinyc_read4(row + 4 * i), w);
        }
        return 1;
    }
    {
        /* The ring's slot of each window row: one division for the first (the ring holds the window's rows, so one wrap at most). */
        const int32_t first = iy0 % x->ring;
        int32_t at;
        for (ky = 0, at = first; ky < x->k_h; ky++, at += x->dil_h) {
            if (x->end - (x->input + (at < x->ring ? at : at - x->ring) * x->row_bytes + ix0 * x->in_c) < 4 * words) return 0;
        }
        for (ky = 0, at = first; ky < x->k_h; ky++, at += x->dil_h) {
            const int8_t *row = x->input + (at < x->ring ? at : at - x->ring) * x->row_bytes + ix0 * x->in_c;
            for (i = 0; i < words; i++, slot += 2 * w) tinyc_dsp_put_word(slot, tinyc_read4(row + 4 * i), w);
        }
    }
    return 1;
}

/*
 * The window of output pixel (b, oy, ox) into the scratch at `slot` (a
 * sub-block of w pixels); `point_row`: for a 1x1 layer without padding, the
 * input row it reads (its caller finds it once per output row).
 */
static void expand_pixel(const window_expander *x, int32_t b, int32_t oy, int32_t ox, const int8_t *point_row, uint32_t *slot, int32_t w)
{
    const int32_t iy0 = oy * x->stride_h - x->pad_top, ix0 = ox * x->stride_w - x->pad_left;
    int32_t ky;
    if (x->point) {
        const int8_t *px = point_row + ix0 * x->in_c;
        uint32_t *dst = slot;
        int32_t c;
        for (c = 0; c < x->in_c; c += 4, dst += 2 * w) tinyc_dsp_put_word(dst, tinyc_read4(px + c), w);
        return;
    }
    if (iy0 >= 0 && iy0 + x->span_h < x->in_h && ix0 >= 0 && ix0 + x->span_w < x->in_w && x->dil_w == 1 && expand_inside(x, b, iy0, ix0, slot, w)) return;
    for (ky = 0; ky < x->k_h; ky++) {
        const int32_t iy = iy0 + ky * x->dil_h;
        const int8_t *row = iy < 0 || iy >= x->in_h ? NULL : x->input + tinyc_dsp_row_at(x->ring, b, x->in_h, iy, x->row_bytes);
        expand_row(x, row, ix0, ky * x->row_taps, slot, w);
    }
}

/* What every channel of a block shares. */
typedef struct {
    const uint32_t *scratch; /* the sub-block's words */
    const uint32_t *filter;
    const int32_t *bias_mult;
    const int8_t *codes;
    const int16_t *order;   /* tinyc_dsp_quant.order */
    int32_t groups, pairs, constants;
    int32_t output_offset, act_min, act_max;
    int32_t rounding_base;   /* 2 output_offset + 1 */
    int8_t *out[TINYC_SUB];  /* each pixel's output */
} block_job;

/* The sums of a channel pair over a sub-block: channel 0's (a), channel 1's 256 times (b). */
typedef struct {
    int32_t a0, a1, a2, a3, b0, b1, b2, b3;
} pair_sums;

/*
 * One group of four taps of a channel pair (filter words f[0], f[1]) by four
 * pixels (scratch words s[0..7]): each filter word's lanes, then the scratch
 * words two at a time (one LDRD), so that the sums, the lanes, two scratch
 * words and the two pointers fill the registers. `first`: the sums start
 * here (SMUAD).
 */
#define TINYC_MAC(acc, a, b, first) acc = (first) ? tinyc_smuad((a), (b)) : tinyc_smlad((a), (b), acc)
TINYC_INLINE void half4(pair_sums *t, uint32_t v, const uint32_t *s, const int first)
{
    const uint32_t w0 = tinyc_sxtb16(v), w1 = v & 0xFF00FF00u;
    uint32_t x0 = s[0], x1 = s[1];
    TINYC_MAC(t->a0, w0, x0, first), TINYC_MAC(t->b0, w1, x0, first);
    TINYC_MAC(t->a1, w0, x1, first), TINYC_MAC(t->b1, w1, x1, first);
    x0 = s[2], x1 = s[3];
    TINYC_MAC(t->a2, w0, x0, first), TINYC_MAC(t->b2, w1, x0, first);
    TINYC_MAC(t->a3, w0, x1, first), TINYC_MAC(t->b3, w1, x1, first);
}

TINYC_INLINE void group4(pair_sums *t, const uint32_t *f, const uint32_t *s, const int first)
{
    half4(t, f[0], s, first);
    half4(t, f[1], s + 4, 0);
}

/* The same by one pixel (scratch words s[0], s[1]); its sums in a0 and b0. */
TINYC_INLINE void group1(pair_sums *t, const uint32_t *f, const uint32_t *s, const int first)
{
    const uint32_t a = f[0], b = f[1], x0 = s[0], x1 = s[1];
    TINYC_MAC(t->a0, tinyc_sxtb16(a), x0, first), TINYC_MAC(t->b0, a & 0xFF00FF00u, x0, first);
    t->a0 = tinyc_smlad(tinyc_sxtb16(b), x1, t->a0), t->b0 = tinyc_smlad(b & 0xFF00FF00u, x1, t->b0);
}

/*
 * A channel pair's sums over `groups` (even) groups of taps (filter from f,
 * scratch from s), by `w` pixels: four groups a step (two first when their
 * number is not a multiple of 4); blocks of one pixel (a layer's last, or
 * large windows over few channels) two a step, in less code.
 */
TINYC_INLINE pair_sums pair_multiply(const uint32_t *f, const uint32_t *s, int32_t groups, const int w)
{
    pair_sums t = {0, 0, 0, 0, 0, 0, 0, 0};
    const uint32_t *end = f + 2 * groups;
    if (w == 1) {
        for (; f != end; f += 4, s += 4) {
            group1(&t, f, s, 0);
            group1(&t, f + 2, s + 2, 0);
        }
        return t;
    }
    if (groups & 2) {
        group4(&t, f, s, 0);
        group4(&t, f + 2, s + 8, 0);
        f += 4, s += 16;
    }
    for (; f != end; f += 8, s += 32) {
        group4(&t, f, s, 0);
        group4(&t, f + 2, s + 8, 0);
        group4(&t, f + 4, s + 16, 0);
        group4(&t, f + 6, s + 24, 0);
    }
    return t;
}

/* TFLite's requantization and clamp of a channel's sum for shift code + 64 (see tinyc_dsp_quant). */
static int32_t requantize_general(const block_job *j, int32_t sum, int32_t bias, int32_t mult, int32_t shift)
{
    return tinyc_dsp_clamp(tinyc_dsp_requantize((int32_t)((uint32_t)sum + (uint32_t)bias), mult, shift) + j->output_offset, j->act_min, j->act_max);
}

/*
 * The output of channel oc from twice its sum `x2` (bias not yet added):
 * `fast` 1 when every channel folds and the clamp is SSAT's, 2 when every
 * channel folds and the clamp is narrower, 0 otherwise (by the channel's
 * code: a right shift through tinyc_dsp_requantize_right, the output offset
 * folded when the shift is at most TINYC_DSP_FOLD_MAX, or TFLite's
 * requantization).
 */
TINYC_INLINE int32_t channel_output(const block_job *j, int32_t x2, int32_t bias, int32_t mult, int32_t code, int32_t c, const int fast)
{
    const int32_t x = (int32_t)((uint32_t)x2 + (uint32_t)bias);
    if (fast == 1) return tinyc_dsp_requantize_right(x, mult, c, code, 0);
    if (fast == 2) return tinyc_dsp_clamp(tinyc_dsp_requantize_right_wide(x, mult, c, code, 0), j->act_min, j->act_max);
    if (code > 0) {
        const int32_t after = code <= TINYC_DSP_FOLD_MAX ? 0 : j->output_offset;
        return tinyc_dsp_clamp(tinyc_dsp_requantize_right_wide(x, mult, c, code, after), j->act_min, j->act_max);
    }
    return requantize_general(j, x2 >> 1, bias, mult, code + 64);
}

/*
 * The rounding term of tinyc_dsp_requantize_right for code e >= 1
 * (tinyc_dsp_rounding: (2 output_offset + 1) 2^(e-1); only 2^(e-1) past
 * TINYC_DSP_FOLD_MAX).
 */
TINYC_INLINE int32_t channel_rounding(const block_job *j, int32_t e, const int fast)
{
    return (int32_t)((uint32_t)(fast || e <= TINYC_DSP_FOLD_MAX ? j->rounding_base : 1) << (e - 1));
}

/*
 * Channel oc's outputs for the w pixels of a sub-block from their sums
 * s0..s3, `scaled` when they are 256 times the sums (else the sums
 * themselves), its folded bias and multiplier `bm` and its code. Every
 * output into a register first: a byte store could alias whatever the loop
 * reads.
 */
TINYC_INLINE void channel_store(const block_job *j, int8_t *const *out, int32_t oc, const int32_t *bm, int32_t code, int32_t s0, int32_t s1, int32_t s2, int32_t s3,
                                const int scaled, const int w, const int fast)
{
    const int32_t bias = bm[0], mult = bm[1];
    const int32_t c = fast || code > 0 ? channel_rounding(j, code, fast) : 0;
#define TINYC_X2(s) (scaled ? (s) >> 7 : (int32_t)((uint32_t)(s) << 1))
    const int32_t y0 = channel_output(j, TINYC_X2(s0), bias, mult, code, c, fast);
    if (w == 1) {
        out[0][oc] = (int8_t)y0;
        return;
    }
    {
        const int32_t y1 = channel_output(j, TINYC_X2(s1), bias, mult, code, c, fast);
        const int32_t y2 = channel_output(j, TINYC_X2(s2), bias, mult, code, c, fast);
        const int32_t y3 = channel_output(j, TINYC_X2(s3), bias, mult, code, c, fast);
        /* The four pointers read together (one LDM), then the four stores back to back. */
        int8_t *const o0 = out[0], *const o1 = out[1], *const o2 = out[2], *const o3 = out[3];
        o0[oc] = (int8_t)y0;
        o1[oc] = (int8_t)y1;
        o2[oc] = (int8_t)y2;
        o3[oc] = (int8_t)y3;
    }
#undef TINYC_X2
}

/* A channel whose output is the same byte v whatever the input (code 0): no filter words, no sums. */
TINYC_INLINE void channel_constant(int8_t *const *out, int32_t oc, int32_t v, const int w)
{
    int32_t i;
    for (i = 0; i < w; i++) out[i][oc] = (int8_t)v;
}

/*
 * Every output channel of a sub-block of w pixels: the computed ones in
 * pairs (channels 2k and 2k + 1, or as j->order lists them), their biases,
 * multipliers and codes in that order in the tables, then the constant ones
 * (j->order's last).
 */
TINYC_INLINE void sub_block_channels(const block_job *j, const int w, const int fast)
{
    int32_t k;
    for (k = 0; k < j->pairs; k++) {
        /* Everything but the sums is read again after the multiply, so that its loop gets the registers. */
        const pair_sums t = pair_multiply(j->filter + 2 * j->groups * k, j->scratch, j->groups, w);
        const int32_t *bm = j->bias_mult + 4 * k;
        const int8_t *codes = j->codes + 2 * k;
        const int32_t c0 = j->order ? j->order[2 * k] : 2 * k, c1 = j->order ? j->order[2 * k + 1] : 2 * k + 1;
        channel_store(j, j->out, c0, bm, codes[0], t.a0, t.a1, t.a2, t.a3, 0, w, fast);
        channel_store(j, j->out, c1, bm + 2, codes[1], t.b0, t.b1, t.b2, t.b3, 1, w, fast);
    }
    for (k = 0; k < j->constants; k++) channel_constant(j->out, j->order[2 * j->pairs + k], j->bias_mult[4 * j->pairs + 2 * k], w);
}

/* Each sub-block width and requantization a function of its own (its loop gets the registers), `fast` as in channel_output. */
#define TINYC_SUB_FN(name, w, fast) \
    static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void name(const block_job *j) { sub_block_channels(j, w, fast); }
TINYC_SUB_FN(sub4, TINYC_SUB, 0)
TINYC_SUB_FN(sub4_fast, TINYC_SUB, 1)
TINYC_SUB_FN(sub4_clamp, TINYC_SUB, 2)
TINYC_SUB_FN(sub1, 1, 0)
TINYC_SUB_FN(sub1_fast, 1, 1)
TINYC_SUB_FN(sub1_clamp, 1, 2)

/* A sub-block's channels by its width and the layer's requantization (`fast`, a constant of each entry point). */
TINYC_INLINE void sub_block(const block_job *j, int32_t w, const int fast)
{
    if (w == TINYC_SUB) (fast == 2 ? sub4_clamp : fast ? sub4_fast : sub4)(j);
    else (fast == 2 ? sub1_clamp : fast ? sub1_fast : sub1)(j);
}

/* The layer's blocks: `count` of them, full ones of `size` pixels first (each pixel one block of one past them). */
typedef struct {
    int32_t lo, pixels, size, full, singles, count;
} block_plan;

/*
 * The pixels this call computes (all, or with row streaming those of rows
 * [row_begin, row_end)) in blocks of `size` (p->block): full blocks, then
 * what is left as one block when more than TINYC_SINGLES pixels are, else
 * each as a block of one.
 */
static block_plan plan_blocks(const tinyc_dsp_conv_params *p)
{
    block_plan b;
    const int32_t out_pixels = p->out_h * p->out_w;
    b.lo = p->row_end > 0 ? p->row_begin * p->out_w : 0;
    b.pixels = (p->row_end > 0 ? p->row_end * p->out_w : p->batches * out_pixels) - b.lo;
    b.size = p->block > 0 ? p->block : TINYC_BLOCK;
    {
        const int32_t rest = b.pixels % b.size;
        b.singles = rest <= TINYC_SINGLES ? rest : 0;
        b.full = (b.pixels - b.singles + b.size - 1) / b.size;
        b.count = b.full + b.singles;
    }
    return b;
}

/*
 * A sub-block of four pixels of a 1x1 stride-1 layer, n of them real (the
 * rest copies of the last), each `in_c` bytes after the previous from px:
 * per group of four taps, the four pixels' words (0, 2), then their (1, 3).
 */
static TINYC_NOINLINE void expand_points4(const int8_t *px, int32_t n, int32_t in_c, uint32_t *dst)
{
    const int8_t *p1 = px + (n > 1 ? in_c : 0), *p2 = px + (n > 2 ? 2 * in_c : (n - 1) * in_c), *p3 = px + (n - 1) * in_c;
    int32_t c;
    for (c = 0; c < in_c; c += 4, dst += 2 * TINYC_SUB) {
        const uint32_t x0 = tinyc_read4(px + c), x1 = tinyc_read4(p1 + c), x2 = tinyc_read4(p2 + c), x3 = tinyc_read4(p3 + c);
        dst[0] = tinyc_sxtb16(x0), dst[1] = tinyc_sxtb16(x1), dst[2] = tinyc_sxtb16(x2), dst[3] = tinyc_sxtb16(x3);
        dst[4] = tinyc_sxtb16(x0 >> 8), dst[5] = tinyc_sxtb16(x1 >> 8), dst[6] = tinyc_sxtb16(x2 >> 8), dst[7] = tinyc_sxtb16(x3 >> 8);
    }
}

/* Whether a block's pixels are one run of the input, each in_c bytes after the previous (1x1, stride 1, whole input). */
static int contiguous_points(const tinyc_dsp_conv_params *p, const window_expander *x)
{
    return x->point && p->stride_h == 1 && p->stride_w == 1 && p->in_ring == 0;
}

/* Where output row (b, oy) lies, and the input row a 1x1 layer reads for it. */
typedef struct {
    int8_t *out;
    const int8_t *in;
} row_pointers;

static row_pointers rows_of(const tinyc_dsp_conv_params *p, const window_expander *x, int8_t *output, int32_t b, int32_t oy)
{
    row_pointers r;
    r.out = output + tinyc_dsp_row_at(p->out_ring, b, p->out_h, oy, p->out_w * p->out_stride);
    r.in = x->point ? x->input + tinyc_dsp_row_at(x->ring, b, x->in_h, oy * x->stride_h, x->row_bytes) : NULL;
    return r;
}

/*
 * Block k's pixels into the scratch (sub-blocks of w pixels, the last
 * filled up with copies of the block's last pixel) and their output
 * pointers; returns the number of sub-blocks.
 */
static int32_t expand_block(const tinyc_dsp_conv_params *p, const window_expander *x, const block_plan *bp, int32_t k, uint32_t *scratch, int8_t *output, int8_t **outs, int32_t w)
{
    const int32_t first = k < bp->full ? bp->size * k : bp->size * bp->full + (k - bp->full);
    const int32_t n = k < bp->full ? (bp->pixels - first < bp->size ? bp->pixels - first : bp->size) : 1;
    const int32_t subs = (n + w - 1) / w, sub_words = (p->depth >> 2) * 2 * w;
    const int32_t at = bp->lo + first, out_h = p->out_h, out_w = p->out_w;
    const int contiguous = w == TINYC_SUB && contiguous_points(p, x);
    int32_t ox = at % out_w, oy = (at / out_w) % out_h, b = at / (out_w * out_h);
    row_pointers rows = rows_of(p, x, output, b, oy);
    int32_t i;
    for (i = 0; i < subs * w; i++) {
        /* Past the last pixel, the last pixel again: computed twice, written twice to the same bytes. */
        if (i > 0 && i < n && ++ox == out_w) {
            ox = 0;
            if (++oy == out_h) {
                oy = 0;
                b++;
            }
            rows = rows_of(p, x, output, b, oy);
        }
        if (contiguous && i % TINYC_SUB == 0) {
            expand_points4(x->input + (at + i) * x->in_c, n - i < TINYC_SUB ? n - i : TINYC_SUB, x->in_c, scratch + (i / w) * sub_words);
        } else if (!contiguous) {
            expand_pixel(x, b, oy, ox, rows.in, scratch + (i / w) * sub_words + i % w, w);
        }
        outs[i] = rows.out + ox * p->out_stride;
    }
    return subs;
}

/* The whole layer; `fast` (channel_output's) is a constant of each entry point below, so a build links only the variants it uses. */
TINYC_INLINE void conv_layer(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                             const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch, const int fast)
{
    const block_plan bp = plan_blocks(p);
    const int32_t sub_words = (p->depth >> 2) * 2 * TINYC_SUB;
    int32_t i, s;
    int8_t *outs[TINYC_BLOCK + TINYC_SUB] = {0};
    block_job job;
    window_expander windows;
    window_expander_init(&windows, p, input);
    job.filter = filter;
    job.bias_mult = q->bias_mult;
    job.codes = q->shift;
    job.order = q->order;
    job.groups = p->depth >> 2;
    job.pairs = q->pairs;
    job.constants = q->order ? p->out_c - q->computed : 0;
    job.output_offset = p->output_offset;
    job.rounding_base = 2 * p->output_offset + 1;
    job.act_min = p->act_min;
    job.act_max = p->act_max;
    for (i = 0; i < bp.count; i++) {
        const int32_t k = p->reverse ? bp.count - 1 - i : i;
        /* Blocks of one pixel (p->block 1, or the last one or two pixels) are one sub-block of width 1. */
        const int32_t w = k < bp.full && bp.size > 1 ? TINYC_SUB : 1;
        const int32_t subs = expand_block(p, &windows, &bp, k, scratch, output, outs, w);
        for (s = 0; s < subs; s++) {
            job.scratch = scratch + s * (w == 1 ? 0 : sub_words);
            job.out[0] = outs[s * w], job.out[1] = outs[s * w + 1], job.out[2] = outs[s * w + 2], job.out[3] = outs[s * w + 3];
            sub_block(&job, w, fast);
        }
    }
}

void tinyc_dsp_conv2d_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                         const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch)
{
    conv_layer(p, q, input, filter, output, scratch, 0);
}

void tinyc_dsp_conv2d_fast_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                              const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch)
{
    conv_layer(p, q, input, filter, output, scratch, 1);
}

void tinyc_dsp_conv2d_fast_clamp_s8(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                                    const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch)
{
    conv_layer(p, q, input, filter, output, scratch, 2);
}
