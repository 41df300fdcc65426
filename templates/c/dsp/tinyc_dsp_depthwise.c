/*
 * tinyc DSP int8 depthwise convolution: any window, stride, dilation and
 * padding, depth multiplier 1 (the compiler leaves other multipliers to the
 * portable kernel).
 *
 * Order: output pixels in order; within a pixel, its channels four at a
 * time, then the channels left over one at a time; each group of channels
 * reads its window, then writes its outputs. With reverse = 1 the pixels go
 * last to first, each pixel's channels in the same order as forward.
 *
 * Four channels at a time: one word of input per tap gives channels (0, 2)
 * with SXTB16 and channels (1, 3) times 256 with an AND, and each lane meets
 * its weight (int8 in flash, per group of four channels and tap in channel
 * order, widened to int16 in the scratch at the start as the words
 * (2 w0, 2 w2) and (w1, w3)) in one SMLABB or SMLATT. Channels 0 and 2 sum
 * twice their products, from twice the bias, which is what the
 * requantization takes; channels 1 and 3 sum 256 times their products,
 * shifted back before it (the compiler checks that these sums fit in 32
 * bits). Taps outside the image
 * take the input zero point, which the folded bias cancels exactly.
 * Bit-exact with TFLite's DepthwiseConvPerChannel.
 */
#include "tinyc_dsp.h"

