/* tinyc emulator firmware services (startup.c). */
#ifndef TINYC_HARNESS_H
#define TINYC_HARNESS_H
#include <stdint.h>
void tinyc_print(const char *s);
void tinyc_exit(int code);
void tinyc_timer_start(void);
uint64_t tinyc_ticks(void);
uint32_t tinyc_stack_high_water(void);
uint32_t tinyc_stack_size(void);
void tinyc_layer_hook(int op, const int8_t *data, uint32_t bytes);
void tinyc_layer_hook_rows(int op, const int8_t *data, uint32_t rows, uint32_t row_bytes, uint32_t stride);
/* The model's inputs and outputs in its order (input.c, generated per model): where each lives, and its bytes. */
typedef struct {
    uint8_t *(*data)(void);
    uint32_t bytes;
} tinyc_io;
extern const tinyc_io tinyc_model_inputs[];
extern const tinyc_io tinyc_model_outputs[];
extern const uint32_t tinyc_model_input_count, tinyc_model_output_count;
/* Every input's bytes, concatenated in input order. */
extern const int8_t tinyc_input_data[];
#endif
