/*
 * tinyc portable int8 depthwise convolution (NHWC input, [1, H, W, C*M] filter,
 * output channel = input channel * M + m, per-channel requantization).
 */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

void tinyc_depthwise_conv2d_s8(const tinyc_conv_params *p, const int32_t *mult, const int32_t *shift,
                               const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output)
{
    const int32_t in_c = p->in_c, out_c = p->out_c, dm = p->depth_multiplier;
    int32_t b, oy, ox, ic, m, ky, kx;
    for (b = 0; b < p->batches; b++) {
        const int8_t *in_b = input + b * p->in_h * p->in_w * in_c;
        for (oy = 0; oy < p->out_h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_top;
            for (ox = 0; ox < p->out_w; ox++) {
                const int32_t ix0 = ox * p->stride_w - p->pad_left;
                for (ic = 0; ic < in_c; ic++) {
                    for (m = 0; m < dm; m++) {
                        const int32_t oc = ic * dm + m;
                        int32_t acc = 0;
                        int32_t fsum = 0;
                        for (ky = 0; ky < p->k_h; ky++) {
                            const int32_t iy = iy0 + ky * p->dil_h;
                            if (iy < 0 || iy >= p->in_h) {
                                continue;
                            }
                            for (kx = 0; kx < p->k_w; kx++) {
                                const int32_t ix = ix0 + kx * p->dil_w;
                                int32_t fv;
                                if (ix < 0 || ix >= p->in_w) {
                                    continue;
                                }
                                fv = filter[(ky * p->k_w + kx) * out_c + oc];
                                acc += fv * in_b[(iy * p->in_w + ix) * in_c + ic];
                                fsum += fv;
                            }
                        }
                        acc += fsum * p->input_offset;
                        if (bias) {
                            acc += bias[oc];
                        }
                        acc = tinyc_requantize(acc, mult[oc], shift[oc]) + p->output_offset;
                        output[oc] = (int8_t)tinyc_clamp(acc, p->act_min, p->act_max);
                    }
                }
                output += out_c;
            }
        }
    }
}
