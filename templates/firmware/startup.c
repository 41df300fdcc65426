/*
 * tinyc emulator firmware: vector table, reset, semihosting, SysTick counter.
 * Runs on QEMU's MPS2/MPS3 Cortex-M machines. Semihosting (BKPT 0xAB) prints
 * to the host and exits QEMU with a status code; SysTick runs from the CPU clock
 * and, under `-icount shift=0`, counts executed instructions deterministically.
 */
#include <stdint.h>
#include "harness.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _stack_bottom, _stack_top;
extern int main(void);

#define STACK_PAINT 0xA5A5A5A5u

static volatile uint32_t systick_wraps;

static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void tinyc_print(const char *s)
{
    semihost(0x04, s); /* SYS_WRITE0 */
}

void tinyc_exit(int code)
{
    const uint32_t block[2] = {0x20026u, (uint32_t)code}; /* ADP_Stopped_ApplicationExit */
    semihost(0x20, block); /* SYS_EXIT_EXTENDED */
    for (;;) {
    }
}

void tinyc_timer_start(void)
{
    volatile uint32_t *const syst = (volatile uint32_t *)0xE000E010u;
    syst[0] = 0;           /* CSR: stop */
    syst[1] = 0x00FFFFFFu; /* RVR */
    syst[2] = 0;           /* CVR */
    systick_wraps = 0;
    syst[0] = 7;           /* CSR: processor clock, interrupt, enable */
    while (syst[2] == 0) { /* the counter reads 0 until its first reload */
    }
}

uint64_t tinyc_ticks(void)
{
    volatile uint32_t *const syst = (volatile uint32_t *)0xE000E010u;
    uint32_t wraps, value;
    do {
        wraps = systick_wraps;
        value = syst[2];
    } while (wraps != systick_wraps);
    return (uint64_t)wraps * 0x01000000u + (0x00FFFFFFu - value);
}

uint32_t tinyc_stack_high_water(void)
{
    const uint32_t *p = &_stack_bottom;
    while (p < &_stack_top && *p == STACK_PAINT) {
        p++;
    }
    return (uint32_t)((const uint8_t *)&_stack_top - (const uint8_t *)p);
}

uint32_t tinyc_stack_size(void)
{
    return (uint32_t)((const uint8_t *)&_stack_top - (const uint8_t *)&_stack_bottom);
}

void Reset_Handler(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;
    uint32_t *sp;
    while (dst < &_edata) {
        *dst++ = *src++;
    }
    for (dst = &_sbss; dst < &_ebss; dst++) {
        *dst = 0;
    }
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20; /* CPACR: enable CP10/CP11 (FPU, MVE) */
    __asm__ volatile("dsb\n isb" ::: "memory");
#endif
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (dst = &_stack_bottom; dst < sp - 16; dst++) {
        *dst = STACK_PAINT;
    }
    tinyc_exit(main());
}

static void fault(const char *what)
{
    tinyc_print("TINYC FAULT ");
    tinyc_print(what);
    tinyc_print("\n");
    tinyc_exit(3);
}

void HardFault_Handler(void) { fault("HardFault"); }
void MemManage_Handler(void) { fault("MemManage"); }
void BusFault_Handler(void) { fault("BusFault"); }
void UsageFault_Handler(void) { fault("UsageFault"); }
void NMI_Handler(void) { fault("NMI"); }
void Default_Handler(void) { fault("unexpected interrupt"); }
void SysTick_Handler(void) { systick_wraps++; }

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&_stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, /* SVCall */
    Default_Handler, /* DebugMonitor */
    Default_Handler,
    Default_Handler, /* PendSV */
    SysTick_Handler,
};
