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

static int32_t sat_shift_left(int32_t x, int32_t exponent)
{
    const int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

static int32_t wrap_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static int32_t wrap_sub(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* exp(a) for a in [-1/4, 0), Q0.31 */
static int32_t exp_quarter(int32_t a)
{
    const int32_t constant_term = 1895147668;
    const int32_t one_third = 715827883;
    const int32_t x = wrap_add(a, 1 << 28);
    const int32_t x2 = tinyc_srdhm(x, x);
    const int32_t x3 = tinyc_srdhm(x2, x);
    const int32_t x4 = tinyc_srdhm(x2, x2);
    const int32_t x4_over_4 = tinyc_rdbp(x4, 2);
    const int32_t poly = tinyc_rdbp(wrap_add(tinyc_srdhm(wrap_add(x4_over_4, x3), one_third), x2), 1);
    return wrap_add(constant_term, tinyc_srdhm(constant_term, wrap_add(x, poly)));
}

/* exp(a) for a <= 0 given in Q5.26; result Q0.31 */
static int32_t exp_on_negative_values(int32_t a)
{
    static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int32_t fractional_bits = 31 - TINYC_SCALED_DIFF_INTEGER_BITS;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t a_mod = wrap_sub(a & (one_quarter - 1), one_quarter);
    const int32_t remainder = wrap_sub(a_mod, a);
    int32_t result = exp_quarter(sat_shift_left(a_mod, TINYC_SCALED_DIFF_INTEGER_BITS));
    int32_t i;
    for (i = 0; i < 7; i++) {
        if (remainder & ((int32_t)1 << (fractional_bits - 2 + i))) {
            result = tinyc_srdhm(result, multipliers[i]);
        }
    }
    return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + a) for a in [0, 1), Q0.31 */
static int32_t one_over_one_plus_x(int32_t a)
{
    const int64_t sum = (int64_t)a + INT32_MAX;
    const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    int32_t x = wrap_add(1515870810, tinyc_srdhm(half_denominator, -1010580540));
    int32_t i;
    for (i = 0; i < 3; i++) {
        const int32_t one_minus = wrap_sub((int32_t)1 << 29, tinyc_srdhm(half_denominator, x));
        x = wrap_add(x, sat_shift_left(tinyc_srdhm(x, one_minus), 2));
    }
    return sat_shift_left(x, 1);
}

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
                sum = wrap_add(sum, tinyc_rdbp(exp_on_negative_values(scaled), TINYC_ACCUMULATION_INTEGER_BITS));
            }
        }
        headroom = count_leading_zeros((uint32_t)sum);
        bits_over_unit = TINYC_ACCUMULATION_INTEGER_BITS - headroom;
        reciprocal = one_over_one_plus_x((int32_t)(((uint32_t)sum << headroom) - 0x80000000u));
        exponent = bits_over_unit + 31 - 8;
        for (c = 0; c < p->depth; c++) {
            const int32_t diff = in[c] - max;
            if (diff >= p->diff_min) {
                const int32_t scaled = tinyc_srdhm((int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                const int32_t v = tinyc_rdbp(tinyc_srdhm(reciprocal, exp_on_negative_values(scaled)), exponent) - 128;
                out[c] = (int8_t)tinyc_clamp(v, -128, 127);
            } else {
                out[c] = -128;
            }
        }
    }
}
