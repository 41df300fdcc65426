/*
 * The harness's services on the build machine (`--target host`): output on
 * stdout, no timer and no stack measurement (the emulator counts those).
 */
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"

void tinyc_print(const char *s)
{
    fputs(s, stdout);
}

void tinyc_exit(int code)
{
    fflush(stdout);
    exit(code);
}

void tinyc_timer_start(void)
{
}

uint64_t tinyc_ticks(void)
{
    return 0;
}

uint32_t tinyc_stack_high_water(void)
{
    return 0;
}

uint32_t tinyc_stack_size(void)
{
    return 0;
}
