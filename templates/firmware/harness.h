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
#endif
