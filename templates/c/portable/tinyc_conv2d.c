/*
 * tinyc portable int8 convolution (NHWC input, OHWI filter, per-channel
 * requantization). The input offset is applied through the sum of the filter
 * taps inside the image, which equals adding it to every input value. Output
 * elements are computed in the order tinyc_kernels.h describes.
 */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

/*
 * The kernel. With `hoisted`, a pixel finds its window rows (in a ring or whole) once, not once per output
 * channel; for windows of more than TINYC_WINDOW_ROWS rows, once per channel and window row.
 */
TINYC_ALWAYS_INLINE void conv2d_rows(const tinyc_conv_params *p, const int32_t *mult, const int32_t *shift, const int8_t *input,
                                     const int8_t *filter, const int32_t *bias, int8_t *output, const int hoisted)
{
    /* Locals, not p->: the output stores may alias *p as far as the compiler knows. */
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t k_h = p->k_h, k_w = p->k_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t taps = k_h * k_w * in_c;
    const int32_t pixels = p->batches * out_h * out_w;
    const int32_t reverse = p->reverse, out_stride = p->out_stride, in_ring = p->in_ring, out_ring = p->out_ring;
    const int32_t input_offset = p->input_offset, output_offset = p->output_offset, act_min = p->act_min, act_max = p->act_max;
    int32_t first, count;
    int32_t i, j, ky, kx, ic;
    tinyc_row_pixels(p->row_begin, p->row_end, pixels / out_w, out_w, &first, &count);
    for (i = 0; i < count; i++) {
        const int32_t pix = first + (reverse ? count - 1 - i : i);
        const int32_t ox = pix % out_w, oy = (pix / out_w) % out_h, b = pix / (out_w * out_h);
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        const int32_t ix0 = ox * p->stride_w - p->pad_left;
        int8_t *out = output + tinyc_row_at(out_ring, b, out_h, oy, out_w * out_stride) + ox * out_stride;
        const int8_t *window[TINYC_WINDOW_ROWS];
        if (hoisted) {
            for (ky = 0; ky < k_h; ky++) {
                const int32_t iy = iy0 + ky * dil_h;
                window[ky] = iy < 0 || iy >= in_h ? 0 : input + tinyc_row_at(in_ring, b, in_h, iy, in_w * in_c);
            }
        }
        for (j = 0; j < out_c; j++) {
            const int32_t oc = reverse ? out_c - 1 - j : j;
            const int8_t *f = filter + oc * taps;
            int32_t acc = 0;
            int32_t fsum = 0;
            for (ky = 0; ky < k_h; ky++) {
                const int32_t iy = iy0 + ky * dil_h;
                const int8_t *row = hoisted ? window[ky] : iy < 0 || iy >= in_h ? 0 : input + tinyc_row_at(in_ring, b, in_h, iy, in_w * in_c);
                if (!row) {
                    continue;
                }
                for (kx = 0; kx < k_w; kx++) {
                    const int32_t ix = ix0 + kx * dil_w;
                    const int8_t *px;
                    const int8_t *fp;
                    if (ix < 0 || ix >= in_w) {
                        continue;
                    }
                    px = row + ix * in_c;
                    fp = f + (ky * k_w + kx) * in_c;
                    for (ic = 0; ic < in_c; ic++) {
                        acc += fp[ic] * px[ic];
                        fsum += fp[ic];
                    }
                }
            }
            acc += fsum * input_offset;
            if (bias) {
                acc += bias[oc];
            }
            acc = tinyc_requantize(acc, mult[oc], shift[oc]) + output_offset;
            out[oc] = (int8_t)tinyc_clamp(acc, act_min, act_max);
        }
    }
}

void tinyc_conv2d_s8(const tinyc_conv_params *p, const int32_t *mult, const int32_t *shift,
                     const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output)
{
    if (p->k_h <= TINYC_WINDOW_ROWS) {
        conv2d_rows(p, mult, shift, input, filter, bias, output, 1);
    } else {
        conv2d_rows(p, mult, shift, input, filter, bias, output, 0);
    }
}
