/*
 * tinyc DSP int8 convolution, the pair-stream kernel (tinyc_dsp_conv2d_pairs*_s8;
 * the layouts are in tinyc_dsp.h): a window's taps packed two to a word,
 * blocks of eight, four or one output pixels by two output channels, each
 * channel pair's filter, bias and multiplier in one stream. For layers
 * whose requantization is a right shift of 1 to 17 and whose sums stay within
 * 2^23 (the compiler checks); the others run tinyc_dsp_conv2d.c's kernel.
 * Bit-exact with TFLite's ConvPerChannel.
 */
#include "tinyc_dsp.h"


/* How a window's taps lie in pair words, and what the expansion of every window of a layer shares. */
typedef struct {
    const int8_t *input, *end;
    int32_t in_h, in_w, in_c, k_h, k_w, dil_h, dil_w, stride_h, stride_w, pad_top, pad_left;
    int32_t ring, row_bytes, span_h, span_w, zp;
    int32_t full;      /* words of four bytes a window row holds: (k_w in_c) / 4 */
    int32_t tail3;     /* 1 when three bytes are left: their (0, 2) one more word */
    int32_t singles;   /* taps left over per row, paired across rows after every row's words */
    int32_t row_words; /* 2 full + tail3 */
    int32_t words;     /* the window's pair words */
    int32_t point;     /* 1x1 without padding: one run of in_c bytes (a multiple of 4) */
    /* Output columns [inside_lo, inside_hi] whose windows' columns lie inside the image (empty with dilation across). */
    int32_t inside_lo, inside_hi;
    /* The input rows (row starts; NULL: outside the image) of output row (cached_b, cached_oy)'s windows, found once per output row. */
    int32_t cached_b, cached_oy;
    const int8_t *cached[16];
} pair_windows;

static void pair_windows_init(pair_windows *x, const tinyc_dsp_conv_params *p, const int8_t *input)
{
    const int32_t run = p->k_w * p->in_c, rest = run & 3;
    x->input = input;
    x->ring = p->in_ring;
    x->row_bytes = p->in_w * p->in_c;
    x->end = input + (p->in_ring > 0 ? p->in_ring : p->batches * p->in_h) * x->row_bytes;
    x->in_h = p->in_h, x->in_w = p->in_w, x->in_c = p->in_c, x->k_h = p->k_h, x->k_w = p->k_w;
    x->dil_h = p->dil_h, x->dil_w = p->dil_w, x->stride_h = p->stride_h, x->stride_w = p->stride_w;
    x->pad_top = p->pad_top, x->pad_left = p->pad_left, x->zp = p->input_zero_point;
    x->span_h = (p->k_h - 1) * p->dil_h, x->span_w = (p->k_w - 1) * p->dil_w;
    x->full = run >> 2;
    x->tail3 = rest == 3;
    x->singles = rest == 3 ? 1 : rest;
    x->row_words = 2 * x->full + x->tail3;
    x->words = p->k_h * x->row_words + (p->k_h * x->singles + 1) / 2;
    x->point = p->k_h == 1 && p->k_w == 1 && p->pad_top == 0 && p->pad_left == 0 && rest == 0;
    x->cached_b = -1, x->cached_oy = -1;
    x->inside_lo = (p->pad_left + p->stride_w - 1) / p->stride_w;
    x->inside_hi = p->in_w - 1 - x->span_w + p->pad_left < 0 ? -1 : (p->in_w - 1 - x->span_w + p->pad_left) / p->stride_w;
    if (p->dil_w != 1 || p->k_h > 16) x->inside_lo = 1, x->inside_hi = 0;
}

/* Lane `lane` (0: bits 0-15) of a scratch word, as int16. */
static inline void put_lane(uint32_t *word, int32_t lane, int32_t v)
{
    const int16_t h = (int16_t)v;
    memcpy((char *)word + 2 * lane, &h, 2);
}

/*
 * Leftover tap l (of k_h singles) into its word: the last one of an odd
 * number fills its whole word (its other lane multiplies a zero weight).
 */
static inline void put_single(const pair_windows *x, uint32_t *slot, int32_t w, int32_t l, int32_t v)
{
    uint32_t *word = slot + (x->k_h * x->row_words + (l >> 1)) * w;
    if ((l & 1) == 0 && l == x->k_h * x->singles - 1) *word = (uint32_t)v & 0xFFFFu;
    else put_lane(word, l & 1, v);
}

