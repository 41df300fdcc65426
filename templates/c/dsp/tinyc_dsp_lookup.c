/*
 * tinyc DSP int8 element-wise functions of one input (HARD_SWISH, LOGISTIC,
 * TANH, LEAKY_RELU, ...) as a table of their 256 outputs, which the compiler
 * computes with the op's own reference arithmetic, so every output is
 * TFLite's by construction.
 *
 * Order: elements in increasing order, each read before it is written (four
 * at a time: four reads, then four writes), so the output may start at or
 * before the input.
 */
#include "tinyc_dsp.h"

void tinyc_dsp_lookup_s8(int32_t size, const int8_t *table, const int8_t *input, int8_t *output)
{
    /* The table is indexed by the input byte as unsigned: table[b] is the output for int8 b. */
    const uint8_t *in = (const uint8_t *)input;
    int32_t i;
    for (i = 0; i + 4 <= size; i += 4) {
        const int8_t y0 = table[in[i]], y1 = table[in[i + 1]], y2 = table[in[i + 2]], y3 = table[in[i + 3]];
        output[i] = y0;
        output[i + 1] = y1;
        output[i + 2] = y2;
        output[i + 3] = y3;
    }
    for (; i < size; i++) output[i] = table[in[i]];
}
