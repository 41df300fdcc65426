/*
 * tinyc portable int8 activations and requantization, with TensorFlow Lite's
 * reference arithmetic: RELU and QUANTIZE (requantize, clamp), RELU6 (clamp in
 * the input's scale), HARD_SWISH (int16 fixed point), LOGISTIC (gemmlowp
 * fixed-point logistic on Q4.27).
 */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

/* out = clamp(out_zp + requant(in - in_zp)) element by element, for each pair of 8-bit types. */
#define TINYC_REQUANTIZE_LOOP(P, IN, OUT, OUT_TYPE)                                                             \
    do {                                                                                                        \
        int32_t i;                                                                                              \
        for (i = 0; i < (P)->size; i++) {                                                                       \
            const int32_t v = (P)->output_zero_point + tinyc_requantize((int32_t)(IN)[i] - (P)->input_zero_point, \
                                                                        (P)->multiplier, (P)->shift);          \
            (OUT)[i] = (OUT_TYPE)tinyc_clamp(v, (P)->act_min, (P)->act_max);                                     \
        }                                                                                                       \
    } while (0)

void tinyc_requantize_s8(const tinyc_requant_params *p, const int8_t *input, int8_t *output)
{
    TINYC_REQUANTIZE_LOOP(p, input, output, int8_t);
}

void tinyc_requantize_u8_s8(const tinyc_requant_params *p, const uint8_t *input, int8_t *output)
{
    TINYC_REQUANTIZE_LOOP(p, input, output, int8_t);
}

void tinyc_requantize_s8_u8(const tinyc_requant_params *p, const int8_t *input, uint8_t *output)
{
    TINYC_REQUANTIZE_LOOP(p, input, output, uint8_t);
}

void tinyc_leaky_relu_s8(const tinyc_leaky_relu_params *p, const int8_t *input, int8_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; i++) {
        const int32_t v = input[i] - p->input_zero_point;
        int32_t out = p->output_zero_point;
        if (v >= 0) {
            out += tinyc_requantize(v, p->identity_multiplier, p->identity_shift);
        } else {
            const int32_t scaled = tinyc_requantize(v, p->alpha_multiplier, p->alpha_shift);
            out += p->negate ? -scaled : scaled;
        }
        output[i] = (int8_t)tinyc_clamp(out, -128, 127);
    }
}

void tinyc_quantize_f32_s8(int32_t size, float scale, int32_t zero_point, const float *input, int8_t *output)
{
    int32_t i;
    for (i = 0; i < size; i++) {
        float q = input[i] / scale;
        int32_t r;
        if (q != q) { /* NaN */
            output[i] = (int8_t)zero_point;
            continue;
        }
        q = q > 256.0f ? 256.0f : (q < -256.0f ? -256.0f : q);
        r = (int32_t)q; /* truncates toward zero */
        if (q - (float)r >= 0.5f) {
            r++;
        } else if ((float)r - q >= 0.5f) {
            r--;
        }
        output[i] = (int8_t)tinyc_clamp(r + zero_point, -128, 127);
    }
}

void tinyc_dequantize_s8_f32(int32_t size, float scale, int32_t zero_point, const int8_t *input, float *output)
{
    int32_t i;
    for (i = 0; i < size; i++) {
        output[i] = scale * (float)(input[i] - zero_point);
    }
}

void tinyc_clamp_s8(int32_t size, int32_t lo, int32_t hi, const int8_t *input, int8_t *output)
{
    int32_t i;
    for (i = 0; i < size; i++) {
        output[i] = (int8_t)tinyc_clamp(input[i], lo, hi);
    }
}