/* Tap `pos` of window row ky (value v) into its word and lane. */
static void put_pair_tap(const pair_windows *x, uint32_t *slot, int32_t w, int32_t ky, int32_t pos, int32_t v)
{
    const int32_t head = 4 * x->full;
    if (pos < head) {
        put_lane(slot + (ky * x->row_words + 2 * (pos >> 2) + (pos & 1)) * w, (pos >> 1) & 1, v);
    } else if (x->tail3 && pos != head + 1) {
        put_lane(slot + (ky * x->row_words + 2 * x->full) * w, (pos - head) >> 1, v);
    } else {
        put_single(x, slot, w, ky * x->singles + (x->tail3 ? 0 : pos - head), v);
    }
}

/* Window row ky, inside the image, from its first byte r (the words read whole: a three-byte tail reads one byte more). */
static TINYC_NOINLINE void pair_row(const pair_windows *x, const int8_t *r, uint32_t *slot, int32_t w, int32_t ky)
{
    uint32_t *dst = slot + ky * x->row_words * w;
    const int32_t head = 4 * x->full;
    int32_t i;
    for (i = 0; i < head; i += 4, dst += 2 * w) tinyc_dsp_put_word(dst, tinyc_read4(r + i), w);
    if (x->tail3) dst[0] = tinyc_sxtb16(tinyc_read4(r + head));
    for (i = 0; i < x->singles; i++) put_single(x, slot, w, ky * x->singles + i, r[head + (x->tail3 ? 1 : i)]);
}

/* The input row iy of batch b (NULL: outside the image). */
static inline const int8_t *pair_input_row(const pair_windows *x, int32_t b, int32_t iy)
{
    return iy < 0 || iy >= x->in_h ? NULL : x->input + tinyc_dsp_row_at(x->ring, b, x->in_h, iy, x->row_bytes);
}

/* Window rows this long at most go through a copy at the image's edges (else tap by tap). */
#define TINYC_EDGE_RUN 64

/*
 * Window row ky of a pixel whose window leaves the image: its bytes (the zero
 * point outside) copied to `buf` (padded so that its words read whole), then
 * expanded from there.
 */
static void pair_edge_row(const pair_windows *x, const int8_t *row, int32_t ix0, uint32_t *slot, int32_t w, int32_t ky)
{
    int8_t buf[TINYC_EDGE_RUN + 4];
    int32_t kx, c, n = 0;
    for (kx = 0; kx < x->k_w; kx++) {
        const int32_t ix = ix0 + kx * x->dil_w, in = row != NULL && ix >= 0 && ix < x->in_w;
        for (c = 0; c < x->in_c; c++) buf[n++] = (int8_t)(in ? row[ix * x->in_c + c] : x->zp);
    }
    for (; n < TINYC_EDGE_RUN + 4; n++) buf[n] = 0;
    pair_row(x, buf, slot, w, ky);
}

/* The window of output pixel (b, oy, ox) into the sub-block slot (width w). */
static void pair_pixel(const pair_windows *x, int32_t b, int32_t oy, int32_t ox, uint32_t *slot, int32_t w)
{
    const int32_t iy0 = oy * x->stride_h - x->pad_top, ix0 = ox * x->stride_w - x->pad_left;
    const int32_t over = x->tail3 ? 4 * x->full + 4 : 4 * x->full;
    const int inside = ix0 >= 0 && ix0 + x->span_w < x->in_w && x->dil_w == 1;
    int32_t ky, kx, c;
    for (ky = 0; ky < x->k_h; ky++) {
        const int8_t *row = pair_input_row(x, b, iy0 + ky * x->dil_h);
        if (row != NULL && inside && x->end - (row + ix0 * x->in_c) >= over) {
            pair_row(x, row + ix0 * x->in_c, slot, w, ky);
        } else if (x->k_w * x->in_c <= TINYC_EDGE_RUN) {
            pair_edge_row(x, row, ix0, slot, w, ky);
        } else {
            for (kx = 0; kx < x->k_w; kx++) {
                const int32_t ix = ix0 + kx * x->dil_w, in = row != NULL && ix >= 0 && ix < x->in_w;
                for (c = 0; c < x->in_c; c++) put_pair_tap(x, slot, w, ky, kx * x->in_c + c, in ? row[ix * x->in_c + c] : x->zp);
            }
        }
    }
}

/* Two int16 taps as one word (a in bits 0-15). */
static inline uint32_t pack_taps(int32_t a, int32_t b)
{
    return ((uint32_t)a & 0xFFFFu) | ((uint32_t)b << 16);
}

/*
 * The windows of n pixels of a sub-block (n up to four), their columns inside
 * the image, from their rows rows[ky] (each pixel `step` bytes after the
 * previous; a row outside the image points at a strip of the zero point):
 * per pixel each row's words, then the leftover taps paired. The layout's
 * numbers come as arguments so that the two stems' shapes unroll.
 */
