/*
 * tinyc portable int8 max pooling over the window clipped to the image, then
 * the activation clamp. Output elements are computed in the order
 * tinyc_kernels.h describes.
 */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

void tinyc_maxpool2d_s8(const tinyc_pool_params *p, const int8_t *input, int8_t *output)
{
    const int32_t ch = p->channels;
    const int32_t pixels = p->batches * p->out_h * p->out_w;
    int32_t i, j, y, x;
    int32_t first, count_px;
    tinyc_row_pixels(p->row_begin, p->row_end, pixels / p->out_w, p->out_w, &first, &count_px);
    for (i = 0; i < count_px; i++) {
        const int32_t pix = first + (p->reverse ? count_px - 1 - i : i);
        const int32_t ox = pix % p->out_w, oy = (pix / p->out_w) % p->out_h, b = pix / (p->out_w * p->out_h);
        int8_t *out = output + tinyc_row_at(p->out_ring, b, p->out_h, oy, p->out_w * p->out_stride) + ox * p->out_stride;
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        const int32_t y0 = iy0 < 0 ? -iy0 : 0;
        const int32_t y1 = p->k_h < p->in_h - iy0 ? p->k_h : p->in_h - iy0;
        const int32_t ix0 = ox * p->stride_w - p->pad_left;
        const int32_t x0 = ix0 < 0 ? -ix0 : 0;
        const int32_t x1 = p->k_w < p->in_w - ix0 ? p->k_w : p->in_w - ix0;
        for (j = 0; j < ch; j++) {
            const int32_t c = p->reverse ? ch - 1 - j : j;
            int32_t m = -128;
            for (y = y0; y < y1; y++) {
                for (x = x0; x < x1; x++) {
                    const int32_t v = input[tinyc_row_at(p->in_ring, b, p->in_h, iy0 + y, p->in_w * ch) + (ix0 + x) * ch + c];
                    m = v > m ? v : m;
                }
            }
            out[c] = (int8_t)tinyc_clamp(m, p->act_min, p->act_max);
        }
    }
}
