/*
 * tinyc portable int8 softmax: exp in gemmlowp-style fixed point (differences
 * from the row maximum in Q5.26, exp results in Q0.31, their sum in Q12.19), a
 * Newton-Raphson reciprocal, output scale 1/256 with zero point -128. This is
 * the arithmetic of TensorFlow Lite's reference softmax, bit for bit.
 */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

#define TINYC_SCALED_DIFF_INTEGER_BITS 5
#define TINYC_ACCUMULATION_INTEGER_BITS 12

static int32_t count_leading_zeros(uint32_t x)
{
    int32_t n = 0;
    if (x == 0) {
        return 32;
    }
    while (!(x & 0x80000000u)) {
        x <<= 1;
        n++;
    }
    return n;
}

void tinyc_softmax_s8(const tinyc_softmax_params *p, const int8_t *input, int8_t *output)
{
    int32_t r, c;
    for (r = 0; r < p->rows; r++) {
        const int8_t *in = input + r * p->depth;
        int8_t *out = output + r * p->depth;
        int32_t max = -128;
        int32_t sum = 0;
        int32_t headroom, bits_over_unit, reciprocal, exponent;
        for (c = 0; c < p->depth; c++) {
            max = in[c] > max ? in[c] : max;
        }
        for (c = 0; c < p->depth; c++) {
            const int32_t diff = in[c] - max;
            if (diff >= p->diff_min) {
                const int32_t scaled = tinyc_srdhm((int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                sum = tinyc_wadd(sum, tinyc_rdbp(tinyc_exp_on_negative_values(scaled, TINYC_SCALED_DIFF_INTEGER_BITS), TINYC_ACCUMULATION_INTEGER_BITS));
            }
        }
        headroom = count_leading_zeros((uint32_t)sum);
        bits_over_unit = TINYC_ACCUMULATION_INTEGER_BITS - headroom;
        reciprocal = tinyc_one_over_one_plus_x((int32_t)(((uint32_t)sum << headroom) - 0x80000000u));
        exponent = bits_over_unit + 31 - 8;
        for (c = 0; c < p->depth; c++) {
            const int32_t diff = in[c] - max;
            if (diff >= p->diff_min) {
                const int32_t scaled = tinyc_srdhm((int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                const int32_t v = tinyc_rdbp(tinyc_srdhm(reciprocal, tinyc_exp_on_negative_values(scaled, TINYC_SCALED_DIFF_INTEGER_BITS)), exponent) - 128;
                out[c] = (int8_t)tinyc_clamp(v, -128, 127);
            } else {
                out[c] = -128;
            }
        }
    }
}