static int16_t sat16(int32_t v)
{
    return (int16_t)(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
}

/* gemmlowp SaturatingRoundingDoublingHighMul for int16 */
static int16_t srdhm16(int16_t a, int16_t b)
{
    const int32_t ab = (int32_t)a * (int32_t)b;
    const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    if (a == b && a == -32768) {
        return 32767;
    }
    return (int16_t)((ab + nudge) / (1 << 15));
}

/* TFLite's SaturatingDoublingHighMul for int16 (truncating) */
static int16_t sdhm16(int16_t a, int16_t b)
{
    const int32_t ab = (int32_t)a * (int32_t)b;
    if (a == b && a == -32768) {
        return 32767;
    }
    return (int16_t)(ab / (1 << 15));
}

void tinyc_hard_swish_s8(const tinyc_hard_swish_params *p, const int8_t *input, int8_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; i++) {
        const int16_t in = (int16_t)(input[i] - p->input_zero_point);
        const int16_t hires = (int16_t)(in * (1 << 7));
        const int16_t preshift = srdhm16(hires, p->output_multiplier);
        int16_t reluish = hires;
        int16_t out;
        if (p->reluish_multiplier_exponent > 0) {
            reluish = sat16((int32_t)reluish * (1 << (p->reluish_multiplier_exponent - 1)));
        }
        reluish = srdhm16(reluish, p->reluish_multiplier);
        if (p->reluish_multiplier_exponent > 0) {
            reluish = sat16((int32_t)reluish * 2);
        }
        if (p->reluish_multiplier_exponent < 0) {
            reluish = (int16_t)tinyc_rdbp(reluish, -p->reluish_multiplier_exponent);
        }
        reluish = (int16_t)((reluish + (1 << 15)) >> 1);
        out = (int16_t)tinyc_rdbp(sdhm16(reluish, preshift), -p->output_multiplier_exponent);
        out = (int16_t)(out + p->output_zero_point); /* int16 arithmetic, as TFLite's reference (it may wrap) */
        output[i] = (int8_t)tinyc_clamp(out, -128, 127);
    }
}

/* LOGISTIC (is_tanh 0) and TANH (is_tanh 1): the input rescaled to Q4.27 and saturated beyond the radius, gemmlowp's function to Q0.31. */
static void sigmoid_like(const tinyc_logistic_params *p, const int8_t *input, int8_t *output, int is_tanh)
{
    int32_t i;
    for (i = 0; i < p->size; i++) {
        const int32_t in = input[i] - p->input_zero_point;
        if (in <= -p->input_range_radius) {
            output[i] = -128;
        } else if (in >= p->input_range_radius) {
            output[i] = 127;
        } else {
            const int32_t q4 = tinyc_requantize(in, p->input_multiplier, p->input_left_shift);
            const int32_t negative = q4 > 0 ? -q4 : q4;
            int32_t q0;
            if (is_tanh) {
                /* the Q4.27 value read as Q5.26 is -2|x|: tanh|x| = (1 - e^-2|x|) / (1 + e^-2|x|); scale 1/128, zero point 0 */
                const int32_t t = q4 == 0 ? 0 : tinyc_one_minus_x_over_one_plus_x(tinyc_exp_on_negative_values(negative, 5));
                q0 = q4 > 0 ? t : -t;
                output[i] = (int8_t)tinyc_clamp(tinyc_rdbp(q0, 24), -128, 127);
            } else {
                /* scale 1/256, zero point -128 */
                const int32_t pos = tinyc_one_over_one_plus_x(tinyc_exp_on_negative_values(negative, 4));
                q0 = q4 == 0 ? 1 << 30 : (q4 > 0 ? pos : tinyc_wsub(INT32_MAX, pos));
                output[i] = (int8_t)tinyc_clamp(tinyc_rdbp(q0, 23) - 128, -128, 127);
            }
        }
    }
}

void tinyc_logistic_s8(const tinyc_logistic_params *p, const int8_t *input, int8_t *output)
{
    sigmoid_like(p, input, output, 0);
}

void tinyc_tanh_s8(const tinyc_logistic_params *p, const int8_t *input, int8_t *output)
{
    sigmoid_like(p, input, output, 1);
}

