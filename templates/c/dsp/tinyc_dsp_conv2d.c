/*
 * tinyc DSP int8 convolution: im2col of eight output pixels (four for a short
 * tail) into int16 scratch, then a matrix multiply with SMLAD, one output
 * channel by the block's pixels at a time (see tinyc_dsp.h for the layouts).
 * Bit-exact with TFLite's ConvPerChannel.
 *
 * The filter's taps are laid out row by row of the window, each row padded
 * with zero weights to row_taps taps (a multiple of 4), so
 * that a window row inside the image is one contiguous run of input bytes
 * expanded a word at a time.
 *
 * Lanes: a filter word's bytes (0, 2) are taken with SXTB16 and bytes (1, 3)
 * with an AND that leaves them 256 times their value, so the scratch holds
 * the input's taps (0, 2) of each group of 4 times 256 and taps (1, 3) as
 * they are: every product is 256 times the true one, and the sums are shifted
 * back by 7 (to twice the true sum) before the requantization. The compiler
 * checks that the scaled sums fit in 32 bits.
 */
#include "tinyc_dsp.h"

/* Pixels of a full block, and of the block that ends a layer when few are left. */
#define TINYC_BLOCK 8
#define TINYC_TAIL 4
/* At most this many pixels left: each its own block of one. */
#define TINYC_SINGLES 2

/*
 * The scratch of a block of n pixels is uint32 words: per group of 4 taps,
 * for each pixel, its lanes (0, 2) * 256 and (1, 3). Byte offset of tap k of
 * pixel `which`.
 */
#define TINYC_TAP_BYTE(k, which, n) ((((k) >> 2) * 2 * (n) + (which) * 2 + ((k) & 1)) * 4 + (((k) >> 1) & 1) * 2)

static inline void put_tap(uint32_t *scratch, int32_t k, int32_t which, int32_t n, int32_t v)
{
    const int16_t h = (int16_t)((k & 1) ? v : v * 256);
    memcpy((char *)scratch + TINYC_TAP_BYTE(k, which, n), &h, 2);
}

/* The two scratch words of input bytes x (taps 0 to 3 of a group). */
static inline void put_word(uint32_t *dst, uint32_t x, uint32_t high_bytes)
{
    dst[0] = (x << 8) & high_bytes;
    dst[1] = tinyc_sxtb16((x >> 8) | (x << 24));
}

/*
 * Expands n input bytes to taps k0.. (k0 a multiple of 4): whole words, then
 * the last 1 to 3 bytes, as a word too when it stays inside the input (`end`:
 * its end; the taps past the n multiply zero weights), else one by one.
 */
static void expand_run(const int8_t *px, int32_t n, uint32_t *scratch, int32_t k0, int32_t which, int32_t pixels, uint32_t high_bytes, const int8_t *end)
{
    uint32_t *dst = scratch + (k0 >> 2) * 2 * pixels + which * 2;
    int32_t c;
    for (c = 0; c + 4 <= n; c += 4) {
        put_word(dst, tinyc_read4(px + c), high_bytes);
        dst += 2 * pixels;
    }
    if (c < n && end - (px + c) >= 4) {
        put_word(dst, tinyc_read4(px + c), high_bytes);
        return;
    }
    for (; c < n; c++) {
        put_tap(scratch, k0 + c, which, pixels, px[c]);
    }
}

/* What the expansion of every window of a layer shares, computed once per call. */
typedef struct {
    const int8_t *input, *end;
    int32_t in_h, in_w, in_c, k_h, k_w, dil_h, dil_w, stride_h, stride_w, pad_top, pad_left;
    int32_t row_taps, run, zp;
    int32_t image;     /* bytes of one batch of the input */
    int32_t ring;      /* rows of the input's ring (row streaming), or 0: whole */
    int32_t row_bytes; /* bytes of one input row */
    int32_t row_step;  /* bytes from one window row to the next */
    int32_t row_words; /* scratch words from one window row's first tap to the next's, per pixel of the block: row_taps / 4 * 2 */
    int32_t span_h, span_w; /* (k - 1) * dilation */
    uint32_t high_bytes;
} window_expander;

