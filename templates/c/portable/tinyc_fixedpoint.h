/*
 * tinyc fixed-point arithmetic, exactly as TensorFlow Lite's reference kernels
 * compute it (double rounding: a saturating rounding doubling high multiply,
 * then a rounding right shift that rounds half away from zero).
 */
#ifndef TINYC_FIXEDPOINT_H
#define TINYC_FIXEDPOINT_H

#include <stdint.h>

static inline int32_t tinyc_srdhm(int32_t a, int32_t b)
{
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    {
        const int64_t ab = (int64_t)a * (int64_t)b;
        const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
        return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
    }
}

static inline int32_t tinyc_rdbp(int32_t x, int32_t exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * multiplier * 2^shift (shift > 0 is a left shift), TFLite's MultiplyByQuantizedMultiplier. */
static inline int32_t tinyc_requantize(int32_t x, int32_t multiplier, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    return tinyc_rdbp(tinyc_srdhm((int32_t)((uint32_t)x << left), multiplier), right);
}

static inline int32_t tinyc_clamp(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* Saturating left shift by a positive exponent (gemmlowp SaturatingRoundingMultiplyByPOT). */
static inline int32_t tinyc_sat_shl(int32_t x, int32_t exponent)
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

/* Wrapping int32 add and subtract (gemmlowp's fixed-point + and -). */
static inline int32_t tinyc_wadd(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static inline int32_t tinyc_wsub(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* exp(a) for a in [-1/4, 0), Q0.31 in and out. */
static inline int32_t tinyc_exp_quarter(int32_t a)
{
    const int32_t constant_term = 1895147668; /* exp(-1/8) */
    const int32_t one_third = 715827883;
    const int32_t x = tinyc_wadd(a, 1 << 28);
    const int32_t x2 = tinyc_srdhm(x, x);
    const int32_t x3 = tinyc_srdhm(x2, x);
    const int32_t x4 = tinyc_srdhm(x2, x2);
    const int32_t poly = tinyc_rdbp(tinyc_wadd(tinyc_srdhm(tinyc_wadd(tinyc_rdbp(x4, 2), x3), one_third), x2), 1);
    return tinyc_wadd(constant_term, tinyc_srdhm(constant_term, tinyc_wadd(x, poly)));
}

/* exp(a) for a <= 0 in Q(integer_bits).(31 - integer_bits); result Q0.31 (gemmlowp exp_on_negative_values). */
static inline int32_t tinyc_exp_on_negative_values(int32_t a, int32_t integer_bits)
{
    /* exp(-1/4), exp(-1/2), exp(-1), exp(-2), exp(-4), exp(-8), exp(-16) in Q0.31 */
    static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int32_t fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t a_mod = tinyc_wsub(a & (one_quarter - 1), one_quarter);
    const int32_t remainder = tinyc_wsub(a_mod, a);
    int32_t result = tinyc_exp_quarter(tinyc_sat_shl(a_mod, integer_bits));
    int32_t i;
    for (i = 0; i < 7 && integer_bits > i - 2; i++) {
        if (remainder & ((int32_t)1 << (fractional_bits - 2 + i))) {
            result = tinyc_srdhm(result, multipliers[i]);
        }
    }
    if (integer_bits > 5 && a < -((int32_t)1 << (36 - integer_bits))) {
        result = 0;
    }
    return a == 0 ? INT32_MAX : result;
}

/* 1 / ((1 + a) / 2) for a in [0, 1) by three Newton-Raphson steps, Q0.31 in, Q2.29 out (gemmlowp's shared division). */
static inline int32_t tinyc_reciprocal_half_sum_with_one(int32_t a)
{
    const int64_t sum = (int64_t)a + INT32_MAX;
    const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    int32_t x = tinyc_wadd(1515870810, tinyc_srdhm(half_denominator, -1010580540)); /* 48/17 - 32/17 d, Q2.29 */
    int32_t i;
    for (i = 0; i < 3; i++) {
        const int32_t one_minus = tinyc_wsub((int32_t)1 << 29, tinyc_srdhm(half_denominator, x));
        x = tinyc_wadd(x, tinyc_sat_shl(tinyc_srdhm(x, one_minus), 2));
    }
    return x;
}

/* 1 / (1 + a) for a in [0, 1), Q0.31 in and out (gemmlowp one_over_one_plus_x_for_x_in_0_1). */
static inline int32_t tinyc_one_over_one_plus_x(int32_t a)
{
    return tinyc_sat_shl(tinyc_reciprocal_half_sum_with_one(a), 1);
}

/* (1 - a) / (1 + a) for a in [0, 1), Q0.31 in and out (gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1). */
static inline int32_t tinyc_one_minus_x_over_one_plus_x(int32_t a)
{
    return tinyc_sat_shl(tinyc_wsub(tinyc_reciprocal_half_sum_with_one(a), (int32_t)1 << 29), 2);
}

#endif /* TINYC_FIXEDPOINT_H */
