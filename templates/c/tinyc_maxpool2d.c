/* tinyc portable int8 max pooling over the window clipped to the image, then the activation clamp. */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

void tinyc_maxpool2d_s8(const tinyc_pool_params *p, const int8_t *input, int8_t *output)
{
    const int32_t ch = p->channels;
    int32_t b, oy, ox, c, y, x;
    for (b = 0; b < p->batches; b++) {
        const int8_t *in_b = input + b * p->in_h * p->in_w * ch;
        for (oy = 0; oy < p->out_h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_top;
            const int32_t y0 = iy0 < 0 ? -iy0 : 0;
            const int32_t y1 = p->k_h < p->in_h - iy0 ? p->k_h : p->in_h - iy0;
            for (ox = 0; ox < p->out_w; ox++) {
                const int32_t ix0 = ox * p->stride_w - p->pad_left;
                const int32_t x0 = ix0 < 0 ? -ix0 : 0;
                const int32_t x1 = p->k_w < p->in_w - ix0 ? p->k_w : p->in_w - ix0;
                for (c = 0; c < ch; c++) {
                    int32_t m = -128;
                    for (y = y0; y < y1; y++) {
                        for (x = x0; x < x1; x++) {
                            const int32_t v = in_b[((iy0 + y) * p->in_w + ix0 + x) * ch + c];
                            m = v > m ? v : m;
                        }
                    }
                    *output++ = (int8_t)tinyc_clamp(m, p->act_min, p->act_max);
                }
            }
        }
    }
}