TINYC_INLINE void pair_windows4(const int8_t *const *rows, int32_t step, int32_t n, uint32_t *slot, const int32_t kh, const int32_t full, const int tail3, const int32_t singles)
{
    int32_t i, ky, c;
    TINYC_UNROLL1
    for (i = 0; i < n; i++, slot++) {
        const int32_t off = i * step;
        uint32_t *dst = slot;
        int32_t pending = 0, have = 0;
        TINYC_UNROLL3
        for (ky = 0; ky < kh; ky++) {
            const int8_t *r = rows[ky] + off;
            for (c = 0; c < full; c++, dst += 2 * TINYC_SUB) tinyc_dsp_put_word(dst, tinyc_read4(r + 4 * c), TINYC_SUB);
            if (tail3) dst[0] = tinyc_sxtb16(tinyc_read4(r + 4 * full)), dst += TINYC_SUB;
        }
        TINYC_UNROLL3
        for (ky = 0; ky < kh; ky++) {
            TINYC_UNROLL3
            for (c = 0; c < singles; c++) {
                const int32_t v = rows[ky][off + 4 * full + (tail3 ? 1 : c)];
                if (have) *dst = pack_taps(pending, v), dst += TINYC_SUB;
                else pending = v;
                have = !have;
            }
        }
        if (have) *dst = pack_taps(pending, 0);
    }
}

/*
 * Four pixels of a window of one row of whole words (1x1 layers over a
 * multiple of 4 channels), each `step` bytes after the previous: per word
 * the four pixels' words loaded together.
 */
static void pair_points4(const int8_t *r, int32_t step, uint32_t *dst, int32_t full)
{
    const int8_t *r1 = r + step, *r2 = r + 2 * step, *r3 = r + 3 * step;
    int32_t c;
    for (c = 0; c < 4 * full; c += 4, dst += 2 * TINYC_SUB) {
        const uint32_t x0 = tinyc_read4(r + c), x1 = tinyc_read4(r1 + c), x2 = tinyc_read4(r2 + c), x3 = tinyc_read4(r3 + c);
        dst[0] = tinyc_sxtb16(x0), dst[1] = tinyc_sxtb16(x1), dst[2] = tinyc_sxtb16(x2), dst[3] = tinyc_sxtb16(x3);
        dst[4] = tinyc_sxtb16(x0 >> 8), dst[5] = tinyc_sxtb16(x1 >> 8), dst[6] = tinyc_sxtb16(x2 >> 8), dst[7] = tinyc_sxtb16(x3 >> 8);
    }
}

/* Bytes of the zero point's strip (tinyc_dsp_conv2d_pairs*: on the stack) that window rows outside the image read. */
#define TINYC_ZERO_STRIP 64

/*
 * The leading pixels of a sub-block of four of one output row whose window
 * columns lie inside the image (dilation 1 across; every word read stays
 * inside the input or the strip `zeros`), their rows found once: how many it
 * expanded (0 to 4).
 */
/* The input rows of output row (b, oy)'s windows (x->k_h at most 16), found once per output row. */
static const int8_t *const *pair_rows_of(pair_windows *x, int32_t b, int32_t oy)
{
    int32_t ky;
    if (x->cached_b != b || x->cached_oy != oy) {
        for (ky = 0; ky < x->k_h; ky++) x->cached[ky] = pair_input_row(x, b, oy * x->stride_h - x->pad_top + ky * x->dil_h);
        x->cached_b = b, x->cached_oy = oy;
    }
    return x->cached;
}

static int32_t pair_inside(pair_windows *x, int32_t b, int32_t oy, int32_t ox, uint32_t *slot, const int8_t *zeros)
{
    const int32_t ix0 = ox * x->stride_w - x->pad_left;
    const int32_t step = x->stride_w * x->in_c;
    const int32_t over = x->tail3 ? 4 * x->full + 4 : 4 * x->full;
    const int8_t *rows[16];
    const int32_t n = x->inside_hi - ox + 1 < TINYC_SUB ? x->inside_hi - ox + 1 : TINYC_SUB;
    int32_t ky;
    if (ox < x->inside_lo || n <= 0) return 0;
    {
        const int8_t *const *in = pair_rows_of(x, b, oy);
        for (ky = 0; ky < x->k_h; ky++) {
            if (in[ky] == NULL) {
                if ((n - 1) * step + over > TINYC_ZERO_STRIP) return 0;
                rows[ky] = zeros;
                continue;
            }
            rows[ky] = in[ky] + ix0 * x->in_c;
            if (x->end - rows[ky] < (n - 1) * step + over) return 0;
        }
    }
    if (x->k_h == 1 && x->singles == 0 && !x->tail3 && n == TINYC_SUB) pair_points4(rows[0], step, slot, x->full);
    else if (x->k_h == 3 && x->full == 2 && !x->tail3 && x->singles == 1) pair_windows4(rows, step, n, slot, 3, 2, 0, 1);
    else if (x->k_h == 3 && x->full == 0 && x->tail3) pair_windows4(rows, step, n, slot, 3, 0, 1, 1);
    else pair_windows4(rows, step, n, slot, x->k_h, x->full, x->tail3, x->singles);
    return n;
}

