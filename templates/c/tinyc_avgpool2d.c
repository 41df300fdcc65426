/*
 * tinyc portable int8 average pooling: the window is clipped to the image and
 * the average rounds half away from zero, as TensorFlow Lite's reference does.
 */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

void tinyc_avgpool2d_s8(const tinyc_pool_params *p, const int8_t *input, int8_t *output)
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
                const int32_t count = (y1 - y0) * (x1 - x0);
                for (c = 0; c < ch; c++) {
                    int32_t acc = 0;
                    for (y = y0; y < y1; y++) {
                        for (x = x0; x < x1; x++) {
                            acc += in_b[((iy0 + y) * p->in_w + ix0 + x) * ch + c];
                        }
                    }
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    *output++ = (int8_t)tinyc_clamp(acc, p->act_min, p->act_max);
                }
            }
        }
    }
}
