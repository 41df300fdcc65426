/*
 * tinyc portable int8 kernels: C99, no allocation, no floating point.
 * Bit-exact with TensorFlow Lite's reference kernels (int8 quantization:
 * real = scale * (q - zero_point); Q31 multipliers with power-of-two shifts).
 * Layouts: activations NHWC; conv filters OHWI; depthwise filters [1, H, W, C*M].
 */
#ifndef TINYC_KERNELS_H
#define TINYC_KERNELS_H

#include <stdint.h>

/*
 * Row streaming, for the window kernels (all 0: the whole tensors). With
 * row_end > 0 a call computes output rows [row_begin, row_end) only (rows of
 * batch 0 then 1, ...). in_ring > 0: the input holds in_ring rows, input row y
 * at slot y mod in_ring (one batch); out_ring likewise for the output.
 */
#define TINYC_ROW_FIELDS int32_t row_begin, row_end, in_ring, out_ring;

/* Force inlining where a kernel's body is specialised for a constant argument. */
#if defined(__GNUC__)
#define TINYC_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define TINYC_ALWAYS_INLINE static inline
#endif

/* The output pixels a call computes: [*first, *first + *count). */
static inline void tinyc_row_pixels(int32_t row_begin, int32_t row_end, int32_t rows, int32_t out_w, int32_t *first, int32_t *count)
{
    *first = row_end > 0 ? row_begin * out_w : 0;
    *count = (row_end > 0 ? row_end : rows) * out_w - *first;
}

/* Window rows a convolution's pixel looks up once for all its output channels (taller windows: per channel). */
#define TINYC_WINDOW_ROWS 8

/* Where row y of batch b of a tensor of h rows of row_bytes each lies, in a ring of `ring` rows or whole. */
static inline int32_t tinyc_row_at(int32_t ring, int32_t b, int32_t h, int32_t y, int32_t row_bytes)
{
    return (ring > 0 ? y % ring : b * h + y) * row_bytes;
}

/* Convolution and depthwise convolution geometry and quantization. */
typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
    int32_t depth_multiplier;  /* depthwise only: out_c = in_c * depth_multiplier */
    int32_t input_offset;      /* -input zero point, in [-127, 128] */
    int32_t output_offset;     /* output zero point, in [-128, 127] */
    int32_t act_min, act_max;  /* clamp range, within [-128, 127] */
    int32_t reverse;           /* 1: compute output elements last to first (see below) */
    int32_t out_stride;        /* elements from one output pixel to the next: out_c, or more in a concatenation */
    TINYC_ROW_FIELDS
} tinyc_conv_params;

typedef struct {
    int32_t batches, in_h, in_w, channels, out_h, out_w;
    int32_t k_h, k_w, stride_h, stride_w, pad_top, pad_left;
    int32_t act_min, act_max;
    int32_t reverse;
    int32_t out_stride;
    TINYC_ROW_FIELDS
} tinyc_pool_params;

/*
 * Window kernels (convolutions and pools) compute one output element at a
 * time, pixels in row-major order and channels in increasing order, reading the
 * element's window before writing it; with reverse = 1 they visit the same
 * elements last to first. The planner relies on this order to place an output
 * over the input it is consuming (never declare these pointers restrict).
 */

typedef struct {
    int32_t batches, depth, out_depth;
    int32_t input_offset, output_offset, act_min, act_max;
} tinyc_fc_params;

typedef struct {
    int32_t rows, depth;
    int32_t input_multiplier, input_left_shift, diff_min;
} tinyc_softmax_params;

typedef struct {
    int32_t rows, depth;
    int32_t input_multiplier, input_left_shift, diff_min;
    int32_t reverse_scaling_divisor, reverse_scaling_shift;
} tinyc_log_softmax_params;

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
/* Log-softmax along the last dimension; output scale 16/256, zero point 127. */
void tinyc_log_softmax_s8(const tinyc_log_softmax_params *p, const int8_t *input, int8_t *output);

/* Element-wise binary ops with broadcasting: output dims (up to 6, outermost
 * first) and each input's element strides (0 along a broadcast dimension). */
typedef struct {
    int32_t dims[6];
    int32_t stride1[6];
    int32_t stride2[6];
} tinyc_broadcast;

typedef struct {
    tinyc_broadcast shape;
    int32_t input1_offset, input2_offset, output_offset, left_shift;
    int32_t input1_multiplier, input1_shift, input2_multiplier, input2_shift;
    int32_t output_multiplier, output_shift, act_min, act_max;
} tinyc_add_params;

typedef struct {
    tinyc_broadcast shape;
    int32_t input1_offset, input2_offset, output_offset;
    int32_t output_multiplier, output_shift, act_min, act_max;
} tinyc_mul_params;

/* Per-element requantization: out = clamp(out_zp + requant(in - in_zp)). RELU and QUANTIZE (int8 -> int8). */
typedef struct {
    int32_t size, input_zero_point, output_zero_point, multiplier, shift, act_min, act_max;
} tinyc_requant_params;

typedef struct {
    int32_t size, input_zero_point, output_zero_point;
    int32_t output_multiplier_exponent, reluish_multiplier_exponent;
    int16_t output_multiplier, reluish_multiplier;
} tinyc_hard_swish_params;

typedef struct {
    int32_t size, input_zero_point, input_range_radius, input_multiplier, input_left_shift;
} tinyc_logistic_params;

/* Mean over some dimensions: input dims padded to 6 (outermost first), and for each
 * input dimension the output element stride (0 along reduced dimensions). */
typedef struct {
    int32_t in_dims[6];
    int32_t out_stride[6];
    int32_t outputs, count, input_zero_point, output_zero_point, multiplier, shift;
} tinyc_mean_params;