/* What every channel pair of a sub-block shares. */
typedef struct {
    const uint32_t *stream;  /* the first pair's bias words */
    const uint32_t *scratch; /* the sub-block's words */
    const int16_t *order;    /* tinyc_dsp_quant.order */
    int8_t *out;             /* the sub-block's first pixel's output */
    int32_t step;            /* bytes from one pixel's output to the next's */
    int32_t words, pairs, constants;
    int32_t base;            /* 2 output_offset + 1 */
    int32_t act_min, act_max;
} pair_job;

/* The sums of a channel pair over four pixels: channel 0's (a: the sums), channel 1's (b: 256 times the sums). */
typedef struct {
    int32_t a0, a1, a2, a3, b0, b1, b2, b3;
} pair_acc;

/*
 * One pair word by four pixels: the filter word's lanes for each channel
 * (SXTB16: channel 0; AND: channel 1 times 256), and the scratch words two
 * at a time, pixels 0 and 2 with the filter word (three loads back to back),
 * then 1 and 3 (two single loads: LDRD, which adjacent words would become,
 * does not pipeline).
 */
TINYC_INLINE void pair_word4(pair_acc *t, const uint32_t *f, const uint32_t *s)
{
    const uint32_t v = f[0];
    const uint32_t x0 = s[0], x2 = s[2];
    const uint32_t w0 = tinyc_sxtb16(v);
    t->a0 = tinyc_smlad(w0, x0, t->a0);
    t->a2 = tinyc_smlad(w0, x2, t->a2);
    {
        const uint32_t w1 = v & TINYC_HIGH_BYTES;
        t->b0 = tinyc_smlad(w1, x0, t->b0);
        t->b2 = tinyc_smlad(w1, x2, t->b2);
        {
            const uint32_t x1 = s[1], x3 = s[3];
            t->b1 = tinyc_smlad(w1, x1, t->b1);
            t->b3 = tinyc_smlad(w1, x3, t->b3);
            t->a1 = tinyc_smlad(w0, x1, t->a1);
            t->a3 = tinyc_smlad(w0, x3, t->a3);
        }
    }
}

/*
 * A pair's sums over `words` words (filter from f, scratch from s, four
 * words per filter word), starting from the biases a (channel 0) and b
 * (channel 1, times 256): the first word (from the biases), then one word or
 * two, then four a step.
 */
TINYC_INLINE pair_acc pair_sums4(const uint32_t *f, const uint32_t *s, int32_t words, int32_t a, int32_t b)
{
    pair_acc t;
    const uint32_t *end = f + words;
    t.a0 = t.a1 = t.a2 = t.a3 = a;
    t.b0 = t.b1 = t.b2 = t.b3 = b;
    pair_word4(&t, f, s);
    f++, s += 4;
    if ((words - 1) & 1) pair_word4(&t, f++, s), s += 4;
    if ((words - 1) & 2) {
        pair_word4(&t, f, s);
        pair_word4(&t, f + 1, s + 4);
        f += 2, s += 8;
    }
    while (f != end) {
        pair_word4(&t, f, s);
        pair_word4(&t, f + 1, s + 4);
        pair_word4(&t, f + 2, s + 8);
        pair_word4(&t, f + 3, s + 12);
        f += 4, s += 16;
    }
    return t;
}

/*
 * The output of 256 times a channel's accumulator x (its shift code `code` =
 * e + 6 for TFLite's right shift e, its multiplier m, k = 64 + (2 off + 1)
 * 2^code): TFLite's requantization, output offset and clamp (see
 * tinyc_dsp.h). `sign`: the half-away-from-zero correction of negative
 * accumulators (a layer whose clamp floor lies at or above the output zero
 * point needs none: every negative accumulator clamps); `clamp`: the
 * activation's clamp is narrower than SSAT's.
 */
TINYC_INLINE int32_t pair_output(int32_t x, int32_t m, int32_t k, int32_t code, int32_t lo, int32_t hi, const int sign, const int clamp)
{
    int32_t h = (int32_t)(((int64_t)x * m) >> 32) + k;
    if (sign) h -= (int32_t)(((uint32_t)x >> 31) << 7);
    h = tinyc_ssat8((h >> code) >> 1);
    return clamp ? tinyc_dsp_clamp(h, lo, hi) : h;
}