static void window_expander_init(window_expander *x, const tinyc_dsp_conv_params *p, const int8_t *input, uint32_t high_bytes)
{
    x->input = input;
    x->ring = p->in_ring;
    x->row_bytes = p->in_w * p->in_c;
    x->end = input + (p->in_ring > 0 ? p->in_ring : p->batches * p->in_h) * p->in_w * p->in_c;
    x->in_h = p->in_h, x->in_w = p->in_w, x->in_c = p->in_c, x->k_h = p->k_h, x->k_w = p->k_w;
    x->dil_h = p->dil_h, x->dil_w = p->dil_w, x->stride_h = p->stride_h, x->stride_w = p->stride_w;
    x->pad_top = p->pad_top, x->pad_left = p->pad_left;
    x->row_taps = p->row_taps, x->run = p->k_w * p->in_c, x->zp = p->input_zero_point;
    x->image = p->in_h * p->in_w * p->in_c;
    x->row_step = p->dil_h * p->in_w * p->in_c;
    x->row_words = (p->row_taps >> 2) * 2;
    x->span_h = (p->k_h - 1) * p->dil_h, x->span_w = (p->k_w - 1) * p->dil_w;
    x->high_bytes = high_bytes;
}

/* The window of output pixel (b, oy, ox) into the scratch, as pixel `which` of a block of `pixels`. */
static void expand_pixel(const window_expander *x, int32_t b, int32_t oy, int32_t ox, uint32_t *scratch, int32_t which, int32_t pixels)
{
    const int32_t in_h = x->in_h, in_w = x->in_w, in_c = x->in_c, k_w = x->k_w, dil_w = x->dil_w, row_taps = x->row_taps;
    const int32_t iy0 = oy * x->stride_h - x->pad_top, ix0 = ox * x->stride_w - x->pad_left;
    const int32_t zp = x->zp, run = x->run;
    const int32_t whole = ix0 >= 0 && ix0 + x->span_w < in_w;
    const int8_t *in_b = x->input + b * x->image;
    int32_t ky, kx, c, k;
    if (x->ring > 0 && whole && dil_w == 1 && iy0 >= 0 && iy0 + x->span_h < in_h) {
        /* The same from a ring of input rows: each window row where its slot is, a word at a time where the input lasts. */
        const int32_t words = (run + 3) >> 2, step = 2 * pixels;
        for (ky = 0; ky < x->k_h; ky++) {
            const int8_t *row = x->input + tinyc_dsp_row_at(x->ring, 0, in_h, iy0 + ky * x->dil_h, x->row_bytes) + ix0 * in_c;
            if (x->end - row >= 4 * words) {
                uint32_t *d = scratch + which * 2 + ky * x->row_words * pixels;
                int32_t w;
                for (w = 0; w < words; w++, d += step) put_word(d, tinyc_read4(row + 4 * w), x->high_bytes);
            } else {
                expand_run(row, run, scratch, ky * row_taps, which, pixels, x->high_bytes, x->end);
            }
        }
        return;
    }
    if (whole && dil_w == 1 && iy0 >= 0 && iy0 + x->span_h < in_h) {
        /*
         * The whole window inside the image: each of its rows one run of
         * bytes, expanded a word at a time (a last partial word read whole,
         * its extra taps multiplying zero weights) when the last row's last
         * word stays inside the input.
         */
        const int8_t *row = in_b + (iy0 * in_w + ix0) * in_c;
        const int32_t words = (run + 3) >> 2, step = 2 * pixels;
        if (x->end - row >= x->span_h * in_w * in_c + 4 * words) {
            uint32_t *dst = scratch + which * 2;
            const uint32_t high_bytes = x->high_bytes;
            for (ky = 0; ky < x->k_h; ky++, row += x->row_step, dst += x->row_words * pixels) {
                uint32_t *d = dst;
                int32_t w;
                for (w = 0; w < words; w++, d += step) put_word(d, tinyc_read4(row + 4 * w), high_bytes);
            }
            return;
        }
        for (ky = 0; ky < x->k_h; ky++, row += x->row_step) {
            expand_run(row, run, scratch, ky * row_taps, which, pixels, x->high_bytes, x->end);
        }
        return;
    }
    for (ky = 0; ky < x->k_h; ky++) {
        const int32_t iy = iy0 + ky * x->dil_h;
        const int32_t k_row = ky * row_taps;
        const int8_t *row = iy < 0 || iy >= in_h ? in_b : x->input + tinyc_dsp_row_at(x->ring, b, in_h, iy, x->row_bytes) + ix0 * in_c;
        if (iy < 0 || iy >= in_h) {
            for (k = 0; k < run; k++) {
                put_tap(scratch, k_row + k, which, pixels, zp);
            }
        } else if (whole && dil_w == 1) {
            expand_run(row, run, scratch, k_row, which, pixels, x->high_bytes, x->end);
        } else {
            for (kx = 0; kx < k_w; kx++) {
                const int32_t ix = ix0 + kx * dil_w;
                const int32_t kk = k_row + kx * in_c;
                if (ix >= 0 && ix < in_w && (in_c & 3) == 0) {
                    expand_run(row + kx * dil_w * in_c, in_c, scratch, kk, which, pixels, x->high_bytes, x->end);
                } else {
                    for (c = 0; c < in_c; c++) {
                        put_tap(scratch, kk + c, which, pixels, ix >= 0 && ix < in_w ? row[kx * dil_w * in_c + c] : zp);
                    }
                }
            }
        }
    }
}