/* What every pixel shares. */
typedef struct {
    const tinyc_dsp_conv_params *p;
    const tinyc_dsp_quant *q;
    const int16_t *filter;
    const int8_t *zp_row;       /* the input zero point: in_c + 2 col_step bytes (3x3 windows), else in_c */
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
 * dw_fast_biased takes x, twice the sum of products with the bias.
 */
TINYC_INLINE int32_t dw_fast_biased(const dw_quant r, const int fast, const int32_t *rq, const int w, const int k, int32_t x)
{
    const int32_t e = ((const int8_t *)(const void *)(rq + 3 * w))[k];
    if (fast == 1) return tinyc_dsp_requantize_right(x, rq[w + k], rq[2 * w + k], e, 0);
    return tinyc_dsp_clamp(tinyc_dsp_requantize_right_wide(x, rq[w + k], rq[2 * w + k], e, 0), r.act_min, r.act_max);
}

TINYC_INLINE int32_t dw_fast(const dw_quant r, const int fast, const int32_t *rq, const int w, const int k, int32_t sum2)
{
    return dw_fast_biased(r, fast, rq, w, k, (int32_t)((uint32_t)sum2 + (uint32_t)rq[k]));
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
 * The four sums of a group of four channels: channels 0 and 2 twice theirs
 * (their weights are doubled), from twice the bias when the requantization
 * is fast; channels 1 and 3 256 times theirs.
 */
typedef struct {
    int32_t a0, a1, a2, a3;
} dw_sums;

/* A group's sums before its first tap: see dw_sums. */
TINYC_INLINE dw_sums dw_start(const int fast, const int32_t *rq)
{
    dw_sums s;
    s.a0 = fast ? rq[0] : 0;
    s.a1 = 0;
    s.a2 = fast ? rq[2] : 0;
    s.a3 = 0;
    return s;
}

/* One tap of a group of four channels: the input word `v` (four channels), the tap's pair of widened weight words at `f`. */
TINYC_INLINE dw_sums dw_tap_word(dw_sums s, uint32_t v, const uint32_t *f)
{
    const uint32_t e = tinyc_sxtb16(v), o = v & TINYC_HIGH_BYTES;
    const uint64_t w = dw_read8(f);
    s.a0 = tinyc_smlabb(e, (uint32_t)w, s.a0);
    s.a2 = tinyc_smlatt(e, (uint32_t)w, s.a2);
    s.a1 = tinyc_smlabb(o, (uint32_t)(w >> 32), s.a1);
    s.a3 = tinyc_smlatt(o, (uint32_t)(w >> 32), s.a3);
    return s;
}

TINYC_INLINE dw_sums dw_tap(dw_sums s, const int8_t *in, const uint32_t *f)
{
    return dw_tap_word(s, tinyc_read4(in), f);
}

/*
 * The four outputs of a group of four channels from its sums, channel c the
 * first: from the group's record `rq` of q->requant (`fast`, see dw_fast),
 * else from the per-channel tables.
 */
TINYC_INLINE void dw_quad_out(const dw_quant r, const int fast, const int32_t *rq, int32_t c, dw_sums s, int8_t *out)
{
    int32_t y0, y1, y2, y3;
    if (fast) {
        y0 = dw_fast_biased(r, fast, rq, 4, 0, s.a0);
        y1 = dw_fast(r, fast, rq, 4, 1, s.a1 >> 7);
        y2 = dw_fast_biased(r, fast, rq, 4, 2, s.a2);
        y3 = dw_fast(r, fast, rq, 4, 3, s.a3 >> 7);
    } else {
        y0 = dw_output(r, c, s.a0);
        y1 = dw_output(r, c + 1, s.a1 >> 7);
        y2 = dw_output(r, c + 2, s.a2);
        y3 = dw_output(r, c + 3, s.a3 >> 7);
    }
    out[0] = (int8_t)y0;
    out[1] = (int8_t)y1;
    out[2] = (int8_t)y2;
    out[3] = (int8_t)y3;
}

/* The output of channel c past the last group of four (the quads' records come first in q->requant) from twice its sum. */
TINYC_INLINE int32_t dw_lone_out(const dw_quant r, const int fast, int32_t quads, int32_t c, int32_t sum2)
{
    return fast ? dw_fast(r, fast, r.requant + 13 * quads + 4 * (c - 4 * quads), 1, 0, sum2) : dw_output(r, c, sum2);
}

TINYC_INLINE dw_quant dw_quant_of(const dw_job *j)
{
    dw_quant r;
    r.bias_mult = j->q->bias_mult;
    r.rounding = j->q->rounding;
    r.requant = j->q->requant;
    r.codes = j->q->shift;
    r.output_offset = j->p->output_offset;
    r.act_min = j->p->act_min;
    r.act_max = j->p->act_max;
    return r;
}

/*
 * The channels of one output pixel whose window starts `win` bytes from
 * `input` (channel 0 of the top-left tap, which may lie outside the image:
 * offsets, so that no pointer leaves the tensor): `rows` and `cols` have bit
 * k set when window row / column k lies inside it (`inside`: all of them,
 * nothing is checked). The groups of four channels first, then each channel
 * left over.
 */
TINYC_INLINE void dw_pixel(const dw_job *j, const int8_t *input, int32_t win, uint32_t rows, uint32_t cols, int8_t *out, const int inside, const int fast)
{
    const tinyc_dsp_conv_params *p = j->p;
    const int32_t channels = p->in_c, quads = channels >> 2;
    const int32_t k_h = p->k_h, k_w = p->k_w, taps = k_h * k_w;
    const int32_t col_step = j->col_step, row_step = j->row_step;
    const int32_t zp = p->input_zero_point;
    const uint32_t zp4 = j->zp4;
    const uint32_t *filter = (const uint32_t *)(const void *)j->filter;
    const int16_t *lone = j->filter + 4 * quads * taps;
    const dw_quant r = dw_quant_of(j);
    int32_t g, c, ky, kx;
    for (g = 0; g < quads; g++) {
        const uint32_t *f = filter + g * 2 * taps;
        const int32_t *rq = fast ? r.requant + 13 * g : NULL;
        dw_sums s = dw_start(fast, rq);
        int32_t row = win + 4 * g;
        for (ky = 0; ky < k_h; ky++, row += row_step) {
            int32_t x = row;
            for (kx = 0; kx < k_w; kx++, x += col_step, f += 2) {
                s = dw_tap_word(s, inside || ((rows >> ky) & (cols >> kx) & 1u) ? tinyc_read4(input + x) : zp4, f);
            }
        }
        dw_quad_out(r, fast, rq, 4 * g, s, out + 4 * g);
    }
    for (c = 4 * quads; c < channels; c++) {
        /* A channel past the last group of four: alone, its weights int16 per tap. */
        const int16_t *w = lone + (c - 4 * quads) * taps;
        int32_t acc = 0;
        int32_t row = win + c;
        for (ky = 0; ky < k_h; ky++, row += row_step) {
            int32_t x = row;
            for (kx = 0; kx < k_w; kx++, x += col_step) {
                const int32_t v = inside || ((rows >> ky) & (cols >> kx) & 1u) ? input[x] : zp;
                acc += v * *w++;
            }
        }
        out[c] = (int8_t)dw_lone_out(r, fast, quads, c, (int32_t)((uint32_t)acc << 1));
    }
}

static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_inside(const dw_job *j, const int8_t *win, int8_t *out) { dw_pixel(j, win, 0, ~0u, ~0u, out, 1, 0); }
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_edge(const dw_job *j, const int8_t *input, int32_t win, uint32_t rows, uint32_t cols, int8_t *out) { dw_pixel(j, input, win, rows, cols, out, 0, 0); }
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_edge_fast(const dw_job *j, const int8_t *input, int32_t win, uint32_t rows, uint32_t cols, int8_t *out) { dw_pixel(j, input, win, rows, cols, out, 0, 1); }
static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void dw_edge_clamp(const dw_job *j, const int8_t *input, int32_t win, uint32_t rows, uint32_t cols, int8_t *out) { dw_pixel(j, input, win, rows, cols, out, 0, 2); }

/*
 * A 3x3 window's three rows, each a pointer to channel 0 of the window's
 * first column read (or, for a row outside the image, to j->zp_row, a strip
 * of the input zero point as wide as the window), and each row's step from
 * one pixel of a run to the next (0 for the strip).
 */
typedef struct {
    const int8_t *at[3];
    int32_t step[3];
} dw_rows;

/*
 * The taps of one window row whose columns inside the image are the bits of
 * `cols` (7: all three; 6: the last two; 3: the first two), the first of them
 * at `in`, the next col_step further on; a column outside reads the zero
 * point `zp4` (the folded bias cancels it); `f` the row's three weight pairs.
 */
TINYC_INLINE dw_sums dw3_row(dw_sums s, const int8_t *in, int32_t col_step, uint32_t zp4, const uint32_t *f, const uint32_t cols)
{
    s = dw_tap_word(s, cols == 6 ? zp4 : tinyc_read4(in), f);
    s = dw_tap(s, cols == 6 ? in : in + col_step, f + 2);
    return dw_tap_word(s, cols == 3 ? zp4 : tinyc_read4(in + (cols == 6 ? col_step : 2 * col_step)), f + 4);
}

/* One channel of a 3x3 window's row, as dw3_row: int8 inputs, the zero point `zp`, int16 weights. */
TINYC_INLINE int32_t dw3_lone_row(int32_t acc, const int8_t *in, int32_t col_step, int32_t zp, const int16_t *w, const uint32_t cols)
{
    if (cols == 7) return acc + in[0] * w[0] + in[col_step] * w[1] + in[2 * col_step] * w[2];
    if (cols == 6) return acc + zp * w[0] + in[0] * w[1] + in[col_step] * w[2];
    return acc + in[0] * w[0] + in[col_step] * w[1] + zp * w[2];
}

/*
 * `n` output pixels of a 3x3 window, one after another `out_step` bytes
 * apart, their windows' rows `w` (advanced by their steps from pixel to
 * pixel) and columns `cols` (see dw3_row): per pixel the groups of four
 * channels, each group's nine (or six) taps at constant offsets from the
 * three row pointers, then each channel left over.
 */
TINYC_INLINE void dw3_run(const dw_job *j, dw_rows w, int8_t *out, int32_t n, int32_t out_step, const int fast, const uint32_t cols)
{
    const int32_t channels = j->p->in_c, quads = channels >> 2, col_step = j->col_step, zp = j->p->input_zero_point;
    const uint32_t zp4 = j->zp4;
    const uint32_t *const filter = (const uint32_t *)(const void *)j->filter;
    const int16_t *lone = j->filter + 4 * quads * 9;
    const dw_quant r = dw_quant_of(j);
    /* The pointers walk the groups of a pixel, then step to the next pixel's first group. */
    const int8_t *r0 = w.at[0], *r1 = w.at[1], *r2 = w.at[2];
    const uint32_t *f = filter;
    const int32_t *rq = r.requant;
    int8_t *o = out, *end = out + 4 * quads;
    for (;;) {
        int32_t c;
        while (o != end) {
            dw_sums s = dw_start(fast, rq);
            s = dw3_row(s, r0, col_step, zp4, f, cols);
            s = dw3_row(s, r1, col_step, zp4, f + 6, cols);
            s = dw3_row(s, r2, col_step, zp4, f + 12, cols);
            dw_quad_out(r, fast, rq, (int32_t)(o - out), s, o);
            r0 += 4;
            r1 += 4;
            r2 += 4;
            f += 18;
            if (fast) rq += 13;
            o += 4;
        }
        for (c = 4 * quads; c < channels; c++) {
            const int16_t *lw = lone + (c - 4 * quads) * 9;
            const int32_t k = c - 4 * quads;
            int32_t acc = dw3_lone_row(0, r0 + k, col_step, zp, lw, cols);
            acc = dw3_lone_row(acc, r1 + k, col_step, zp, lw + 3, cols);
            acc = dw3_lone_row(acc, r2 + k, col_step, zp, lw + 6, cols);
            out[c] = (int8_t)dw_lone_out(r, fast, quads, c, (int32_t)((uint32_t)acc << 1));
        }
        if (--n == 0) return;
        r0 += w.step[0] - 4 * quads;
        r1 += w.step[1] - 4 * quads;
        r2 += w.step[2] - 4 * quads;
        f = filter;
        rq = r.requant;
        out += out_step;
        o = out;
        end = out + 4 * quads;
    }
}

/* The runs' variants, each a function of its own (its loop gets the registers): requantization `fast` (see dw_fast) by window columns read. */
#define TINYC_DW3_RUN(name, fast, cols) \
    static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void name(const dw_job *j, const dw_rows *w, int8_t *out, int32_t n, int32_t out_step) { dw3_run(j, *w, out, n, out_step, fast, cols); }
TINYC_DW3_RUN(dw3_run_all, 0, 7)
TINYC_DW3_RUN(dw3_run_left, 0, 6)
TINYC_DW3_RUN(dw3_run_right, 0, 3)
TINYC_DW3_RUN(dw3_run_all_fast, 1, 7)
TINYC_DW3_RUN(dw3_run_left_fast, 1, 6)
TINYC_DW3_RUN(dw3_run_right_fast, 1, 3)
TINYC_DW3_RUN(dw3_run_all_clamp, 2, 7)
TINYC_DW3_RUN(dw3_run_left_clamp, 2, 6)
TINYC_DW3_RUN(dw3_run_right_clamp, 2, 3)

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

/* A run of 3x3 windows reading columns `cols`, by the layer's requantization (`fast`, a constant of each entry point). */
TINYC_INLINE void dw3_call(const dw_job *j, const dw_rows *w, int8_t *out, int32_t n, int32_t out_step, const int fast, uint32_t cols)
{
    if (fast == 2) {
        if (cols == 7) dw3_run_all_clamp(j, w, out, n, out_step);
        else if (cols == 6) dw3_run_left_clamp(j, w, out, n, out_step);
        else dw3_run_right_clamp(j, w, out, n, out_step);
    } else if (fast) {
        if (cols == 7) dw3_run_all_fast(j, w, out, n, out_step);
        else if (cols == 6) dw3_run_left_fast(j, w, out, n, out_step);
        else dw3_run_right_fast(j, w, out, n, out_step);
    } else {
        if (cols == 7) dw3_run_all(j, w, out, n, out_step);
        else if (cols == 6) dw3_run_left(j, w, out, n, out_step);
        else dw3_run_right(j, w, out, n, out_step);
    }
}

/*
 * One output pixel by the general path (any window; the taps outside the
 * image read the zero point), by the layer's requantization.
 */
TINYC_INLINE void dw_general(const dw_job *j, const int8_t *input, int32_t win, uint32_t rows, uint32_t cols, int8_t *out, const int fast)
{
    if (fast == 2) dw_edge_clamp(j, input, win, rows, cols, out);
    else if (fast) dw_edge_fast(j, input, win, rows, cols, out);
    else dw_edge(j, input, win, rows, cols, out);
}

/*
 * The whole layer. `k3` (3x3 windows) and `fast` (0, or 1 or 2: see dw_fast) are
 * constants of each entry point below, so a build links only the variants
 * its layers use.
 */
TINYC_INLINE void dw_layer(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                           const int8_t *input, const int8_t *filter, int8_t *output, int16_t *scratch, const int k3, const int fast)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_h = p->out_h, out_w = p->out_w;
    const int32_t taps = p->k_h * p->k_w, sw = p->stride_w, reverse = p->reverse;
    const uint32_t all_rows = taps_inside(0, 0, p->k_h, 1);
    dw_job j;
    int32_t i;
    j.p = p;
    j.q = q;
    /*
     * The weights widened to int16 once per call (flash keeps them as bytes;
     * every pixel reads them), each tap of a group of four channels the
     * words (2 w0, 2 w2) and (w1, w3), one LDRD (the scratch is 8-byte
     * aligned): a doubled lane's bit 15 carries into bit 16, which the high
     * lane, even, has clear. Then each channel left over, as it is.
     */
    for (i = 0; p->row_begin == 0 && i < (in_c >> 2) * taps; i++) {
        const uint32_t v = tinyc_read4(filter + 4 * i);
        const uint32_t w[2] = {(tinyc_sxtb16(v) << 1) & ~0x10000u, tinyc_sxtb16(v >> 8)};
        memcpy(scratch + 4 * i, w, 8);
    }
    for (i = 4 * ((in_c >> 2) * taps); p->row_begin == 0 && i < taps * in_c; i++) scratch[i] = filter[i];
    j.filter = scratch;
    j.col_step = p->dil_w * in_c;
    j.row_step = p->dil_h * in_w * in_c;
    {
        /* After the widened weights, a strip of the input zero point as wide as a 3x3 window (for its rows outside the image), else one pixel. */
        int8_t *zp_row = (int8_t *)(void *)(scratch + taps * in_c);
        if (p->row_begin == 0) memset(zp_row, p->input_zero_point, (size_t)(k3 ? in_c + 2 * j.col_step : in_c));
        j.zp_row = zp_row;
    }
    j.zp4 = ((uint32_t)p->input_zero_point & 0xFFu) * 0x01010101u;
    {
        /* Output columns whose window columns all lie inside the image: [x_lo, x_hi). */
        const int32_t span = (p->k_w - 1) * p->dil_w, reach = in_w - 1 - span + p->pad_left;
        const int32_t x_lo = (p->pad_left + sw - 1) / sw;
        const int32_t x_hi = reach < 0 ? 0 : (reach / sw + 1 < out_w ? reach / sw + 1 : out_w);
        /* The rows this call computes: all, or (row streaming; 3x3 windows) [row_begin, row_end). */
        const int32_t row_first = p->row_end > 0 ? p->row_begin : 0, row_count = (p->row_end > 0 ? p->row_end : p->batches * out_h) - row_first;
        int32_t r;
        for (r = 0; r < row_count; r++) {
            const int32_t row = row_first + (reverse ? row_count - 1 - r : r);
            const int32_t b = row / out_h, oy = row - b * out_h;
            const int32_t iy0 = oy * p->stride_h - p->pad_top;
            const uint32_t rows = taps_inside(iy0, p->dil_h, p->k_h, in_h);
            const int32_t row_win = (b * in_h + iy0) * in_w * in_c - p->pad_left * in_c;
            int8_t *out_row = output + tinyc_dsp_row_at(p->out_ring, b, out_h, oy, out_w * p->out_stride);
            int32_t x;
            if (k3) {
                /* Pixels one at a time at the edges, the columns between as one run, in order (reverse: last to first). */
                const int32_t lo = x_lo < x_hi ? x_lo : out_w, hi = x_lo < x_hi ? x_hi : out_w;
                for (x = 0; x < out_w;) {
                    const int32_t ox = reverse ? out_w - 1 - x : x;
                    const int32_t ix0 = ox * sw - p->pad_left;
                    const int32_t run = ox >= lo && ox < hi ? hi - lo : 1;
                    const uint32_t cols = run > 1 ? 7u : taps_inside(ix0, p->dil_w, 3, in_w);
                    /* ox: the run's first pixel in the order of work. */
                    int8_t *out = out_row + ox * p->out_stride;
                    if (cols == 7 || cols == 6 || cols == 3) {
                        const int32_t ix = ix0 + (cols == 6 ? p->dil_w : 0);
                        dw_rows w;
                        int32_t k;
                        for (k = 0; k < 3; k++) {
                            const int inside = (rows >> k) & 1u;
                            w.at[k] = inside ? input + tinyc_dsp_row_at(p->in_ring, b, in_h, iy0 + k * p->dil_h, in_w * in_c) + ix * in_c : j.zp_row;
                            w.step[k] = inside ? (reverse ? -sw * in_c : sw * in_c) : 0;
                        }
                        dw3_call(&j, &w, out, run, reverse ? -p->out_stride : p->out_stride, fast, cols);
                    } else {
                        dw_general(&j, input, row_win + ox * sw * in_c, rows, taps_inside(ix0, p->dil_w, p->k_w, in_w), out, fast);
                    }
                    x += run;
                }
            } else {
                for (x = 0; x < out_w; x++) {
                    const int32_t ox = reverse ? out_w - 1 - x : x;
                    /* The window's top-left tap, inside the image or not (only taps inside are read). */
                    const int32_t win = row_win + ox * sw * in_c;
                    int8_t *out = out_row + ox * p->out_stride;
                    if (rows == all_rows && ox >= x_lo && ox < x_hi) {
                        dw_inside(&j, input + win, out);
                    } else {
                        dw_edge(&j, input, win, rows, taps_inside(ox * sw - p->pad_left, p->dil_w, p->k_w, in_w), out);
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