/*
 * A channel's four outputs from 256 times their accumulators, its bias word
 * bw (code in the low byte) and multiplier m, into o, o + step, o + 2 step,
 * o + 3 step. Everything it needs comes as arguments: a byte store may alias
 * any memory, so nothing is read from a struct between the stores.
 */
TINYC_INLINE void pair_store4(int8_t *o, int32_t step, int32_t base, uint32_t bw, int32_t m, int32_t x0, int32_t x1, int32_t x2, int32_t x3,
                              int32_t lo, int32_t hi, const int sign, const int clamp)
{
    const int32_t code = (int32_t)(bw & 0xFFu);
    const int32_t k = (int32_t)((uint32_t)base << code) + 64;
    const int32_t y0 = pair_output(x0, m, k, code, lo, hi, sign, clamp), y1 = pair_output(x1, m, k, code, lo, hi, sign, clamp);
    const int32_t y2 = pair_output(x2, m, k, code, lo, hi, sign, clamp), y3 = pair_output(x3, m, k, code, lo, hi, sign, clamp);
    o[0] = (int8_t)y0;
    o[step] = (int8_t)y1;
    o += 2 * step;
    o[0] = (int8_t)y2;
    o[step] = (int8_t)y3;
}

/* One channel pair of a sub-block of four pixels (stream from f): its outputs at o0 (channel 0) and o1. */
TINYC_INLINE void pair_of4(const uint32_t *f, const uint32_t *scratch, int32_t words, int8_t *o0, int8_t *o1, int32_t step, int32_t base, int32_t lo, int32_t hi,
                           const int sign, const int clamp)
{
    const uint32_t bw0 = f[0], bw1 = f[1];
    const pair_acc t = pair_sums4(f + 2, scratch, words, (int32_t)bw0 >> 8, (int32_t)(bw1 & ~0xFFu));
    const uint32_t *q = f + 2 + words;
    pair_store4(o0, step, base, f[0], (int32_t)q[0], t.a0 << 8, t.a1 << 8, t.a2 << 8, t.a3 << 8, lo, hi, sign, clamp);
    pair_store4(o1, step, base, f[1], (int32_t)q[1], t.b0, t.b1, t.b2, t.b3, lo, hi, sign, clamp);
}

/*
 * Every output channel of a sub-block of four pixels: the stream's pairs
 * (their channels 2k and 2k + 1, or as j->order lists them), then the
 * constant channels (j->order's last; their bytes follow the pairs).
 */
TINYC_INLINE void pair_channels4(const pair_job *j, const int sign, const int clamp)
{
    const uint32_t *f = j->stream, *const scratch = j->scratch;
    const int16_t *order = j->order;
    int8_t *const out = j->out;
    const int32_t words = j->words, pairs = j->pairs, step = j->step, base = j->base, lo = j->act_min, hi = j->act_max;
    const uint32_t *const end = f + pairs * (words + 4);
    int8_t *o = out;
    int32_t k;
    for (; f != end; f += words + 4, o += 2) {
        int8_t *o0 = o, *o1 = o + 1;
        if (order) o0 = out + order[0], o1 = out + order[1], order += 2;
        pair_of4(f, scratch, words, o0, o1, step, base, lo, hi, sign, clamp);
    }
    for (k = 0; k < j->constants; k++) {
        int8_t *c = out + order[k];
        const int8_t v = (int8_t)f[k];
        c[0] = v, c[step] = v, c[2 * step] = v, c[3 * step] = v;
    }
}

/* The sums of two channel pairs (streams f and g) over one pixel: each pair's channel 0 (a, c) and channel 1, 256 times (b, d). */
typedef struct {
    int32_t a, b, c, d;
} pair_acc1;

/* One pair word of a pixel (x) by two pairs' filter words v and u. */
TINYC_INLINE void pair_word2(pair_acc1 *t, uint32_t x, uint32_t v, uint32_t u)
{
    t->a = tinyc_smlad(tinyc_sxtb16(v), x, t->a), t->b = tinyc_smlad(v & TINYC_HIGH_BYTES, x, t->b);
    t->c = tinyc_smlad(tinyc_sxtb16(u), x, t->c), t->d = tinyc_smlad(u & TINYC_HIGH_BYTES, x, t->d);
}

/*
 * Two pairs' sums over one pixel's `words` words (s), their filter words from
 * f and g, two words a step (the pixel word and both filter words loaded back
 * to back); with g == f the second pair is the first again.
 */