/* A 1x1 window without padding whose channels are a multiple of 4: its input pixel's words, nothing else. */
static void expand_point(const int8_t *px, int32_t in_c, uint32_t *scratch, int32_t which, int32_t pixels, uint32_t high_bytes)
{
    uint32_t *dst = scratch + which * 2;
    int32_t c;
    for (c = 0; c < in_c; c += 4) {
        put_word(dst, tinyc_read4(px + c), high_bytes);
        dst += 2 * pixels;
    }
}

/* Taps that only pad (each row's beyond k_w * in_c, and those past the last row) multiply zero weights: zero them once. */
static void clear_padding(const tinyc_dsp_conv_params *p, uint32_t *scratch, int32_t pixels)
{
    const int32_t run = p->k_w * p->in_c, row_taps = p->row_taps;
    int32_t ky, k, which;
    for (ky = 0; ky <= p->k_h; ky++) {
        /* Each window row's taps past its run, then (ky = k_h) every tap past the last row. */
        const int32_t first = ky < p->k_h ? ky * row_taps + run : ky * row_taps, last = ky < p->k_h ? (ky + 1) * row_taps : p->depth;
        for (k = first; k < last; k++) {
            for (which = 0; which < pixels; which++) put_tap(scratch, k, which, pixels, 0);
        }
    }
}

/* What every channel of a block shares. */
typedef struct {
    const uint32_t *scratch;
    int32_t octets;
    int32_t output_offset, act_min, act_max;
    int8_t *out[TINYC_BLOCK];
} block_job;

/* Sum j of the block: a filter word's lanes (e, o) times pixel j's scratch words. */
#define TINYC_MAC(a, j, n) a = tinyc_smlad(o, s[2 * (j) + 1], tinyc_smlad(e, s[2 * (j)], a))

/* The same, starting sum j. */
#define TINYC_MAC0(a, j) a = tinyc_smlad(o, s[2 * (j) + 1], tinyc_smuad(e, s[2 * (j)]))

/* Lane extraction of filter word w (see the top of this file). */
#define TINYC_LANES(w) e = tinyc_sxtb16(w), o = (w) & 0xFF00FF00u

static int32_t requantize_general(const block_job *j, int32_t sum, int32_t bias, int32_t mult, int32_t shift)
{
    return tinyc_dsp_clamp(tinyc_dsp_requantize((int32_t)((uint32_t)(sum >> 8) + (uint32_t)bias), mult, shift) + j->output_offset,
                           j->act_min, j->act_max);
}

/*
 * The requantization of a channel's sums a[0..n-1] and their stores at
 * offset oc of each pixel's output. A right shift (code e >= 1): the scaled
 * sums >> 7 are twice the sums and the bias is doubled in the table
 * (tinyc_dsp_requantize_right), then the activation's clamp; else TFLite's
 * requantization for shift code + 64 (see tinyc_dsp_quant). `fast`: 1 when
 * every channel folds and the clamp is SSAT's, 2 when every channel folds
 * and the clamp is narrower, 0 otherwise.
 */
