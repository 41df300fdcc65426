/* tinyc portable int8 fully connected layer ([batches, depth] x [out_depth, depth]^T). */
#include "tinyc_kernels.h"
#include "tinyc_fixedpoint.h"

void tinyc_fully_connected_s8(const tinyc_fc_params *p, const int32_t *mult, const int32_t *shift,
                              const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output)
{
    int32_t b, oc, d;
    for (b = 0; b < p->batches; b++) {
        const int8_t *in = input + b * p->depth;
        for (oc = 0; oc < p->out_depth; oc++) {
            const int8_t *f = filter + oc * p->depth;
            int32_t acc = 0;
            int32_t fsum = 0;
            for (d = 0; d < p->depth; d++) {
                acc += f[d] * in[d];
                fsum += f[d];
            }
            acc += fsum * p->input_offset;
            if (bias) {
                acc += bias[oc];
            }
            acc = tinyc_requantize(acc, mult[oc], shift[oc]) + p->output_offset;
            *output++ = (int8_t)tinyc_clamp(acc, p->act_min, p->act_max);
        }
    }
}