TINYC_INLINE pair_acc1 pair_sums1(const uint32_t *f, const uint32_t *g, const uint32_t *s, int32_t words)
{
    pair_acc1 t;
    const uint32_t *end = s + words;
    t.a = (int32_t)f[0] >> 8, t.b = (int32_t)(f[1] & ~0xFFu), t.c = (int32_t)g[0] >> 8, t.d = (int32_t)(g[1] & ~0xFFu);
    f += 2, g += 2;
    if (words & 1) pair_word2(&t, *s++, *f++, *g++);
    for (; s != end; s += 2, f += 2, g += 2) {
        pair_word2(&t, s[0], f[0], g[0]);
        pair_word2(&t, s[1], f[1], g[1]);
    }
    return t;
}

/* A pair's two outputs (stream from f) from 256 times their accumulators x0 and x1, at o0 and o1. */
TINYC_INLINE void pair_store1(const uint32_t *f, int32_t words, int32_t x0, int32_t x1, int8_t *o0, int8_t *o1, int32_t base, int32_t lo, int32_t hi, const int sign, const int clamp)
{
    const int32_t code0 = (int32_t)(f[0] & 0xFFu), code1 = (int32_t)(f[1] & 0xFFu);
    const int32_t k0 = (int32_t)((uint32_t)base << code0) + 64, k1 = (int32_t)((uint32_t)base << code1) + 64;
    const int32_t y0 = pair_output(x0, (int32_t)f[2 + words], k0, code0, lo, hi, sign, clamp);
    const int32_t y1 = pair_output(x1, (int32_t)f[3 + words], k1, code1, lo, hi, sign, clamp);
    *o0 = (int8_t)y0;
    *o1 = (int8_t)y1;
}

/* The same for one pixel: two channel pairs at a time (each filter word meets one pixel word: the pixel word meets four channels). */
TINYC_INLINE void pair_channels1(const pair_job *j, const int sign, const int clamp)
{
    const uint32_t *f = j->stream, *const scratch = j->scratch;
    const int16_t *order = j->order;
    int8_t *const out = j->out;
    const int32_t words = j->words, pairs = j->pairs, base = j->base, lo = j->act_min, hi = j->act_max, size = words + 4;
    int32_t k;
    for (k = 0; k < pairs; k += 2) {
        const int32_t two = k + 1 < pairs;
        const uint32_t *g = two ? f + size : f;
        const pair_acc1 t = pair_sums1(f, g, scratch, words);
        int8_t *o0 = out + 2 * k, *o1 = o0 + 1, *o2 = o0 + 2, *o3 = o0 + 3;
        if (order) o0 = out + order[0], o1 = out + order[1], o2 = out + order[two ? 2 : 0], o3 = out + order[two ? 3 : 1], order += two ? 4 : 2;
        pair_store1(f, words, t.a << 8, t.b, o0, o1, base, lo, hi, sign, clamp);
        if (two) pair_store1(g, words, t.c << 8, t.d, o2, o3, base, lo, hi, sign, clamp);
        f += two ? 2 * size : size;
    }
    for (k = 0; k < j->constants; k++) out[order[k]] = (int8_t)f[k];
}

/*
 * Each sub-block width and requantization a function of its own (its loop
 * gets the registers), its instructions in the order written: the loads
 * that pipeline stay back to back (GCC's scheduling after register
 * allocation would spread them between the multiplies).
 */
#if defined(__GNUC__) && !defined(__clang__)
#define TINYC_IN_ORDER __attribute__((optimize("no-schedule-insns", "no-schedule-insns2", "no-store-merging", "no-tree-slp-vectorize")))
#else
#define TINYC_IN_ORDER
#endif
#define TINYC_PAIRS_FN(name, fn, sign, clamp) \
    static TINYC_NOINLINE TINYC_IN_ORDER void name(const pair_job *j) { fn(j, sign, clamp); }
TINYC_PAIRS_FN(pairs4, pair_channels4, 1, 0)
TINYC_PAIRS_FN(pairs4_clamp, pair_channels4, 1, 1)
TINYC_PAIRS_FN(pairs4_relu, pair_channels4, 0, 0)
TINYC_PAIRS_FN(pairs4_relu_clamp, pair_channels4, 0, 1)
TINYC_PAIRS_FN(pairs1, pair_channels1, 1, 0)
TINYC_PAIRS_FN(pairs1_clamp, pair_channels1, 1, 1)
TINYC_PAIRS_FN(pairs1_relu, pair_channels1, 0, 0)
TINYC_PAIRS_FN(pairs1_relu_clamp, pair_channels1, 0, 1)

/* A sub-block's channels: one of the functions above. */
typedef void (*pair_fn)(const pair_job *j);

