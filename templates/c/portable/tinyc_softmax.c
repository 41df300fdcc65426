/*
 * tinyc portable int8 softmax and log-softmax: exp in gemmlowp-style fixed point (differences
 * from the row maximum in Q5.26, exp results in Q0.31, their sum in Q12.19), a
 * Newton-Raphson reciprocal, output scale 1/256 with zero point -128. This is
 * the arithmetic of TensorFlow Lite's reference softmax, bit for bit. The
 * log-softmax subtracts TFLite's fixed-point log of the same sum instead.
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

static int32_t saturate_i64(int64_t v)
{
    return v > INT32_MAX ? INT32_MAX : (v < INT32_MIN ? INT32_MIN : (int32_t)v);
}

/* log(a) for a >= 1, a in Q(input_bits), result in Q(output_bits) (TFLite's log_x_for_x_greater_than_or_equal_to_1). */
static int32_t log_x_ge_1(int32_t a, int32_t input_bits, int32_t output_bits)
{
    const int32_t accum_bits = output_bits + 1;
    const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
    const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769, alpha_f = 638450708;
    const int32_t shifted_quarter = tinyc_rdbp(536870912, accum_bits);
    const int32_t za_headroom_plus_1 = count_leading_zeros((uint32_t)a);
    const int32_t ra = tinyc_sat_shl(tinyc_srdhm(tinyc_sat_shl(a, za_headroom_plus_1 - 1), sqrt_half), 1);
    const int32_t za_adj = saturate_i64((int64_t)tinyc_sat_shl(input_bits - za_headroom_plus_1, 31 - accum_bits) + shifted_quarter);
    const int32_t zb_headroom = count_leading_zeros((uint32_t)tinyc_srdhm(a, sqrt_half)) - 1;
    const int32_t rb = tinyc_sat_shl(a, zb_headroom);
    const int32_t zb_adj = saturate_i64((int64_t)tinyc_sat_shl(input_bits - zb_headroom, 31 - accum_bits) - shifted_quarter);
    const int32_t r = ra < rb ? ra : rb;
    const int32_t z_adj = za_adj > zb_adj ? za_adj : zb_adj;
    const int64_t half_sum = (int64_t)r + sqrt_sqrt_half;
    const int32_t p = (int32_t)((half_sum + (half_sum >= 0 ? 1 : -1)) / 2);
    const int32_t q = tinyc_wadd(tinyc_wsub(r, sqrt_sqrt_half), tinyc_wsub(r, sqrt_sqrt_half));
    const int32_t common_sq = tinyc_srdhm(q, q);
    const int32_t num = tinyc_wadd(tinyc_srdhm(q, r), tinyc_srdhm(tinyc_srdhm(q, common_sq), alpha_n));
    const int32_t denom_minus_one = tinyc_wadd(tinyc_srdhm(p, tinyc_wadd(tinyc_wadd(alpha_i, q), tinyc_srdhm(alpha_d, common_sq))), tinyc_srdhm(alpha_f, q));
    const int32_t recip = tinyc_one_over_one_plus_x(denom_minus_one);
    return tinyc_sat_shl(tinyc_wadd(tinyc_srdhm(z_adj, log_2), tinyc_srdhm(tinyc_rdbp(num, accum_bits), recip)), accum_bits - output_bits);
}

void tinyc_log_softmax_s8(const tinyc_log_softmax_params *p, const int8_t *input, int8_t *output)
{
    int32_t r, c;
    for (r = 0; r < p->rows; r++) {
        const int8_t *in = input + r * p->depth;
        int8_t *out = output + r * p->depth;
        int32_t max = -128, sum = 0, log_sum, adjusted_diff_min;
        for (c = 0; c < p->depth; c++) {
            max = in[c] > max ? in[c] : max;
        }
        for (c = 0; c < p->depth; c++) {
            const int32_t diff = in[c] - max;
            if (diff >= p->diff_min) {
                const int32_t scaled = tinyc_requantize(diff, p->input_multiplier, p->input_left_shift);
                sum = tinyc_wadd(sum, tinyc_rdbp(tinyc_exp_on_negative_values(scaled, TINYC_SCALED_DIFF_INTEGER_BITS), TINYC_ACCUMULATION_INTEGER_BITS));
            }
        }
        log_sum = log_x_ge_1(sum, TINYC_ACCUMULATION_INTEGER_BITS, TINYC_SCALED_DIFF_INTEGER_BITS);
        adjusted_diff_min = tinyc_requantize(tinyc_wadd(log_sum, INT32_MIN), p->reverse_scaling_divisor, p->reverse_scaling_shift);
        if (adjusted_diff_min < p->diff_min - 1) {
            adjusted_diff_min = p->diff_min - 1;
        }
        for (c = 0; c < p->depth; c++) {
            const int32_t diff = in[c] - max;
            if (diff > adjusted_diff_min) {
                const int32_t scaled = tinyc_requantize(diff, p->input_multiplier, p->input_left_shift);
                /* Q5.26 to the output's Q4.3 (scale 16/256), zero point 127 */
                out[c] = (int8_t)tinyc_clamp(tinyc_rdbp(tinyc_wsub(scaled, log_sum), 31 - 5 - 4) + 127, -128, 127);
            } else {
                out[c] = -128;
            }
        }
    }
}
