/*
 * tinyc portable int8 element-wise ADD, SUB, MUL, MAXIMUM and MINIMUM with broadcasting, with
 * TensorFlow Lite's reference arithmetic (ADD: both inputs rescaled to a common
 * scale with 20 bits of headroom; MUL: one requantization of the product).
 */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

/* ADD (sign 1) or SUB (sign -1) of one pair of elements. */
static int8_t add_one(const tinyc_add_params *p, int32_t x, int32_t y, int32_t sign)
{
    const int32_t a = (int32_t)((uint32_t)(x + p->input1_offset) << p->left_shift);
    const int32_t b = (int32_t)((uint32_t)(y + p->input2_offset) << p->left_shift);
    const int32_t sum = tinyc_requantize(a, p->input1_multiplier, p->input1_shift) +
                        sign * tinyc_requantize(b, p->input2_multiplier, p->input2_shift);
    const int32_t out = tinyc_requantize(sum, p->output_multiplier, p->output_shift) + p->output_offset;
    return (int8_t)tinyc_clamp(out, p->act_min, p->act_max);
}

static int8_t mul_one(const tinyc_mul_params *p, int32_t x, int32_t y)
{
    const int32_t prod = (x + p->input1_offset) * (y + p->input2_offset);
    const int32_t out = p->output_offset + tinyc_requantize(prod, p->output_multiplier, p->output_shift);
    return (int8_t)tinyc_clamp(out, p->act_min, p->act_max);
}

#define TINYC_BROADCAST_LOOP(S, BODY)                                                            \
    do {                                                                                         \
        int32_t i0, i1, i2, i3, i4, i5;                                                          \
        for (i0 = 0; i0 < (S)->dims[0]; i0++)                                                    \
        for (i1 = 0; i1 < (S)->dims[1]; i1++)                                                    \
        for (i2 = 0; i2 < (S)->dims[2]; i2++)                                                    \
        for (i3 = 0; i3 < (S)->dims[3]; i3++)                                                    \
        for (i4 = 0; i4 < (S)->dims[4]; i4++)                                                    \
        for (i5 = 0; i5 < (S)->dims[5]; i5++) {                                                  \
            const int32_t o1 = i0 * (S)->stride1[0] + i1 * (S)->stride1[1] + i2 * (S)->stride1[2] + \
                               i3 * (S)->stride1[3] + i4 * (S)->stride1[4] + i5 * (S)->stride1[5]; \
            const int32_t o2 = i0 * (S)->stride2[0] + i1 * (S)->stride2[1] + i2 * (S)->stride2[2] + \
                               i3 * (S)->stride2[3] + i4 * (S)->stride2[4] + i5 * (S)->stride2[5]; \
            BODY;                                                                                \
        }                                                                                        \
    } while (0)

void tinyc_add_s8(const tinyc_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    TINYC_BROADCAST_LOOP(&p->shape, *output++ = add_one(p, input1[o1], input2[o2], 1));
}

void tinyc_sub_s8(const tinyc_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    TINYC_BROADCAST_LOOP(&p->shape, *output++ = add_one(p, input1[o1], input2[o2], -1));
}

void tinyc_mul_s8(const tinyc_mul_params *p, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    TINYC_BROADCAST_LOOP(&p->shape, *output++ = mul_one(p, input1[o1], input2[o2]));
}

static int8_t prelu_one(const tinyc_prelu_params *p, int32_t x, int32_t a)
{
    const int32_t v = p->input_offset + x;
    const int32_t scaled = v >= 0 ? tinyc_requantize(v, p->identity_multiplier, p->identity_shift)
                                  : tinyc_requantize(v * (p->alpha_offset + a), p->alpha_multiplier, p->alpha_shift);
    return (int8_t)tinyc_clamp(scaled + p->output_offset, -128, 127);
}

void tinyc_prelu_s8(const tinyc_prelu_params *p, const int8_t *input, const int8_t *alpha, int8_t *output)
{
    TINYC_BROADCAST_LOOP(&p->shape, *output++ = prelu_one(p, input[o1], alpha[o2]));
}

void tinyc_maximum_s8(const tinyc_broadcast *shape, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    TINYC_BROADCAST_LOOP(shape, *output++ = input1[o1] > input2[o2] ? input1[o1] : input2[o2]);
}

void tinyc_minimum_s8(const tinyc_broadcast *shape, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    TINYC_BROADCAST_LOOP(shape, *output++ = input1[o1] < input2[o2] ? input1[o1] : input2[o2]);
}