/* The functions of a layer's requantization: for sub-blocks of four pixels and of one. */
typedef struct {
    pair_fn four, one;
} pair_fns;

/* Where output pixel (b, oy, ox) lies. */
static int8_t *pair_out_at(const tinyc_dsp_conv_params *p, int8_t *output, int32_t b, int32_t oy, int32_t ox)
{
    return output + tinyc_dsp_row_at(p->out_ring, b, p->out_h, oy, p->out_w * p->out_stride) + ox * p->out_stride;
}

/* A pixel of the layer as (b, oy, ox), and where its output row starts. */
typedef struct {
    int32_t b, oy, ox;
    int8_t *row;
} pixel_at;

static pixel_at pixel_of(const tinyc_dsp_conv_params *p, int8_t *output, int32_t at)
{
    pixel_at r;
    r.ox = at % p->out_w, r.oy = (at / p->out_w) % p->out_h, r.b = at / (p->out_w * p->out_h);
    r.row = pair_out_at(p, output, r.b, r.oy, 0);
    return r;
}

/* The next pixel (its output row found again only when the row changes). */
static void next_pixel(const tinyc_dsp_conv_params *p, int8_t *output, pixel_at *r)
{
    if (++r->ox < p->out_w) return;
    r->ox = 0;
    if (++r->oy == p->out_h) r->oy = 0, r->b++;
    r->row = pair_out_at(p, output, r->b, r->oy, 0);
}

/* The pixel n before (run in reverse: no division). */
static void back_pixels(const tinyc_dsp_conv_params *p, int8_t *output, pixel_at *r, int32_t n)
{
    r->ox -= n;
    if (r->ox >= 0) return;
    while (r->ox < 0) {
        r->ox += p->out_w;
        if (--r->oy < 0) r->oy = p->out_h - 1, r->b--;
    }
    r->row = pair_out_at(p, output, r->b, r->oy, 0);
}

/*
 * The block of n pixels (8 or 4) from `at` (advanced past them): when their
 * outputs lie equally far apart, every sub-block of four expanded (each
 * window read) before any is multiplied; else (rows apart in a ring) each
 * pixel a block of one.
 */
TINYC_INLINE void pair_block(const tinyc_dsp_conv_params *p, pair_windows *x, pixel_at *at, int32_t n, pair_job *job, uint32_t *scratch, int8_t *output,
                             const int8_t *zeros, const pair_fns *fns)
{
    const int32_t sub_words = TINYC_SUB * x->words;
    int32_t i, s;
    int8_t *first = at->row + at->ox * p->out_stride;
    int32_t step = p->out_stride;
    if (at->ox + n - 1 < p->out_w) {
        for (s = 0; s < n; s += TINYC_SUB) {
            uint32_t *slot = scratch + (s / TINYC_SUB) * sub_words;
            for (i = pair_inside(x, at->b, at->oy, at->ox + s, slot, zeros); i < TINYC_SUB; i++) pair_pixel(x, at->b, at->oy, at->ox + s + i, slot + i, TINYC_SUB);
        }
        at->ox += n - 1;
        next_pixel(p, output, at);
    } else {
        int8_t *outs[8];
        pixel_at r = *at;
        int uniform = 1;
        for (i = 0; i < n; i++, next_pixel(p, output, &r)) outs[i] = r.row + r.ox * p->out_stride;
        step = (int32_t)(outs[1] - outs[0]);
        for (i = 2; i < n; i++) uniform &= outs[i] - outs[i - 1] == step;
        if (!uniform) {
            for (i = 0; i < n; i++, next_pixel(p, output, at)) {
                pair_pixel(x, at->b, at->oy, at->ox, scratch, 1);
                job->out = at->row + at->ox * p->out_stride;
                job->step = 0;
                fns->one(job);
            }
            return;
        }
        for (i = 0; i < n; i++, next_pixel(p, output, at)) pair_pixel(x, at->b, at->oy, at->ox, scratch + (i / TINYC_SUB) * sub_words + i % TINYC_SUB, TINYC_SUB);
    }
    job->step = step;
    for (s = 0; s < n; s += TINYC_SUB) {
        job->scratch = scratch + (s / TINYC_SUB) * sub_words;
        job->out = first + s * step;
        fns->four(job);
    }
    job->scratch = scratch;
}

/* One pixel as a block of one. */
TINYC_INLINE void pair_block1(const tinyc_dsp_conv_params *p, const pair_windows *x, const pixel_at *at, pair_job *job, uint32_t *scratch, const pair_fns *fns)
{
    pair_pixel(x, at->b, at->oy, at->ox, scratch, 1);
    job->out = at->row + at->ox * p->out_stride;
    job->step = 0;
    fns->one(job);
}

