/*
 * tinyc DSP int8 average pooling: four channels a word at a time, their
 * window sums in the int16 lanes of two words (SXTAB16 adds bytes 0 and 2,
 * or 1 and 3, of an input word to them; the compiler sends windows of more
 * than 256 cells, whose sums could leave int16, to the portable kernel), then
 * TFLite's rounding division by the number of cells inside the image as one
 * multiply (see pool_average). Bit-exact with TFLite's reference AveragePool.
 *
 * Order (the planner's overlap margins rely on it): output pixels in order,
 * each pixel's channels four at a time, then one at a time; reverse = 1 runs
 * exactly the reverse (pixels last to first, a pixel's groups last to first).
 */
#include "tinyc_dsp.h"

/* Window rows a pixel's pointers are kept for (the compiler sends taller windows to the portable kernel). */
#define TINYC_POOL_ROWS 16

/*
 * What the division of one pixel's sums needs: its cells inside the image c,
 * (for c > 1) the reciprocal ceil(2^32 / c), and the constant 256 c +
 * c / 2 - (1 when c is even) (see pool_average).
 */
typedef struct {
    uint32_t recip, base;
    int32_t even, one, lo, hi;
} pool_divisor;

static pool_divisor pool_divisor_of(int32_t c, int32_t act_min, int32_t act_max)
{
    pool_divisor d;
    d.one = c == 1;
    d.recip = c > 1 ? 0xFFFFFFFFu / (uint32_t)c + 1u : 0u;
    d.even = (c & 1) == 0;
    d.base = (uint32_t)(256 * c + c / 2 - d.even);
    d.lo = act_min + 256, d.hi = act_max + 256;
    return d;
}

/*
 * TFLite's average of a window sum s over c cells: s > 0 ? (s + c/2) / c :
 * (s - c/2) / c, C division truncating towards zero. For s' = s + 256 c > 0
 * that is floor((s' + k) / c) - 256 with k = c/2, or c/2 - 1 when c is even
 * and s <= 0 (the same for odd c): one UMULL by ceil(2^32 / c), exact while
 * (s' + k) c < 2^32 (c < 3344; windows here hold at most 256 cells). The
 * result, 256 more than the output, has the output as its low byte; the
 * activation's clamp applies to it shifted by 256 as well.
 */
TINYC_INLINE int32_t pool_average(const pool_divisor *d, int32_t s, const int clamp)
{
    uint32_t m = (uint32_t)s + d->base;
    int32_t y;
    if (d->even) m += (0u - (uint32_t)s) >> 31;
    y = d->one ? (int32_t)m : (int32_t)(((uint64_t)m * d->recip) >> 32);
    return clamp ? tinyc_dsp_clamp(y, d->lo, d->hi) : y;
}

/* One output pixel's window: its rows (`rows` of them, each from its first cell) and cells per row. */
typedef struct {
    const int8_t *row[TINYC_POOL_ROWS];
    int32_t rows, cols, step;
} pool_window;

/* Channels c .. c + 3 of a pixel: the window's words summed two lanes at a time, then the four averages. */
TINYC_INLINE void pool_group4(const pool_window *w, const pool_divisor *d, int32_t c, int8_t *out, const int clamp)
{
    uint32_t s02 = 0, s13 = 0;
    int32_t y, x;
    for (y = 0; y < w->rows; y++) {
        const int8_t *px = w->row[y] + c;
        for (x = 0; x < w->cols; x++, px += w->step) {
            const uint32_t v = tinyc_read4(px);
            s02 = tinyc_sxtab16(s02, v);
            s13 = tinyc_sxtab16(s13, v >> 8);
        }
    }
    {
        const int32_t y0 = pool_average(d, (int16_t)(s02 & 0xFFFFu), clamp), y1 = pool_average(d, (int16_t)(s13 & 0xFFFFu), clamp);
        const int32_t y2 = pool_average(d, (int32_t)s02 >> 16, clamp), y3 = pool_average(d, (int32_t)s13 >> 16, clamp);
        out[c] = (int8_t)y0, out[c + 1] = (int8_t)y1, out[c + 2] = (int8_t)y2, out[c + 3] = (int8_t)y3;
    }
}

/* Channel c alone. */
TINYC_INLINE void pool_single(const pool_window *w, const pool_divisor *d, int32_t c, int8_t *out, const int clamp)
{
    int32_t s = 0, y, x;
    for (y = 0; y < w->rows; y++) {
        const int8_t *px = w->row[y] + c;
        for (x = 0; x < w->cols; x++, px += w->step) s += *px;
    }
    out[c] = (int8_t)pool_average(d, s, clamp);
}

/* Every channel of one pixel: groups of four, then the channels left one at a time (in reverse: last to first). */
TINYC_INLINE void pool_pixel(const pool_window *w, const pool_divisor *d, int32_t channels, int32_t reverse, int8_t *out, const int clamp)
{
    const int32_t quads = channels >> 2, groups = channels - 3 * quads;
    int32_t t;
    for (t = 0; t < groups; t++) {
        const int32_t g = reverse ? groups - 1 - t : t;
        if (g < quads) pool_group4(w, d, 4 * g, out, clamp);
        else pool_single(w, d, 3 * quads + g, out, clamp);
    }
}

/* The window of output pixel (b, oy, ox), clipped to the image; returns its cells. */
static int32_t pool_window_of(const tinyc_dsp_pool_params *p, const int8_t *input, int32_t b, int32_t oy, int32_t ox, pool_window *w)
{
    const int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
    const int32_t y0 = iy0 < 0 ? 0 : iy0, y1 = iy0 + p->k_h < p->in_h ? iy0 + p->k_h : p->in_h;
    const int32_t x0 = ix0 < 0 ? 0 : ix0, x1 = ix0 + p->k_w < p->in_w ? ix0 + p->k_w : p->in_w;
    int32_t y;
    w->rows = y1 - y0, w->cols = x1 - x0, w->step = p->channels;
    for (y = y0; y < y1; y++) w->row[y - y0] = input + tinyc_dsp_row_at(p->in_ring, b, p->in_h, y, p->in_w * p->channels) + x0 * p->channels;
    return w->rows * w->cols;
}

TINYC_INLINE void avgpool(const tinyc_dsp_pool_params *p, const int8_t *input, int8_t *output, const int clamp)
{
    const int32_t first = p->row_end > 0 ? p->row_begin * p->out_w : 0;
    const int32_t count = (p->row_end > 0 ? p->row_end * p->out_w : p->batches * p->out_h * p->out_w) - first;
    int32_t i;
    for (i = 0; i < count; i++) {
        const int32_t pix = first + (p->reverse ? count - 1 - i : i);
        const int32_t ox = pix % p->out_w, oy = (pix / p->out_w) % p->out_h, b = pix / (p->out_w * p->out_h);
        int8_t *out = output + tinyc_dsp_row_at(p->out_ring, b, p->out_h, oy, p->out_w * p->out_stride) + ox * p->out_stride;
        pool_window w;
        const pool_divisor d = pool_divisor_of(pool_window_of(p, input, b, oy, ox, &w), p->act_min, p->act_max);
        pool_pixel(&w, &d, p->channels, p->reverse, out, clamp);
    }
}

void tinyc_dsp_avgpool2d_s8(const tinyc_dsp_pool_params *p, const int8_t *input, int8_t *output)
{
    avgpool(p, input, output, 0);
}

void tinyc_dsp_avgpool2d_clamp_s8(const tinyc_dsp_pool_params *p, const int8_t *input, int8_t *output)
{
    avgpool(p, input, output, 1);
}