/* REDUCE_MAX: the largest raw value per output element; in_dims and out_stride as for MEAN. */
typedef struct {
    int32_t in_dims[6];
    int32_t out_stride[6];
    int32_t outputs;
} tinyc_reduce_params;

typedef struct {
    int32_t batches, in_h, in_w, channels, out_h, out_w;
} tinyc_resize_params;

/* Constant padding (with the output zero point) of a tensor padded to 6 dims. */
typedef struct {
    int32_t in_dims[6];
    int32_t before[6];
    int32_t out_dims[6];
    int32_t pad_value;
} tinyc_pad_params;

/* A strided copy (TRANSPOSE, STRIDED_SLICE): output element (i0..i5) is input[offset + sum(i_d * in_stride[d])];
 * output dims padded to 6, outermost first; strides may be negative. */
typedef struct {
    int32_t offset;
    int32_t out_dims[6];
    int32_t in_stride[6];
} tinyc_strided_copy_params;

/* Copies `rows` blocks of `bytes` from src (stride src_stride) to dst (stride dst_stride). */
void tinyc_copy_blocks_s8(int32_t rows, int32_t bytes, const int8_t *src, int32_t src_stride, int8_t *dst, int32_t dst_stride);
void tinyc_add_s8(const tinyc_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);
/* SUB: ADD's arithmetic with the second input subtracted. */
void tinyc_sub_s8(const tinyc_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);
void tinyc_mul_s8(const tinyc_mul_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);
/* PRELU: x >= 0 rescaled by identity; x < 0 times the broadcast alpha, rescaled by alpha_multiplier. */
typedef struct {
    tinyc_broadcast shape;
    int32_t input_offset, alpha_offset, output_offset;
    int32_t identity_multiplier, identity_shift, alpha_multiplier, alpha_shift;
} tinyc_prelu_params;
void tinyc_prelu_s8(const tinyc_prelu_params *p, const int8_t *input, const int8_t *alpha, int8_t *output);
/* MAXIMUM / MINIMUM of raw int8 values (both inputs share the output's quantization). */
void tinyc_maximum_s8(const tinyc_broadcast *shape, const int8_t *input1, const int8_t *input2, int8_t *output);
void tinyc_minimum_s8(const tinyc_broadcast *shape, const int8_t *input1, const int8_t *input2, int8_t *output);
void tinyc_maxpool2d_s8(const tinyc_pool_params *p, const int8_t *input, int8_t *output);
void tinyc_requantize_s8(const tinyc_requant_params *p, const int8_t *input, int8_t *output);
/* LEAKY_RELU: x - in_zp rescaled by identity (x >= in_zp) or |alpha| (negated when alpha < 0). */
typedef struct {
    int32_t size, input_zero_point, output_zero_point;
    int32_t identity_multiplier, identity_shift, alpha_multiplier, alpha_shift, negate;
} tinyc_leaky_relu_params;
void tinyc_leaky_relu_s8(const tinyc_leaky_relu_params *p, const int8_t *input, int8_t *output);
/* The same at a model's uint8 edges: uint8 input to int8, int8 to uint8 output (act_min/act_max in the output's range). */
void tinyc_requantize_u8_s8(const tinyc_requant_params *p, const uint8_t *input, int8_t *output);
void tinyc_requantize_s8_u8(const tinyc_requant_params *p, const int8_t *input, uint8_t *output);
/* A model's float interface: q = clamp(round(x / scale) + zero_point) (half away from zero), and x = scale * (q - zero_point). */
void tinyc_quantize_f32_s8(int32_t size, float scale, int32_t zero_point, const float *input, int8_t *output);
void tinyc_dequantize_s8_f32(int32_t size, float scale, int32_t zero_point, const int8_t *input, float *output);
void tinyc_clamp_s8(int32_t size, int32_t lo, int32_t hi, const int8_t *input, int8_t *output);
void tinyc_hard_swish_s8(const tinyc_hard_swish_params *p, const int8_t *input, int8_t *output);
void tinyc_logistic_s8(const tinyc_logistic_params *p, const int8_t *input, int8_t *output);
/* TANH: the logistic's input rescaling; output scale 1/128, zero point 0. */
void tinyc_tanh_s8(const tinyc_logistic_params *p, const int8_t *input, int8_t *output);
/* scratch: outputs int32 accumulators */
void tinyc_mean_s8(const tinyc_mean_params *p, const int8_t *input, int8_t *output, int32_t *scratch);
void tinyc_pad_s8(const tinyc_pad_params *p, const int8_t *input, int8_t *output);
void tinyc_reduce_max_s8(const tinyc_reduce_params *p, const int8_t *input, int8_t *output);
/* RESIZE_BILINEAR: per output row and column the lower and upper source index and the upper one's 10-bit weight. */
typedef struct {
    const int32_t *lower;
    const int32_t *upper;
    const int32_t *weight;
} tinyc_interpolation;
void tinyc_resize_bilinear_s8(const tinyc_resize_params *p, const tinyc_interpolation *rows, const tinyc_interpolation *cols, const int8_t *input, int8_t *output);
/* RESIZE_NEAREST_NEIGHBOR: output pixel (y, x) copies input pixel (rows[y], cols[x]) (tables made on the host). */
void tinyc_resize_nearest_s8(const tinyc_resize_params *p, const int32_t *rows, const int32_t *cols, const int8_t *input, int8_t *output);
void tinyc_space_to_depth_s8(int32_t batches, int32_t in_h, int32_t in_w, int32_t channels, int32_t block,
                             const int8_t *input, int8_t *output);
void tinyc_strided_copy_s8(const tinyc_strided_copy_params *p, const int8_t *input, int8_t *output);

#endif /* TINYC_KERNELS_H */