/* The pixels a call computes, from pixel `lo`: `eights` blocks of eight, then `fours` of four, then `singles` of one. */
typedef struct {
    int32_t lo, pixels, eights, fours, singles, count;
} pair_blocks;

/*
 * The pixels this call computes (all, or with row streaming those of rows
 * [row_begin, row_end)): blocks of p->block pixels (8, 4 or 1), then one
 * block of four if as many are left (blocks of eight), then each pixel left
 * a block of one.
 */
static pair_blocks pair_plan(const tinyc_dsp_conv_params *p)
{
    pair_blocks b;
    int32_t rest;
    b.lo = p->row_end > 0 ? p->row_begin * p->out_w : 0;
    b.pixels = (p->row_end > 0 ? p->row_end * p->out_w : p->batches * p->out_h * p->out_w) - b.lo;
    b.eights = p->block == 8 ? b.pixels / 8 : 0;
    rest = b.pixels - 8 * b.eights;
    b.fours = p->block == 1 ? 0 : rest / TINYC_SUB;
    b.singles = rest - TINYC_SUB * b.fours;
    b.count = b.eights + b.fours + b.singles;
    return b;
}

/* The pixels of block k. */
static int32_t pair_block_size(const pair_blocks *b, int32_t k)
{
    return k < b->eights ? 8 : k < b->eights + b->fours ? TINYC_SUB : 1;
}

/*
 * The whole layer in blocks (pair_plan), in order (pixels found one after
 * another), or last to first (reverse).
 */
static void pair_layer(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q, const int8_t *input, const uint32_t *stream, int8_t *output, uint32_t *scratch,
                       const pair_fns *fns)
{
    const pair_blocks bp = pair_plan(p);
    pair_windows windows;
    pair_job job;
    pixel_at at = {0, 0, 0, NULL};
    int8_t zeros[TINYC_ZERO_STRIP];
    int32_t i;
    memset(zeros, p->input_zero_point, sizeof zeros);
    pair_windows_init(&windows, p, input);
    job.stream = stream;
    job.scratch = scratch;
    job.order = q->order;
    job.words = windows.words;
    job.pairs = q->pairs;
    job.constants = q->order ? p->out_c - q->computed : 0;
    job.base = 2 * p->output_offset + 1;
    job.act_min = p->act_min;
    job.act_max = p->act_max;
    if (bp.count == 0) return;
    /* In reverse each block starts where the one after it started, less its own pixels. */
    at = pixel_of(p, output, bp.lo + (p->reverse ? bp.pixels - 1 : 0));
    for (i = 0; i < bp.count; i++) {
        const int32_t k = p->reverse ? bp.count - 1 - i : i, size = pair_block_size(&bp, k);
        if (p->reverse) back_pixels(p, output, &at, i == 0 ? size - 1 : size + pair_block_size(&bp, k + 1));
        if (size > 1) {
            pair_block(p, &windows, &at, size, &job, scratch, output, zeros, fns);
        } else {
            pair_block1(p, &windows, &at, &job, scratch, fns);
            next_pixel(p, output, &at);
        }
    }
}

/* The layer's entry points: one per requantization (ReLU or not, clamped or not) and block size (blocks of one only: "pairs1"). */
#define PAIR_ENTRY(name, four, one)                                                                              \
    void name(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q, const int8_t *input, const uint32_t *stream, \
              int8_t *output, uint32_t *scratch)                                                                   \
    {                                                                                                              \
        static const pair_fns fns = {four, one};                                                                   \
        pair_layer(p, q, input, stream, output, scratch, &fns);                                                    \
    }

PAIR_ENTRY(tinyc_dsp_conv2d_pairs_s8, pairs4, pairs1)
PAIR_ENTRY(tinyc_dsp_conv2d_pairs1_s8, pairs1, pairs1)
PAIR_ENTRY(tinyc_dsp_conv2d_pairs_clamp_s8, pairs4_clamp, pairs1_clamp)
PAIR_ENTRY(tinyc_dsp_conv2d_pairs1_clamp_s8, pairs1_clamp, pairs1_clamp)
PAIR_ENTRY(tinyc_dsp_conv2d_pairs_relu_s8, pairs4_relu, pairs1_relu)
PAIR_ENTRY(tinyc_dsp_conv2d_pairs1_relu_s8, pairs1_relu, pairs1_relu)
PAIR_ENTRY(tinyc_dsp_conv2d_pairs_relu_clamp_s8, pairs4_relu_clamp, pairs1_relu_clamp)
PAIR_ENTRY(tinyc_dsp_conv2d_pairs1_relu_clamp_s8, pairs1_relu_clamp, pairs1_relu_clamp)