#define TINYC_STORE(j, n, a, oc, bm, code, fast)                                                             \
    do {                                                                                                     \
        const int32_t bias_ = (bm)[0], mult_ = (bm)[1], code_ = (code);                                      \
        int32_t y_[n];                                                                                       \
        int32_t i_;                                                                                          \
        /* Every output into a register first: a byte store could alias whatever the loop reads. */         \
        if ((fast) || (code_ > 0 && code_ <= TINYC_DSP_FOLD_MAX)) {                                          \
            /* e <= TINYC_DSP_FOLD_MAX here: the output offset is folded into the rounding term. */          \
            const int32_t c_ = (int32_t)((((uint32_t)1 << code_) >> 1) + ((uint32_t)(j)->output_offset << code_)); \
            TINYC_UNROLL8                                                                                    \
            for (i_ = 0; i_ < (n); i_++) {                                                                   \
                const int32_t x_ = (int32_t)((uint32_t)((a)[i_] >> 7) + (uint32_t)bias_);                    \
                y_[i_] = (fast) == 1 ? tinyc_dsp_requantize_right(x_, mult_, c_, code_, 0)                   \
                                     : tinyc_dsp_clamp(tinyc_dsp_requantize_right_wide(x_, mult_, c_, code_, 0), (j)->act_min, (j)->act_max); \
            }                                                                                                \
        } else if (code_ > 0) {                                                                              \
            const int32_t c_ = tinyc_dsp_rounding(code_, 0);                                                 \
            for (i_ = 0; i_ < (n); i_++)                                                                     \
                y_[i_] = tinyc_dsp_clamp(tinyc_dsp_requantize_right_wide((int32_t)((uint32_t)((a)[i_] >> 7) + (uint32_t)bias_), mult_, c_, code_, (j)->output_offset), (j)->act_min, (j)->act_max); \
        } else {                                                                                             \
            for (i_ = 0; i_ < (n); i_++) y_[i_] = requantize_general((j), (a)[i_], bias_, mult_, code_ + 64); \
        }                                                                                                    \
        TINYC_UNROLL8                                                                                        \
        for (i_ = 0; i_ < (n); i_++) (j)->out[i_][oc] = (int8_t)y_[i_];                                    \
    } while (0)

/* A channel whose output is the same byte v whatever the input (code 0): no filter words, no sums. */
#define TINYC_CONSTANT(j, n, oc, v)                                      \
    do {                                                                 \
        int32_t i_;                                                      \
        for (i_ = 0; i_ < (n); i_++) (j)->out[i_][oc] = (int8_t)(v);     \
    } while (0)

/*
 * Every output channel of a block of eight pixels. Scheduling before register
 * allocation is off here: it hoists the scratch loads and spills the eight
 * sums (and with it off GCC pairs the loads into LDRD).
 */
TINYC_INLINE void block_channels(const block_job *j, const uint32_t *f, int32_t out_c, const int32_t *bm, const int8_t *codes, const int fast)
{
    int32_t oc;
    for (oc = 0; oc < out_c; oc++, bm += 2) {
        const uint32_t *s = j->scratch, *end = f + 2 * j->octets;
        int32_t a[TINYC_BLOCK];
        if (codes[oc] == 0) {
            TINYC_CONSTANT(j, TINYC_BLOCK, oc, bm[0]);
            continue;
        }
        int32_t a0, a1, a2, a3, a4, a5, a6, a7;
        {
            /* The first filter word starts the sums (the depth is at least 8: two words). */
            const uint32_t w = *f++;
            uint32_t e, o;
            TINYC_LANES(w);
            TINYC_MAC0(a0, 0);
            TINYC_MAC0(a1, 1);
            TINYC_MAC0(a2, 2);
            TINYC_MAC0(a3, 3);
            TINYC_MAC0(a4, 4);
            TINYC_MAC0(a5, 5);
            TINYC_MAC0(a6, 6);
            TINYC_MAC0(a7, 7);
            s += 2 * TINYC_BLOCK;
        }
        while (f < end) {
            const uint32_t w = *f++;
            uint32_t e, o;
            TINYC_LANES(w);
            TINYC_MAC(a0, 0, 8);
            TINYC_MAC(a1, 1, 8);
            TINYC_MAC(a2, 2, 8);
            TINYC_MAC(a3, 3, 8);
            TINYC_MAC(a4, 4, 8);
            TINYC_MAC(a5, 5, 8);
            TINYC_MAC(a6, 6, 8);
            TINYC_MAC(a7, 7, 8);
            s += 2 * TINYC_BLOCK;
        }
        a[0] = a0, a[1] = a1, a[2] = a2, a[3] = a3, a[4] = a4, a[5] = a5, a[6] = a6, a[7] = a7;
        TINYC_STORE(j, TINYC_BLOCK, a, oc, bm, codes[oc], fast);
    }
}

