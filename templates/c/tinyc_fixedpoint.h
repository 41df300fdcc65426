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

#endif /* TINYC_FIXEDPOINT_H */
