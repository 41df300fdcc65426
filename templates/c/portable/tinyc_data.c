/* tinyc portable int8 data movement and reductions: block copies (CONCATENATION, PACK), PAD, SPACE_TO_DEPTH,
 * strided copies (TRANSPOSE, STRIDED_SLICE), RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, MEAN, REDUCE_MAX. */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

void tinyc_copy_blocks_s8(int32_t rows, int32_t bytes, const int8_t *src, int32_t src_stride, int8_t *dst, int32_t dst_stride)
{
    int32_t r, i;
    for (r = 0; r < rows; r++) {
        for (i = 0; i < bytes; i++) {
            dst[i] = src[i];
        }
        src += src_stride;
        dst += dst_stride;
    }
}

void tinyc_pad_s8(const tinyc_pad_params *p, const int8_t *input, int8_t *output)
{
    int32_t o[6];
    for (o[0] = 0; o[0] < p->out_dims[0]; o[0]++)
    for (o[1] = 0; o[1] < p->out_dims[1]; o[1]++)
    for (o[2] = 0; o[2] < p->out_dims[2]; o[2]++)
    for (o[3] = 0; o[3] < p->out_dims[3]; o[3]++)
    for (o[4] = 0; o[4] < p->out_dims[4]; o[4]++)
    for (o[5] = 0; o[5] < p->out_dims[5]; o[5]++) {
        int32_t d, index = 0, inside = 1;
        for (d = 0; d < 6; d++) {
            const int32_t i = o[d] - p->before[d];
            if (i < 0 || i >= p->in_dims[d]) {
                inside = 0;
            }
            index = index * p->in_dims[d] + i;
        }
        *output++ = inside ? input[index] : (int8_t)p->pad_value;
    }
}

void tinyc_space_to_depth_s8(int32_t batches, int32_t in_h, int32_t in_w, int32_t channels, int32_t block,
                             const int8_t *input, int8_t *output)
{
    const int32_t out_h = in_h / block, out_w = in_w / block;
    int32_t b, oy, ox, by, bx, c;
    for (b = 0; b < batches; b++)
    for (oy = 0; oy < out_h; oy++)
    for (ox = 0; ox < out_w; ox++)
    for (by = 0; by < block; by++)
    for (bx = 0; bx < block; bx++)
    for (c = 0; c < channels; c++) {
        *output++ = input[((b * in_h + oy * block + by) * in_w + ox * block + bx) * channels + c];
    }
}

void tinyc_strided_copy_s8(const tinyc_strided_copy_params *p, const int8_t *input, int8_t *output)
{
    int32_t i0, i1, i2, i3, i4, i5;
    const int32_t *d = p->out_dims, *s = p->in_stride;
    input += p->offset;
    for (i0 = 0; i0 < d[0]; i0++)
    for (i1 = 0; i1 < d[1]; i1++)
    for (i2 = 0; i2 < d[2]; i2++)
    for (i3 = 0; i3 < d[3]; i3++)
    for (i4 = 0; i4 < d[4]; i4++)
    for (i5 = 0; i5 < d[5]; i5++) {
        *output++ = input[i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4] + i5 * s[5]];
    }
}

void tinyc_resize_nearest_s8(const tinyc_resize_params *p, const int32_t *rows, const int32_t *cols, const int8_t *input, int8_t *output)
{
    int32_t b, y, x, c;
    for (b = 0; b < p->batches; b++)
    for (y = 0; y < p->out_h; y++)
    for (x = 0; x < p->out_w; x++) {
        const int8_t *pixel = input + ((b * p->in_h + rows[y]) * p->in_w + cols[x]) * p->channels;
        for (c = 0; c < p->channels; c++) {
            *output++ = pixel[c];
        }
    }
}

void tinyc_resize_bilinear_s8(const tinyc_resize_params *p, const tinyc_interpolation *rows, const tinyc_interpolation *cols, const int8_t *input, int8_t *output)
{
    int32_t b, y, x, c;
    for (b = 0; b < p->batches; b++)
    for (y = 0; y < p->out_h; y++) {
        const int32_t wy = rows->weight[y];
        const int8_t *low = input + (b * p->in_h + rows->lower[y]) * p->in_w * p->channels;
        const int8_t *high = input + (b * p->in_h + rows->upper[y]) * p->in_w * p->channels;
        for (x = 0; x < p->out_w; x++) {
            const int32_t wx = cols->weight[x];
            const int32_t l = cols->lower[x] * p->channels, r = cols->upper[x] * p->channels;
            for (c = 0; c < p->channels; c++) {
                /* |sum| < 2^31: the weights' magnitudes add up to at most (1536 + 512)^2. */
                const int32_t sum = low[l + c] * (1024 - wy) * (1024 - wx) + high[l + c] * wy * (1024 - wx) +
                                    low[r + c] * (1024 - wy) * wx + high[r + c] * wy * wx;
                *output++ = (int8_t)((sum + (sum > 0 ? (1 << 19) : -(1 << 19))) / (1 << 20));
            }
        }
    }
}

/* Visits the input elements in order (P->in_dims, 6-D) with `o`, the output element each reduces into (P->out_stride). */
#define TINYC_REDUCE_LOOP(P, BODY)                                                                   \
    do {                                                                                             \
        int32_t i0, i1, i2, i3, i4, i5;                                                              \
        const int32_t *d = (P)->in_dims, *s = (P)->out_stride;                                       \
        for (i0 = 0; i0 < d[0]; i0++)                                                                \
        for (i1 = 0; i1 < d[1]; i1++)                                                                \
        for (i2 = 0; i2 < d[2]; i2++)                                                                \
        for (i3 = 0; i3 < d[3]; i3++)                                                                \
        for (i4 = 0; i4 < d[4]; i4++)                                                                \
        for (i5 = 0; i5 < d[5]; i5++) {                                                              \
            const int32_t o = i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4] + i5 * s[5]; \
            BODY;                                                                                    \
        }                                                                                            \
    } while (0)

void tinyc_reduce_max_s8(const tinyc_reduce_params *p, const int8_t *input, int8_t *output)
{
    int32_t k;
    for (k = 0; k < p->outputs; k++) {
        output[k] = -128;
    }
    TINYC_REDUCE_LOOP(p, {
        const int8_t v = *input++;
        if (v > output[o]) {
            output[o] = v;
        }
    });
}

void tinyc_mean_s8(const tinyc_mean_params *p, const int8_t *input, int8_t *output, int32_t *sum)
{
    int32_t k;
    for (k = 0; k < p->outputs; k++) {
        sum[k] = 0;
    }
    TINYC_REDUCE_LOOP(p, sum[o] += *input++);
    for (k = 0; k < p->outputs; k++) {
        const int32_t shifted = sum[k] - p->input_zero_point * p->count;
        const int32_t v = tinyc_requantize(shifted, p->multiplier, p->shift) + p->output_zero_point;
        output[k] = (int8_t)tinyc_clamp(v, -128, 127);
    }
}