/* The same for a tail block of four pixels. */
TINYC_INLINE void tail_channels(const block_job *j, const uint32_t *f, int32_t out_c, const int32_t *bm, const int8_t *codes, const int fast)
{
    int32_t oc;
    for (oc = 0; oc < out_c; oc++, bm += 2) {
        const uint32_t *s = j->scratch, *end = f + 2 * j->octets;
        int32_t a[TINYC_TAIL];
        if (codes[oc] == 0) {
            TINYC_CONSTANT(j, TINYC_TAIL, oc, bm[0]);
            continue;
        }
        int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        /* Two filter words (eight taps: the depth is a multiple of 8) a step. */
        while (f < end) {
            const uint32_t w0 = f[0], w1 = f[1];
            uint32_t e, o;
            TINYC_LANES(w0);
            TINYC_MAC(a0, 0, 4);
            TINYC_MAC(a1, 1, 4);
            TINYC_MAC(a2, 2, 4);
            TINYC_MAC(a3, 3, 4);
            TINYC_LANES(w1);
            TINYC_MAC(a0, 4, 4);
            TINYC_MAC(a1, 5, 4);
            TINYC_MAC(a2, 6, 4);
            TINYC_MAC(a3, 7, 4);
            f += 2;
            s += 4 * TINYC_TAIL;
        }
        a[0] = a0, a[1] = a1, a[2] = a2, a[3] = a3;
        TINYC_STORE(j, TINYC_TAIL, a, oc, bm, codes[oc], fast);
    }
}

/* The same for a single pixel (the last one or two of a layer). */
TINYC_INLINE void single_channels(const block_job *j, const uint32_t *f, int32_t out_c, const int32_t *bm, const int8_t *codes, const int fast)
{
    int32_t oc;
    for (oc = 0; oc < out_c; oc++, bm += 2) {
        const uint32_t *s = j->scratch, *end = f + 2 * j->octets;
        int32_t a[1];
        int32_t a0 = 0;
        if (codes[oc] == 0) {
            TINYC_CONSTANT(j, 1, oc, bm[0]);
            continue;
        }
        /* Two filter words (eight taps: the depth is a multiple of 8) a step. */
        while (f < end) {
            const uint32_t w0 = f[0], w1 = f[1];
            uint32_t e, o;
            TINYC_LANES(w0);
            TINYC_MAC(a0, 0, 1);
            TINYC_LANES(w1);
            TINYC_MAC(a0, 1, 1);
            f += 2;
            s += 4;
        }
        a[0] = a0;
        TINYC_STORE(j, 1, a, oc, bm, codes[oc], fast);
    }
}

/* Each block size a function of its own (its loop gets the registers), `fast` as in TINYC_STORE. */
#define TINYC_BLOCK_FN(name, body, fast)                                                                                        \
    static TINYC_NOINLINE TINYC_NO_PRESCHEDULE void name(const block_job *j, const uint32_t *f, int32_t out_c, const int32_t *bm, \
                                                         const int8_t *codes)                                                   \
    {                                                                                                                           \
        body(j, f, out_c, bm, codes, fast);                                                                                     \
    }
TINYC_BLOCK_FN(block8, block_channels, 0)
TINYC_BLOCK_FN(block8_fast, block_channels, 1)
TINYC_BLOCK_FN(block4, tail_channels, 0)
TINYC_BLOCK_FN(block4_fast, tail_channels, 1)
TINYC_BLOCK_FN(block1, single_channels, 0)
TINYC_BLOCK_FN(block1_fast, single_channels, 1)
TINYC_BLOCK_FN(block8_clamp, block_channels, 2)
TINYC_BLOCK_FN(block4_clamp, tail_channels, 2)
TINYC_BLOCK_FN(block1_clamp, single_channels, 2)

