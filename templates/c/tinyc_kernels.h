/*
 * tinyc portable int8 kernels: C99, no allocation, no floating point.
 * Bit-exact with TensorFlow Lite's reference kernels (int8 quantization:
 * real = scale * (q - zero_point); Q31 multipliers with power-of-two shifts).
 * Layouts: activations NHWC; conv filters OHWI; depthwise filters [1, H, W, C*M].
 */
#ifndef TINYC_KERNELS_H
#define TINYC_KERNELS_H

#include <stdint.h>

/* Convolution and depthwise convolution geometry and quantization. */
typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    int32_t depth_multiplier;  /* depthwise only: out_c = in_c * depth_multiplier */
    int32_t input_offset;      /* -input zero point, in [-127, 128] */
    int32_t output_offset;     /* output zero point, in [-128, 127] */
    int32_t act_min, act_max;  /* clamp range, within [-128, 127] */
} tinyc_conv_params;

typedef struct {
    int32_t batches, in_h, in_w, channels, out_h, out_w;
    int32_t k_h, k_w, stride_h, stride_w, pad_top, pad_left;
    int32_t act_min, act_max;
} tinyc_pool_params;

typedef struct {
    int32_t batches, depth, out_depth;
    int32_t input_offset, output_offset, act_min, act_max;
} tinyc_fc_params;

typedef struct {
    int32_t rows, depth;
    int32_t input_multiplier, input_left_shift, diff_min;
} tinyc_softmax_params;

/* mult/shift: one Q31 multiplier and shift (>0: left) per output channel. bias may be NULL. */
void tinyc_conv2d_s8(const tinyc_conv_params *p, const int32_t *mult, const int32_t *shift,
                     const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output);
void tinyc_depthwise_conv2d_s8(const tinyc_conv_params *p, const int32_t *mult, const int32_t *shift,
                               const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output);
/* Average pool: input and output share scale and zero point. */
void tinyc_avgpool2d_s8(const tinyc_pool_params *p, const int8_t *input, int8_t *output);
/* filter is [out_depth, depth]; mult/shift per output (repeated when per-tensor). */
void tinyc_fully_connected_s8(const tinyc_fc_params *p, const int32_t *mult, const int32_t *shift,
                              const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output);
/* Softmax along the last dimension; output scale 1/256, zero point -128. */
void tinyc_softmax_s8(const tinyc_softmax_params *p, const int8_t *input, int8_t *output);

#endif /* TINYC_KERNELS_H */
