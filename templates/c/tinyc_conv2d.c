/*
 * tinyc portable int8 convolution (NHWC input, OHWI filter, per-channel
 * requantization). The input offset is applied through the sum of the filter
 * taps inside the image, which equals adding it to every input value. Output
 * elements are computed in the order tinyc_kernels.h describes.
 */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

void tinyc_conv2d_s8(const tinyc_conv_params *p, const int32_t *mult, const int32_t *shift,
                     const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output)
{
    const int32_t in_c = p->in_c, out_c = p->out_c;
    const int32_t taps = p->k_h * p->k_w * in_c;
    const int32_t pixels = p->batches * p->out_h * p->out_w;
    int32_t i, j, ky, kx, ic;
    for (i = 0; i < pixels; i++) {
        const int32_t pix = p->reverse ? pixels - 1 - i : i;
        const int32_t ox = pix % p->out_w, oy = (pix / p->out_w) % p->out_h, b = pix / (p->out_w * p->out_h);
        const int8_t *in_b = input + b * p->in_h * p->in_w * in_c;
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        const int32_t ix0 = ox * p->stride_w - p->pad_left;
        for (j = 0; j < out_c; j++) {
            const int32_t oc = p->reverse ? out_c - 1 - j : j;
            const int8_t *f = filter + oc * taps;
            int32_t acc = 0;
            int32_t fsum = 0;
            for (ky = 0; ky < p->k_h; ky++) {
                const int32_t iy = iy0 + ky * p->dil_h;
                if (iy < 0 || iy >= p->in_h) {
                    continue;
                }
                for (kx = 0; kx < p->k_w; kx++) {
                    const int32_t ix = ix0 + kx * p->dil_w;
                    const int8_t *px;
                    const int8_t *fp;
                    if (ix < 0 || ix >= p->in_w) {
                        continue;
                    }
                    px = in_b + (iy * p->in_w + ix) * in_c;
                    fp = f + (ky * p->k_w + kx) * in_c;
                    for (ic = 0; ic < in_c; ic++) {
                        acc += fp[ic] * px[ic];
                        fsum += fp[ic];
                    }
                }
            }
            acc += fsum * p->input_offset;
            if (bias) {
                acc += bias[oc];
            }
            acc = tinyc_requantize(acc, mult[oc], shift[oc]) + p->output_offset;
            output[pix * p->out_stride + oc] = (int8_t)tinyc_clamp(acc, p->act_min, p->act_max);
        }
    }
}