/* The whole layer; `fast` (TINYC_STORE's) is a constant of each entry point below, so a build links only the block variants it uses. */
TINYC_INLINE void conv_layer(const tinyc_dsp_conv_params *p, const tinyc_dsp_quant *q,
                             const int8_t *input, const uint32_t *filter, int8_t *output, uint32_t *scratch, const int fast)
{
    const int32_t out_h = p->out_h, out_w = p->out_w;
    /* The pixels this call computes: all, or (row streaming) those of rows [row_begin, row_end). */
    const int32_t lo = p->row_end > 0 ? p->row_begin * out_w : 0;
    const int32_t pixels = (p->row_end > 0 ? p->row_end * out_w : p->batches * out_h * out_w) - lo;
    /*
     * Full blocks of `size` pixels (p->block), then what is left: with blocks
     * of eight, more than four pixels a full block repeating the last pixel,
     * three or four a block of four; with blocks of four, three pixels a full
     * block; one or two, a block of one each.
     */
    const int32_t size = p->block > 0 ? p->block : TINYC_BLOCK;
    const int32_t rest = pixels % size;
    const int32_t full = pixels / size + (rest > (size > TINYC_TAIL ? TINYC_TAIL : TINYC_SINGLES));
    const int32_t singles = rest > 0 && rest <= TINYC_SINGLES ? rest : 0;
    const int32_t blocks = full + (size > TINYC_TAIL && rest > TINYC_SINGLES && rest <= TINYC_TAIL) + singles;
    const int32_t out_stride = p->out_stride;
    const uint32_t high_bytes = q->high_bytes;
    const int32_t point = p->k_h == 1 && p->k_w == 1 && p->pad_top == 0 && p->pad_left == 0 && (p->in_c & 3) == 0;
    int32_t i, j, cleared = 0;
    block_job job;
    window_expander windows;
    window_expander_init(&windows, p, input, high_bytes);
    job.scratch = scratch;
    job.octets = p->depth >> 3;
    job.output_offset = p->output_offset;
    job.act_min = p->act_min;
    job.act_max = p->act_max;
    for (i = 0; i < blocks; i++) {
        const int32_t block = p->reverse ? blocks - 1 - i : i;
        const int32_t n = block < full ? size : (singles ? 1 : TINYC_TAIL);
        /* The block's first pixel: blocks of one follow the full ones one pixel apart. */
        const int32_t first = block < full || !singles ? size * block : size * full + (block - full);
        if (cleared != n) {
            clear_padding(p, scratch, n);
            cleared = n;
        }
        /* The block's first pixel's coordinates, then one step at a time. */
        int32_t ox = (lo + first) % out_w, oy = ((lo + first) / out_w) % out_h, b = (lo + first) / (out_w * out_h);
        for (j = 0; j < n; j++) {
            /* Past the last pixel, the last pixel again: computed twice, written twice to the same bytes. */
            if (j > 0 && first + j < pixels && ++ox == out_w) {
                ox = 0;
                if (++oy == out_h) {
                    oy = 0;
                    b++;
                }
            }
            if (point) {
                expand_point(input + tinyc_dsp_row_at(p->in_ring, b, p->in_h, oy * p->stride_h, p->in_w * p->in_c) + ox * p->stride_w * p->in_c, p->in_c, scratch, j, n, high_bytes);
            } else {
                expand_pixel(&windows, b, oy, ox, scratch, j, n);
            }
            job.out[j] = output + tinyc_dsp_row_at(p->out_ring, b, out_h, oy, out_w * out_stride) + ox * out_stride;
        }
        if (n == TINYC_BLOCK) {
            (fast == 2 ? block8_clamp : fast ? block8_fast : block8)(&job, filter, p->out_c, q->bias_mult, q->shift);
        } else if (n == TINYC_TAIL) {
            (fast == 2 ? block4_clamp : fast ? block4_fast : block4)(&job, filter, p->out_c, q->bias_mult, q->shift);
        } else {
            (fast == 2 ? block1_clamp : fast ? block1_fast : block1)(&job, filter, p->out_c, q->bias_mult, q->shift);
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
